import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const hasStrace = spawnSync('strace', ['-V']).status === 0;

/*
 * The power-loss tests cut the power at the metadata store's statements and take a COMMIT that
 * returned as durable: they cannot see SQLite lose WAL pages that were never synced (with
 * `synchronous = OFF` they still pass). This looks at the system calls of a real store instead.
 * Under load strace splits a call another thread interrupts (`<unfinished ...>`, then `<... resumed>`):
 * the store syncs on the thread that then writes the acknowledgement, so a sync begun before it ended
 * before it.
 */
it.skipIf(!hasStrace)('EDGE-DUR-4: a grouped metadata write is acknowledged only after an fsync of the WAL that holds it (strace)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'edgeproof-wal-sync-'));
  try {
    const trace = join(dir, 'trace');
    const fixture = join(import.meta.dirname, '__fixtures__', 'grouped-write.ts');
    execFileSync(
      'strace',
      ['-f', '-y', '-e', 'trace=fsync,fdatasync,write', '-o', trace, process.execPath, '--import', 'tsx', fixture, join(dir, 'metadata.db')],
      {
        stdio: 'ignore',
      },
    );
    const lines = (await readFile(trace, 'utf8')).split('\n');
    const at = (marker: string) => lines.findIndex((line) => line.includes(`"grouped write: ${marker}\\n"`));
    const [start, acknowledged] = [at('start'), at('acknowledged')];
    expect(start).toBeGreaterThanOrEqual(0);
    expect(acknowledged).toBeGreaterThan(start);
    const walSyncs = lines.slice(start, acknowledged).filter((line) => /f(?:data)?sync\(\d+<[^>]*metadata\.db-wal>(?:\) = 0| <unfinished \.\.\.>)/.test(line));
    expect(walSyncs.length, `system calls between the write and its acknowledgement:\n${lines.slice(start, acknowledged).join('\n')}`).toBeGreaterThan(0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
