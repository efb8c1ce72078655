import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ArtifactoryClient } from '../protocol/clients/index.ts';
import { dockerFormat } from './installs/docker.ts';
import { type InstallFormat, median, startNginx, timed } from './installs/kit.ts';
import { mavenFormat } from './installs/maven.ts';
import { npmFormat } from './installs/npm.ts';
import { pypiFormat } from './installs/pypi.ts';
import { serveEdge } from './serve.ts';

/**
 * Installs of a package set by the unmodified clients, per format (issue #12), in one run:
 *   - plain: the client reading the files from a plain directory (nginx serving it, or for
 *     skopeo an OCI layout on disk), no Edge;
 *   - cold: through a smart remote on an Edge whose cache is empty, from an upstream (a second
 *     `edgeproof serve` holding the files): the first build machine near a new Edge;
 *   - warm: the same again, the Edge's cache now holding everything: every later machine.
 * The client's own cache is empty every time, so each figure is what the server side costs.
 * Each figure is the median of `--runs` runs; every cold run uses a new smart remote.
 *
 *   npm run bench:installs -- --packages 20 --kib 256 --runs 3
 *   npm run bench:installs -- --formats npm,pypi --packages 5 --runs 1     (a quick run)
 */
const flag = (name: string, fallback: string) => {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : (process.argv[at + 1] as string);
};
const count = Number(flag('--packages', '20'));
const kib = Number(flag('--kib', '256'));
const runs = Number(flag('--runs', '3'));
const ALL = [npmFormat, pypiFormat, mavenFormat, dockerFormat];
const wanted = flag('--formats', ALL.map((f) => f.name).join(',')).split(',');
const password = 'bench-admin-password';
const admin = { user: 'admin', password };

const has = (command: string) =>
  promisify(execFile)('sh', ['-c', `command -v ${command}`]).then(
    () => true,
    () => false,
  );

/** The client's own words when an install fails: the figure is worthless then, so the run stops. */
async function installing(format: InstallFormat, what: string, install: () => Promise<void>): Promise<void> {
  try {
    await install();
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${format.name} (${what}) failed: ${String(error).split('\n')[0]}\n${stdout}${stderr}`.trimEnd());
  }
}

async function measure(format: InstallFormat, work: string, plainUrl: string): Promise<string> {
  const set = await format.build(work, count, kib);
  const mib = set.files.reduce((sum, f) => sum + f.bytes.length, 0) / 1024 / 1024;
  const plainDir = join(work, 'plain', format.name);
  await format.layPlain(plainDir, set, `${plainUrl}/${format.name}`);

  const dirs = [await mkdtemp(join(work, 'up-')), await mkdtemp(join(work, 'edge-'))];
  const upstream = await serveEdge(['--data-dir', dirs[0] as string, '--admin-password', password]);
  const edge = await serveEdge(['--data-dir', dirs[1] as string, '--admin-password', password]);
  try {
    const up = new ArtifactoryClient({ url: upstream.url, credentials: admin });
    for (const file of set.files) await up.deploy(`artifactory-edge-uploads/${file.path}`, file.bytes, { size: file.bytes.length });
    const client = new ArtifactoryClient({ url: edge.url, credentials: admin });
    const plain: number[] = [];
    const cold: number[] = [];
    const warm: number[] = [];
    for (let run = 1; run <= runs; run++) {
      const repo = `${format.name}-remote-${run}`;
      await client.createRepository(repo, {
        rclass: 'remote',
        packageType: format.packageType,
        url: `${upstream.url}/artifactory/artifactory-edge-uploads`,
        username: admin.user,
        password,
        contentSynchronisation: { enabled: true },
      });
      const source = { kind: 'edge', base: edge.url, repo, ...admin } as const;
      plain.push(
        await timed(() => installing(format, 'plain', () => format.install(work, set, { kind: 'plain', url: `${plainUrl}/${format.name}`, dir: plainDir }))),
      );
      cold.push(await timed(() => installing(format, 'cold', () => format.install(work, set, source))));
      warm.push(await timed(() => installing(format, 'warm', () => format.install(work, set, source))));
    }
    const [p, c, w] = [median(plain), median(cold), median(warm)];
    return `| ${format.name} | ${set.files.length} files, ${mib.toFixed(1)} MiB | ${p.toFixed(2)} s | ${c.toFixed(2)} s (×${(c / p).toFixed(2)}) | ${w.toFixed(2)} s (×${(w / p).toFixed(2)}) |`;
  } finally {
    await edge.stop();
    await upstream.stop();
  }
}

const work = await mkdtemp(join(tmpdir(), 'edgeproof-bench-installs-'));
try {
  if (!(await has('nginx'))) throw new Error('nginx is not installed (apt-get install -y nginx-light): the plain-directory baseline needs it');
  const nginx = await startNginx(join(work, 'plain'), work);
  const rows: string[] = [];
  const skipped: string[] = [];
  try {
    for (const format of ALL.filter((f) => wanted.includes(f.name))) {
      const missing = [];
      for (const command of format.commands) if (!(await has(command))) missing.push(command);
      if (missing.length > 0) skipped.push(`${format.name}: ${missing.join(', ')} not installed`);
      else rows.push(await measure(format, work, nginx.url));
    }
  } finally {
    await nginx.stop();
  }
  console.log(
    `package installs (node ${process.version}, ${new Date().toISOString()}; ${count} packages of ${kib} KiB, median of ${runs} runs, client caches empty)`,
  );
  console.log('| format | set | plain directory (nginx) | Edge, cold (pull-through) | Edge, warm (cached) |');
  console.log('|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  for (const line of skipped) console.log(`skipped ${line}`);
} finally {
  await rm(work, { recursive: true, force: true });
}
