import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeproof, serveEdge, type ProcessResult, type RunOptions } from '../test/served-edge.ts';

/**
 * EDGE-OPS-1, EDGE-OPS-2: `edgeproof serve` refusing to start, in real processes: one line on
 * stderr, exit code 1, nothing on stdout (so no generated password), and nothing created.
 */

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'edgeproof-refusals-'));
  // Readable by the unprivileged user some tests run the command as.
  await chmod(work, 0o755);
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** A refusal takes a second or two; an Edge that starts instead is killed rather than left serving. */
const refusedRun = (args: string[], as: RunOptions = {}) => edgeproof(args, {}, { ...as, killAfterMs: 15_000 });

function expectRefused(result: ProcessResult, line: RegExp): void {
  expect(result.code, result.stderr).toBe(1);
  expect(result.stdout).toBe('');
  const lines = result.stderr.split('\n');
  expect(lines, result.stderr).toHaveLength(2);
  expect(lines[1]).toBe('');
  expect(lines[0]).toMatch(line);
}

async function listing(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).sort();
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

describe('EDGE-OPS-1: one Edge per data directory', () => {
  it('EDGE-OPS-1: a second serve on a directory in use refuses at once, naming the holder PID, and changes nothing', async () => {
    const dataDir = join(work, 'held');
    const holder = await serveEdge(['--data-dir', dataDir, '--admin-password', 'holder-password']);
    try {
      const before = await listing(dataDir);
      const started = performance.now();
      const second = await refusedRun(['serve', '--data-dir', dataDir, '--port', '0']);
      expectRefused(second, new RegExp(`^edgeproof: data directory ${dataDir} is in use by another Edge \\(PID ${holder.child.pid}\\)$`));
      // At once: no waiting for the lock (better-sqlite3 would wait 5 s by default).
      expect(performance.now() - started).toBeLessThan(4_000);
      expect(await listing(dataDir)).toEqual(before);
      // The holder is undisturbed.
      expect((await fetch(`${holder.url}/artifactory/api/system/ping`)).status).toBe(200);
    } finally {
      await holder.stop();
    }
  });

  it('EDGE-OPS-1: the lock dies with its holder: after SIGKILL a new Edge starts on the same directory', async () => {
    const dataDir = join(work, 'killed');
    const first = await serveEdge(['--data-dir', dataDir]);
    await first.kill();
    const second = await serveEdge(['--data-dir', dataDir]);
    try {
      expect((await fetch(`${second.url}/artifactory/api/system/ping`)).status).toBe(200);
      expect(second.output()).not.toContain('Generated password');
    } finally {
      expect(await second.stop()).toBe(0);
    }
    // And a clean stop releases it too.
    const third = await serveEdge(['--data-dir', dataDir]);
    await third.stop();
  });
});

describe('EDGE-OPS-2: refusals come before anything is created or printed', () => {
  let taken: Server;
  let takenPort: number;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    takenPort = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  it('EDGE-OPS-2: a port in use: one line, no password, no data directory', async () => {
    const dataDir = join(work, 'port-taken');
    const result = await refusedRun(['serve', '--data-dir', dataDir, '--port', String(takenPort)]);
    expectRefused(result, new RegExp(`^edgeproof: cannot listen: port ${takenPort} on 127\\.0\\.0\\.1 is already in use$`));
    expect(await exists(dataDir)).toBe(false);
  });

  it('EDGE-OPS-2: a port in use leaves an existing, empty data directory empty', async () => {
    const dataDir = join(work, 'port-taken-empty');
    await mkdir(dataDir);
    expectRefused(await refusedRun(['serve', '--data-dir', dataDir, '--port', String(takenPort)]), /is already in use$/);
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('EDGE-OPS-2: a host that is not an address of this machine is refused the same way', async () => {
    const dataDir = join(work, 'bad-host');
    expectRefused(
      await refusedRun(['serve', '--data-dir', dataDir, '--port', '0', '--host', '192.0.2.1']),
      /^edgeproof: cannot listen: 192\.0\.2\.1 is not an address of this machine$/,
    );
    expect(await exists(dataDir)).toBe(false);
  });

  // Paths that, should the check ever go, still cannot be created, so a failing test leaves nothing behind.
  for (const dataDir of ['/proc/self/edgeproof-data', '/proc/edgeproof-data', '/sys/edgeproof', '/dev/null/edgeproof']) {
    it(`EDGE-OPS-2: a data directory under a kernel file system (${dataDir}) is refused`, async () => {
      expectRefused(
        await refusedRun(['serve', '--data-dir', dataDir, '--port', '0']),
        /^edgeproof: data directory \S+ is under \/(proc|sys|dev), a kernel file system; choose a directory on disk$/,
      );
      expect(await exists(dataDir)).toBe(false);
    });
  }

  it('EDGE-OPS-2: a data directory path through a file is refused', async () => {
    const file = join(work, 'a-file');
    await writeFile(file, 'not a directory');
    expectRefused(
      await refusedRun(['serve', '--data-dir', join(file, 'data'), '--port', '0']),
      new RegExp(`^edgeproof: data directory ${file}/data cannot be used: ${file} is not a directory$`),
    );
  });

  describe('a data directory this user cannot write', () => {
    // root may write anywhere; the command then runs as nobody, as a service user would.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const run = (args: string[]) => refusedRun(args, asUser);

    it('EDGE-OPS-2: an existing one: refused, and left empty', async () => {
      const dataDir = join(work, 'read-only');
      await mkdir(dataDir, { mode: 0o555 });
      await chmod(dataDir, 0o555);
      expectRefused(
        await run(['serve', '--data-dir', dataDir, '--port', '0']),
        new RegExp(`^edgeproof: data directory ${dataDir} is not writable by this user$`),
      );
      expect(await readdir(dataDir)).toEqual([]);
    });

    it('EDGE-OPS-2: one to be created in a directory this user cannot write: refused, not created', async () => {
      const parent = join(work, 'read-only-parent');
      await mkdir(parent, { mode: 0o555 });
      await chmod(parent, 0o555);
      const dataDir = join(parent, 'data');
      expectRefused(
        await run(['serve', '--data-dir', dataDir, '--port', '0']),
        new RegExp(`^edgeproof: data directory ${dataDir} cannot be created: ${parent} is not writable by this user$`),
      );
      expect(await exists(dataDir)).toBe(false);
    });
  });
});
