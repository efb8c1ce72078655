import { writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { ServiceName } from '../simulator/names/services.ts';

const DEFAULT_PORTS: Record<ServiceName, number> = { distribution: 8090, 'mission-control': 8091, source: 8092, upstream: 8093 };

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number (0 picks a free one)');
  return n;
};
const collect = (value: string, previous: string[]) => [...previous, value];

export function simCommand(): Command {
  return new Command('sim')
    .description('Run the simulated platform on loopback: Distribution, Mission Control, a source Artifactory and a smart-remote upstream')
    .addOption(new Option('--distribution-port <port>', 'Distribution').argParser(port).default(DEFAULT_PORTS.distribution))
    .addOption(new Option('--mission-control-port <port>', 'Mission Control').argParser(port).default(DEFAULT_PORTS['mission-control']))
    .addOption(new Option('--source-port <port>', 'source Artifactory').argParser(port).default(DEFAULT_PORTS.source))
    .addOption(new Option('--upstream-port <port>', 'smart-remote upstream').argParser(port).default(DEFAULT_PORTS.upstream))
    .option('--faults <file>', 'fault plan (JSON, see simulator/faults/README.md)')
    .addOption(new Option('--seed <n>', "seed for the fault plan (overrides the plan's own)").argParser((v) => Number.parseInt(v, 10)))
    .option('--edge <url>', 'register an Edge with Mission Control (repeatable)', collect, [])
    .option('--edge-country <code>', 'country code of the registered Edges', 'US')
    .option('--edge-auth <user:password>', "basic credentials for the Edges (default: a token signed by the simulators' identity)")
    .option('--record <file>', 'write every exchange (JSON) to this file on exit, for reports and replay')
    .action(async (options: SimOptions) => {
      // Loaded on use: `--help` does not pay for the simulators.
      const { startPlatform, SIM_ADMIN } = await import('../simulator/platform.ts');
      const { readFaultPlan } = await import('../simulator/faults/plan.ts');
      const { simulatorIdentity } = await import('../fixtures/keys/index.ts');
      const loaded = options.faults ? await readFaultPlan(options.faults) : undefined;
      const plan = loaded && options.seed !== undefined ? { ...loaded, seed: options.seed } : loaded;
      const platform = await startPlatform({
        identity: simulatorIdentity(),
        plan,
        ports: {
          distribution: options.distributionPort,
          'mission-control': options.missionControlPort,
          source: options.sourcePort,
          upstream: options.upstreamPort,
        },
      });
      const registered: string[] = [];
      for (const [i, url] of options.edge.entries()) {
        const authorization = options.edgeAuth ? `Basic ${Buffer.from(options.edgeAuth).toString('base64')}` : undefined;
        const id = await platform.registerEdge({
          name: `edge-${i + 1}`,
          url: url.endsWith('/') ? url : `${url}/`,
          countryCode: options.edgeCountry,
          ...(authorization ? { authorization } : {}),
        });
        registered.push(`  ${id}  ${url}  (${options.edgeCountry})`);
      }
      const { urls } = platform;
      process.stdout.write(
        [
          `edgeproof simulators (${plan ? `fault plan ${options.faults}, seed ${plan.seed}` : 'no fault plan'})`,
          `  distribution     ${urls.distribution}/distribution/api/v1`,
          `  mission control  ${urls['mission-control']}/mc/api/v1`,
          `  source           ${urls.source}/artifactory`,
          `  upstream         ${urls.upstream}/artifactory`,
          `  credentials      ${SIM_ADMIN.user} / ${SIM_ADMIN.password} (basic auth, every service)`,
          registered.length ? `Registered Edges:\n${registered.join('\n')}` : 'No Edge registered yet (--edge URL, or POST /mc/api/v1/jpds).',
          '',
          'An Edge must trust this certificate (circle of trust: edgeproof trust add <file>, or',
          'PUT /access/api/v1/cert/trusted/edgeproof-sim) — fixtures/keys/simulator-access.crt:',
          platform.accessCertificatePem.trim(),
          '',
          'and this GPG public key for bundle signatures (Distribution propagates it, or',
          'POST /artifactory/api/security/keys/trusted) — fixtures/keys/bundle-signing.pub.asc:',
          platform.gpgPublicKey.trim(),
          '',
          'Ready.',
          '',
        ].join('\n'),
      );
      const stop = async () => {
        await platform.close();
        if (options.record) await writeFile(options.record, JSON.stringify(platform.recorder.toJSON(), null, 2));
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

interface SimOptions {
  distributionPort: number;
  missionControlPort: number;
  sourcePort: number;
  upstreamPort: number;
  faults?: string;
  seed?: number;
  edge: string[];
  edgeCountry: string;
  edgeAuth?: string;
  record?: string;
}
