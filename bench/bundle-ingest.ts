import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgresDatabase } from '../edge/index.ts';
import { largeFileBundle } from './large-file-bundle.ts';
import { manyFilesBundle, prepareManyFiles } from './many-files-bundle.ts';
import { serveEdge } from './serve.ts';

/**
 * Ingest rate of the Edge Distribution Protocol through `edgeproof serve`, beside this
 * machine's SHA-256 speed on the same bytes (issue #4):
 *   - one bundle with a single 1 GiB file (MiB/s, start → last byte → commit);
 *   - one bundle with 2,000 small files (files/s), uploaded 8 at a time.
 *
 *   node --import tsx bench/bundle-ingest.ts [--size-mib 1024] [--files 2000] [--file-kib 4] [--cpu-prof dir]
 *     [--database-url postgres://user:pw@host/postgres]   (metadata on PostgreSQL: a fresh database there, dropped after)
 */
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const MiB = 1024 * 1024;
const sizeMib = arg('--size-mib', 1024);
const fileCount = arg('--files', 2000);
const fileKib = arg('--file-kib', 4);
const PASSWORD = 'bench-admin-password';

const dataDir = await mkdtemp(join(tmpdir(), 'edgeproof-ingest-'));
const serverUrl = process.argv[process.argv.indexOf('--database-url') + 1];
const database = process.argv.includes('--database-url') && serverUrl ? await freshPostgresDatabase(serverUrl) : undefined;
const databaseFlags = database ? ['--database-type', 'postgresql', '--database-url', database.url] : [];
const cpuProfAt = process.argv.indexOf('--cpu-prof');
const profiling = cpuProfAt < 0 ? [] : ['--cpu-prof', `--cpu-prof-dir=${process.argv[cpuProfAt + 1]}`];
const edge = await serveEdge(['--data-dir', dataDir, '--admin-password', PASSWORD, ...databaseFlags], {}, profiling);
const credentials = { user: 'admin', password: PASSWORD };
try {
  await prepareManyFiles(edge.url, credentials, 'bench-local');

  // --- one large file ---
  const big = await largeFileBundle(edge.url, credentials, { name: 'bench-big', bytes: sizeMib * MiB, seed: 7, repo: 'bench-local' });

  // --- many small files ---
  const many = await manyFilesBundle(edge.url, credentials, { name: 'bench-many', files: fileCount, fileKib, concurrency: 8, repo: 'bench-local' });

  console.log(`EDP ingest through edgeproof serve, metadata on ${database ? 'PostgreSQL' : 'SQLite'} (node ${process.version}, ${new Date().toISOString()})`);
  console.log(
    `  1 file of ${sizeMib} MiB : ${big.mibPerSec.toFixed(1)} MiB/s end to end (${big.seconds.toFixed(1)} s); SHA-256 alone on the same bytes: ${big.sha256MibPerSec?.toFixed(1)} MiB/s`,
  );
  console.log(
    `  ${fileCount} files of ${fileKib} KiB: ${many.filesPerSec.toFixed(0)} files/s end to end (${many.seconds.toFixed(1)} s, commit ${many.commitMs.toFixed(0)} ms)`,
  );
} finally {
  await edge.stop();
  await rm(dataDir, { recursive: true, force: true });
  await database?.drop();
}
