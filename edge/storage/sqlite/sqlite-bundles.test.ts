import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refusal } from '../../../protocol/bundle/__fixtures__/refusal.ts';
import type { TransactionRecord } from '../bundles.ts';
import type { MetadataStore } from '../metadata.ts';
import { openSqliteStore } from './sqlite-store.ts';

const checksums = (n: number) => ({ sha256: String(n).repeat(64).slice(0, 64), sha1: 'a'.repeat(40), md5: 'b'.repeat(32) });

function transaction(paths: string[]): TransactionRecord {
  return {
    id: 'tx-1',
    name: 'b',
    version: '1.0',
    payloadSha256: 'c'.repeat(64),
    jws: 'h.e30.s',
    kid: '0123456789abcdef',
    state: 'OPEN',
    created: 1,
    lastActivity: 1,
    closed: null,
    by: 'admin',
    files: paths.map((path, i) => ({ repoPath: `r/${path}`, repo: 'r', path, sha256: checksums(i + 1).sha256, size: 1, props: [], state: 'MISSING' })),
  };
}

describe('SqliteBundles.commit', () => {
  let dir: string;
  let store: MetadataStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edgeproof-bundles-'));
    store = openSqliteStore(join(dir, 'metadata.db'), () => 'application/octet-stream');
    await store.repos.create({ key: 'r', rclass: 'local', packageType: 'generic', config: {}, created: 1 });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['the file first', ['a', 'a/b']],
    ['the file last', ['a/b', 'a']],
  ])('EDP-TX-8: refuses a file of the bundle that is the folder of another (%s) with EDP_PATH_CONFLICT, writing nothing', async (_label, paths) => {
    const tx = transaction(paths);
    await store.bundles.createTransaction(tx);
    for (const [i, f] of tx.files.entries()) await store.bundles.markPresent(tx.id, f.repoPath, 2, checksums(i + 1));
    const err = await refusal(() => store.bundles.commit(tx.id, 3, 'uploads'));
    expect(err.code).toBe('EDP_PATH_CONFLICT');
    expect(err.message).toBe('r/a is a file of this bundle and a folder of r/a/b.');
    expect(await store.items.descendants('r', '', Infinity)).toEqual([]);
    expect(await store.bundles.bundles()).toEqual([]);
    expect((await store.bundles.transactionHead(tx.id))?.state).toBe('OPEN');
  });
});
