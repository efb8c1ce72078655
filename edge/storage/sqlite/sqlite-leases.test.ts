import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openSqliteStore } from './sqlite-store.ts';

let dir = '';
afterEach(() => rm(dir, { recursive: true, force: true }));

it('EDGE-OPS-8: a lease left by a process that died holds until it lapses, then another process takes the job', async () => {
  dir = await mkdtemp(join(tmpdir(), 'edgeproof-leases-'));
  let clock = 1_000;
  const dead = openSqliteStore(join(dir, 'metadata.db'), { now: () => clock });
  const alive = openSqliteStore(join(dir, 'metadata.db'), { now: () => clock });
  // The holder never finishes: it died with the lease taken.
  void dead.leases.runExclusive('content-sweep', () => new Promise(() => {}), 60_000);
  expect(await alive.leases.runExclusive('content-sweep', async () => 'ran')).toBeUndefined();
  clock += 60_000;
  expect(await alive.leases.runExclusive('content-sweep', async () => 'ran')).toBeUndefined();
  clock += 1;
  expect(await alive.leases.runExclusive('content-sweep', async () => 'ran')).toBe('ran');
  await dead.close();
  await alive.close();
});
