import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturePublicKey } from '../fixtures/keys/index.ts';
import { filestoreFiles } from './edge-harness.ts';
import { EDP, filePath, makeBundle, sha256, type BundleFile, type TestBundle } from './bundle-kit.ts';
import { serveEdge, type ServedEdge } from './served-edge.ts';

/**
 * Kill-at-any-point (EDP-PUB atomicity and durability, EDP-TX resumability): a driver plays
 * Distribution and the source against `edgeproof serve`, SIGKILLs the process at a point chosen
 * from a fixed seed, restarts it on the same data directory and checks that
 *   - no partial bundle is visible, and a bundle acknowledged by commit is fully visible;
 *   - every published byte is the signed byte;
 *   - no temp file survives a restart;
 *   - resuming (start again, send what is MISSING, commit) completes the bundle; or, when left
 *     alone, the transaction expires and no orphaned bytes remain.
 * A failure names the seed and the kill point.
 */
const SEEDS = [11, 23, 37, 41, 59, 67, 73, 89, 97, 101, 131, 149];
const PASSWORD = 'crash-test-admin';
const AUTH = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
const TTL_SECS = 2;

type KillPoint =
  | { phase: 'start'; delayMs: number }
  | { phase: 'upload'; file: number; fraction: number }
  | { phase: 'after-upload'; file: number }
  | { phase: 'commit'; delayMs: number }
  | { phase: 'after-commit' };

interface Scenario {
  sizes: number[];
  kill: KillPoint;
  /** After the restart: resume the transfer, or leave it to expire. */
  resume: boolean;
}

