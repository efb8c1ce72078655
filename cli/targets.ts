import { type Command, InvalidArgumentError, Option } from 'commander';
import { describeDatabase } from '../edge/index.ts';
import type { Target } from '../scenarios/index.ts';

/**
 * The flags that choose what the harness runs against, shared by `edgeproof conformance` and
 * `edgeproof replay`, and the target they make. A target that cannot be used throws
 * `TargetUnavailable` (one line, exit code 2).
 */

export const TARGET_KINDS = ['embedded', 'url', 'container', 'cluster'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export interface TargetFlags {
  target?: TargetKind;
  url?: string;
  user?: string;
  password?: string;
  maxUploadBytes?: number;
  maxJsonBytes?: number;
  image?: string;
  databaseUrl?: string;
  installTrust: boolean;
}

const bytes = (flag: string) => (value: string) => {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) throw new InvalidArgumentError(`${flag}: a number of bytes ≥ 1`);
  return Number(value);
};

/**
 * Adds the target flags; `defaults` are left out for `replay`, which takes what the replay
 * file recorded for any flag not given.
 */
export function targetOptions(command: Command, defaults: boolean): Command {
  const option = (flags: string, help: string, value?: string) => {
    if (!defaults) return new Option(flags, `${help} (default: as the replay file recorded)`);
    const made = new Option(flags, help);
    return value === undefined ? made : made.default(value);
  };
  return command
    .addOption(option('--target <kind>', 'what to test', 'embedded').choices(TARGET_KINDS))
    .addOption(option('--url <url>', 'the Edge to test (target url), e.g. http://edge:8082'))
    .addOption(option('--user <user>', 'admin user of the Edge (target url)', 'admin'))
    .option('--password <password>', 'its password (target url; or EDGEPROOF_CONFORMANCE_PASSWORD)')
    .addOption(
      option('--max-upload-bytes <n>', "the Edge's configured largest artifact body (target url; body-limit scenarios need it)").argParser(
        bytes('--max-upload-bytes'),
      ),
    )
    .addOption(
      option('--max-json-bytes <n>', "the Edge's configured largest JSON body (target url; body-limit scenarios need it)").argParser(bytes('--max-json-bytes')),
    )
    .addOption(option('--image <image>', 'the Edge image (target container)', 'edgeproof:dev'))
    .option(
      '--database-url <url>',
      "target embedded: keep each Edge's metadata on this PostgreSQL server, in a fresh database (postgres://user:password@host:port/postgres; the user needs CREATEDB)",
    )
    .option('--no-install-trust', 'the Edge already trusts the fixture key and the simulators (docs/vendors.md)');
}

export async function targetOf(flags: TargetFlags, env: NodeJS.ProcessEnv = process.env): Promise<Target> {
  const harness = await import('../scenarios/index.ts');
  switch (flags.target ?? 'embedded') {
    case 'embedded': {
      if (flags.databaseUrl === undefined) return harness.embeddedTarget();
      // EDGE-PG-1: the same Edges on PostgreSQL, so a vendor can reproduce a run on it.
      if (!URL.canParse(flags.databaseUrl) || !/^postgres(ql)?:$/.test(new URL(flags.databaseUrl).protocol)) {
        throw new harness.TargetUnavailable('--database-url must be a postgres:// URL');
      }
      return harness.embeddedTarget({
        perEdge: harness.postgresPerEdge(flags.databaseUrl),
        label: 'embedded edgeproof Edge on PostgreSQL',
        settings: { database: `postgresql ${describeDatabase(flags.databaseUrl)}` },
      });
    }
    case 'url': {
      if (!flags.url) throw new harness.TargetUnavailable('--target url needs --url, the Edge to test (e.g. http://edge:8082)');
      const password = flags.password ?? env.EDGEPROOF_CONFORMANCE_PASSWORD;
      if (!password) throw new harness.TargetUnavailable("--target url needs the admin's password: --password or EDGEPROOF_CONFORMANCE_PASSWORD");
      const { harnessMaterial } = await import('../fixtures/keys/index.ts');
      return harness.urlTarget({
        url: flags.url,
        user: flags.user ?? 'admin',
        password,
        ...(flags.installTrust ? {} : { preinstalled: harness.preinstalledTrust(harnessMaterial()) }),
        limits: {
          ...(flags.maxUploadBytes !== undefined ? { maxUploadBytes: flags.maxUploadBytes } : {}),
          ...(flags.maxJsonBytes !== undefined ? { maxJsonBytes: flags.maxJsonBytes } : {}),
        },
      });
    }
    case 'container':
      return harness.containerTarget({ image: flags.image ?? 'edgeproof:dev' });
    case 'cluster':
      // EDGE-HA-3: three serve processes on PostgreSQL and S3 behind nginx, all started here.
      return harness.clusterTarget();
    default:
      throw new harness.TargetUnavailable(`target ${flags.target} is not available yet`);
  }
}