const scenario = fc.integer({ min: 1, max: 4 }).chain((count) =>
  fc.record({
    sizes: fc.array(fc.integer({ min: 0, max: 1536 * 1024 }), { minLength: count, maxLength: count }),
    kill: fc.oneof(
      fc.record({ phase: fc.constant('start' as const), delayMs: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ phase: fc.constant('upload' as const), file: fc.integer({ min: 0, max: count - 1 }), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({ phase: fc.constant('after-upload' as const), file: fc.integer({ min: 0, max: count - 1 }) }),
      fc.record({ phase: fc.constant('commit' as const), delayMs: fc.integer({ min: 0, max: 30 }) }),
      fc.constant({ phase: 'after-commit' as const }),
    ),
    resume: fc.boolean(),
  }),
);

function describeKill(kill: KillPoint): string {
  switch (kill.phase) {
    case 'start':
    case 'commit':
      return `${kill.phase} request + ${kill.delayMs} ms`;
    case 'upload':
      return `during upload of file ${kill.file} after ${(kill.fraction * 100).toFixed(1)}% of its bytes`;
    case 'after-upload':
      return `after the 201 for file ${kill.file}`;
    case 'after-commit':
      return 'after the commit answered';
  }
}

interface Answer {
  status: number;
  body: string;
}

/** One request; `onBodyProgress` may kill the server mid-body. The promise never rejects. */
function send(
  base: string,
  method: string,
  path: string,
  body?: Buffer,
  headers: Record<string, string> = {},
  killAt?: { bytes: number; kill: () => void },
): Promise<Answer | undefined> {
  return new Promise((resolve) => {
    const req = request(
      `${base}${path}`,
      { method, headers: { authorization: AUTH, ...headers, ...(body ? { 'content-length': body.length } : {}) } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        // A server killed mid-response ends the body early; the answer never completed.
        res.on('error', () => resolve(undefined));
        res.on('close', () => resolve(undefined));
      },
    );
    req.on('error', () => resolve(undefined));
    if (!body) return void req.end();
    if (!killAt) return void req.end(body);
    req.write(body.subarray(0, killAt.bytes), () => {
      killAt.kill();
      req.end(body.subarray(killAt.bytes));
    });
  });
}

const jsonBody = (value: unknown) => Buffer.from(JSON.stringify(value));
const JSON_HEADERS = { 'content-type': 'application/json' };

async function visibleState(edge: ServedEdge, bundle: TestBundle): Promise<{ listed: boolean; visible: boolean[]; exact: boolean[] }> {
  const listed = (await send(edge.url, 'GET', `/artifactory/api/release/bundles/${bundle.payload.name}/${bundle.payload.version}`))?.status === 200;
  const visible: boolean[] = [];
  const exact: boolean[] = [];
  for (const file of bundle.files) {
    const res = await fetch(`${edge.url}/artifactory/${file.repoPath}`, { headers: { authorization: AUTH } });
    const bytes = Buffer.from(await res.arrayBuffer());
    visible.push(res.status === 200);
    exact.push(res.status === 200 && bytes.equals(file.bytes));
  }
  return { listed, visible, exact };
}

describe('EDP-PUB-1, EDP-PUB-4, EDP-FILE-7, EDP-TX-10, EDP-TX-11: crash safety, SIGKILL at any point', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  for (const seed of SEEDS) {
    const [plan] = fc.sample(scenario, { seed, numRuns: 1 }) as [Scenario];
    // Two or three process starts and, when expiring, a wait past the TTL: slow by nature.
    it(`seed ${seed}: ${plan.sizes.length} file(s), kill ${describeKill(plan.kill)}, then ${plan.resume ? 'resume' : 'expire'}`, {
      timeout: 120_000,
    }, async () => {
      const where = `seed ${seed}, kill point: ${describeKill(plan.kill)}`;
      const dataDir = await mkdtemp(join(tmpdir(), 'edgeproof-crash-'));
      dirs.push(dataDir);
      // Only a run left to expire needs the short lifetime; a resumed transfer on a loaded machine can outlast it.
      const ttl = plan.resume ? 600 : TTL_SECS;
      const args = ['--data-dir', dataDir, '--admin-password', PASSWORD, '--transaction-ttl-secs', String(ttl)];
      let edge = await serveEdge(args);
      try {
        // Set-up the crash must not disturb: a trusted key, a target repository, one bundle published before.
        expect(
          (
            await send(
              edge.url,
              'POST',
              '/artifactory/api/security/keys/trusted',
              jsonBody({ alias: 'k', public_key: fixturePublicKey('bundle-signing') }),
              JSON_HEADERS,
            )
          )?.status,
          where,
        ).toBe(201);
        expect((await send(edge.url, 'PUT', '/artifactory/api/repositories/crash-local', jsonBody({ rclass: 'local' }), JSON_HEADERS))?.status, where).toBe(
          200,
        );
        const earlier = await makeBundle('earlier', '1.0', [{ repoPath: 'crash-local/earlier/keep.bin', bytes: Buffer.from(`earlier ${seed}`) }]);

        const seedBytes = createHash('sha256').update(String(seed)).digest();
        const files: BundleFile[] = plan.sizes.map((size, i) => ({
          repoPath: `crash-local/b${seed}/f${i}.bin`,
          bytes: Buffer.concat([seedBytes, Buffer.from([i]), randomBytes(size)]),
        }));
        const bundle = await makeBundle(`crash-${seed}`, '1.0', files);
        await runToCompletion(edge, earlier);

        let commitAcknowledged = false;
        const kill = () => void edge.kill();
        const started = await send(
          edge.url,
          'POST',
          `${EDP}/transactions`,
          jsonBody({ bundle: bundle.jws }),
          JSON_HEADERS,
          plan.kill.phase === 'start' ? { bytes: 10, kill: () => setTimeout(kill, (plan.kill as { delayMs: number }).delayMs) } : undefined,
        );
        if (plan.kill.phase !== 'start') {
          expect(started?.status, where).toBe(201);
          const id = (JSON.parse(started?.body ?? '{}') as { id: string }).id;
          for (const [i, file] of files.entries()) {
            const killHere = plan.kill.phase === 'upload' && plan.kill.file === i;
            const killAt = killHere ? { bytes: Math.floor(file.bytes.length * (plan.kill as { fraction: number }).fraction), kill } : undefined;
            const res = await send(edge.url, 'PUT', filePath(id, file.repoPath), file.bytes, { 'x-checksum-sha256': sha256(file.bytes) }, killAt);
            if (killHere) break;
            expect(res?.status, `${where}: upload ${i}`).toBe(201);
            if (plan.kill.phase === 'after-upload' && plan.kill.file === i) {
              await edge.kill();
              break;
            }
          }
          if (plan.kill.phase === 'commit' || plan.kill.phase === 'after-commit') {
            const delay = plan.kill.phase === 'commit' ? plan.kill.delayMs : -1;
            const pending = send(edge.url, 'POST', `${EDP}/transactions/${id}/commit`);
            if (delay >= 0) setTimeout(kill, delay);
            const res = await pending;
            commitAcknowledged = res?.status === 200;
            if (delay < 0) {
              expect(res?.status, where).toBe(200);
              await edge.kill();
            }
          }
        }
        await new Promise((r) => setTimeout(r, 50));
        if (edge.child.exitCode === null && edge.child.signalCode === null) await edge.kill();

        edge = await serveEdge(args);
        expect(await readdir(join(dataDir, 'filestore', '_tmp')), `${where}: temp files after restart`).toEqual([]);
        const after = await visibleState(edge, bundle);
        const all = after.visible.every(Boolean);
        const none = after.visible.every((v) => !v);
        expect(all || none, `${where}: partial bundle visible ${JSON.stringify(after.visible)}`).toBe(true);
        expect(after.listed, `${where}: listing agrees with the files`).toBe(all);
        if (all) expect(after.exact.every(Boolean), `${where}: published bytes differ from the signed bytes`).toBe(true);
        if (commitAcknowledged) expect(all, `${where}: an acknowledged commit was lost`).toBe(true);
        expect((await visibleState(edge, earlier)).exact, `${where}: earlier bundle damaged`).toEqual([true]);

        if (plan.resume) {
          await runToCompletion(edge, bundle);
          const done = await visibleState(edge, bundle);
          expect(done.exact.every(Boolean) && done.listed, `${where}: resuming did not complete the bundle`).toBe(true);
        } else if (!all) {
          // Left alone, the transaction expires and gives back every staged byte.
          await new Promise((r) => setTimeout(r, TTL_SECS * 1000 + 300));
          await edge.stop();
          edge = await serveEdge(args);
          const blobs = (await filestoreFiles(dataDir)).filter((f) => !f.startsWith('_tmp')).map((f) => f.slice(f.lastIndexOf('/') + 1));
          expect(blobs.sort(), `${where}: orphaned bytes after expiry`).toEqual([sha256(earlier.files[0]?.bytes as Buffer)]);
        }
      } finally {
        await edge.stop().catch(() => undefined);
      }
    });
  }
});

/** Start (or resume) and send only what the Edge reports MISSING, then commit. */
async function runToCompletion(edge: ServedEdge, bundle: TestBundle): Promise<void> {
  const started = await send(edge.url, 'POST', `${EDP}/transactions`, jsonBody({ bundle: bundle.jws }), JSON_HEADERS);
  if (!started || (started.status !== 201 && started.status !== 200)) throw new Error(`start: ${started?.status} ${started?.body}`);
  const tx = JSON.parse(started.body) as { id: string; state: string; files: { repo_path: string; state: string }[] };
  if (tx.state === 'COMMITTED') return;
  for (const file of bundle.files) {
    if (tx.files.find((f) => f.repo_path === file.repoPath)?.state === 'PRESENT') continue;
    const res = await send(edge.url, 'PUT', filePath(tx.id, file.repoPath), file.bytes, { 'x-checksum-sha256': sha256(file.bytes) });
    if (res?.status !== 201 && res?.status !== 200) throw new Error(`upload ${file.repoPath}: ${res?.status} ${res?.body}`);
  }
  const done = await send(edge.url, 'POST', `${EDP}/transactions/${tx.id}/commit`);
  if (done?.status !== 200) throw new Error(`commit: ${done?.status} ${done?.body}`);
}
