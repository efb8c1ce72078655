import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { refusal } from '../../../protocol/bundle/__fixtures__/refusal.ts';
import type { Checksums } from '../../../protocol/checksums.ts';
import { publishTransaction } from '../../bundles/publication.ts';
import type { PublicationPlan, TransactionRecord, TrustedKeyRecord } from '../bundles.ts';
import type { MetadataStore, NewFile, TokenRecord } from '../metadata.ts';
import type { BeforeWrite } from '../sqlite/write-hook.ts';

/** A fresh, empty store, and how to dispose of it. */
export interface MetadataStoreUnderTest {
  store: MetadataStore;
  /**
   * Another handle on the same data, as a second process (a worker, a node of a cluster) opens it,
   * with the given write hook if any (write-hook.ts); closed by `dispose`. Absent for stores only
   * one handle can open (in memory).
   */
  another?(options?: { beforeWrite?: BeforeWrite }): Promise<MetadataStore>;
  dispose(): Promise<void>;
}

const UPLOADS = 'uploads';
const sum = (n: number): Checksums => ({
  sha256: n.toString(16).padStart(64, '0'),
  sha1: n.toString(16).padStart(40, '0'),
  md5: n.toString(16).padStart(32, '0'),
});
const file = (path: string, n: number, extra: Partial<NewFile> = {}): NewFile => ({
  repo: 'r',
  path,
  size: n,
  checksums: sum(n),
  mimeType: 'application/octet-stream',
  by: 'admin',
  at: n,
  properties: {},
  ...extra,
});
// The payload { "created": "2024-01-01T00:00:00Z" }, as the signed bytes carry it.
const JWS = `h.${Buffer.from('{"created":"2024-01-01T00:00:00Z"}').toString('base64url')}.s`;

/** A plan to publish file `r/a` of transaction t1 into local repository `r`, seen empty. */
function planOfA(): PublicationPlan {
  return {
    txId: 't1',
    seen: [{ repo: 'r', path: 'a', state: undefined }],
    repos: [{ key: 'r', rclass: 'local' }],
    bundle: { name: 'b', version: '1.0', payloadSha256: 'c', jws: JWS, kid: 'k', txId: 't1', created: '', committed: 9, totalSize: 1 },
    files: [{ ...file('a', 1), properties: {} }],
  };
}

function transaction(id: string, files: [path: string, n: number][], version = '1.0'): TransactionRecord {
  return {
    id,
    name: 'b',
    version,
    payloadSha256: 'c'.repeat(64),
    jws: JWS,
    kid: '0123456789abcdef',
    state: 'OPEN',
    created: 1,
    lastActivity: 1,
    closed: null,
    by: 'admin',
    files: files.map(([path, n]) => ({
      repoPath: `r/${path}`,
      repo: 'r',
      path,
      sha256: sum(n).sha256,
      size: n,
      props: [{ key: 'k', values: [String(n)] }],
      state: 'MISSING',
      checksums: null,
    })),
  };
}

/**
 * What every metadata store promises (edge/storage/metadata.ts, bundles.ts), whatever keeps the
 * rows: SQLite today, PostgreSQL later. Each test starts from an empty store.
 */
export function describeMetadataStoreContract(name: string, open: () => Promise<MetadataStoreUnderTest>): void {
  describe(`metadata store contract: ${name}`, () => {
    let underTest: MetadataStoreUnderTest;
    let store: MetadataStore;
    beforeEach(async () => {
      underTest = await open();
      store = underTest.store;
      await store.repos.create({ key: 'r', rclass: 'local', packageType: 'generic', config: {}, created: 1 });
    });
    afterEach(() => underTest.dispose());

    const paths = async (repo = 'r') => (await store.items.descendants(repo, '', Infinity)).map((i) => `${i.folder ? 'd' : 'f'}:${i.path}`);
    const everything = async () => ({ items: await paths(), bundles: await store.bundles.bundles(), txs: await store.bundles.transactions() });

    async function openTransaction(tx: TransactionRecord, present = tx.files.length): Promise<void> {
      await store.bundles.createTransaction(tx);
      for (const [i, f] of tx.files.slice(0, present).entries()) await store.bundles.markPresent(tx.id, f.repoPath, 2, sum(Number(tx.files[i]?.size)));
    }

    describe('meta and repositories', () => {
      it('setIfAbsent keeps the first value', async () => {
        expect(await store.meta.setIfAbsent('id', 'one')).toBe('one');
        expect(await store.meta.setIfAbsent('id', 'two')).toBe('one');
        expect(await store.meta.get('id')).toBe('one');
      });

      it('EDGE-HA-2: put replaces a value; withPrefix lists the keys under a prefix only, by key, as another handle sees them', async () => {
        await store.meta.put('node/b', '2');
        await store.meta.put('node/a', '1');
        await store.meta.put('node/a', '3');
        await store.meta.put('nodes', 'x');
        await store.meta.put('nod', 'y');
        expect(await store.meta.withPrefix('node/')).toEqual([
          ['node/a', '3'],
          ['node/b', '2'],
        ]);
        const other = await underTest.another?.();
        if (other) expect(await other.meta.withPrefix('node/')).toEqual(await store.meta.withPrefix('node/'));
      });

      it('creating an existing repository is REPO_EXISTS and changes nothing', async () => {
        const err = await refusal(() => store.repos.create({ key: 'r', rclass: 'remote', packageType: 'npm', config: {}, created: 2 }));
        expect(err.code).toBe('REPO_EXISTS');
        expect((await store.repos.get('r'))?.rclass).toBe('local');
      });

      it('deleting a repository removes its items and returns their content', async () => {
        await store.items.putFile(file('a/x', 1));
        expect(await store.repos.delete('r')).toEqual([sum(1).sha256]);
        expect(await store.repos.list()).toEqual([]);
        expect(await store.items.get('r', 'a/x')).toBeUndefined();
      });
    });

    describe('item tree', () => {
      it('a file implies its folders, children list folders first', async () => {
        await store.items.putFile(file('a/b/c.txt', 1));
        await store.items.putFile(file('a/z.txt', 2));
        expect(await paths()).toEqual(['d:a', 'd:a/b', 'f:a/b/c.txt', 'f:a/z.txt']);
        expect((await store.items.children('r', 'a')).map((i) => i.path)).toEqual(['a/b', 'a/z.txt']);
        expect((await store.items.descendants('r', 'a', 1)).map((i) => i.path)).toEqual(['a/b', 'a/z.txt']);
      });

      it('replacing a file reports the replaced one and replaces its properties', async () => {
        await store.items.putFile(file('x', 1, { properties: { k: ['1'] } }));
        const { replaced } = await store.items.putFile(file('x', 2));
        expect(replaced?.checksums?.sha256).toBe(sum(1).sha256);
        expect(await store.properties.get('r', 'x')).toEqual({});
      });

      it('a file where a folder is (and the reverse) is ITEM_TYPE_CONFLICT and writes nothing', async () => {
        await store.items.putFile(file('a/b', 1));
        expect((await refusal(() => store.items.putFile(file('a', 2)))).code).toBe('ITEM_TYPE_CONFLICT');
        expect((await refusal(() => store.items.putFile(file('a/b/c', 3)))).code).toBe('ITEM_TYPE_CONFLICT');
        expect((await refusal(() => store.items.putFolder('r', 'a/b/d', 'admin', 4))).code).toBe('ITEM_TYPE_CONFLICT');
        expect(await paths()).toEqual(['d:a', 'f:a/b']);
      });

      it('putFolder creates missing parents once', async () => {
        expect(await store.items.putFolder('r', 'a/b', 'admin', 1)).toBe(true);
        expect(await store.items.putFolder('r', 'a/b', 'admin', 2)).toBe(false);
        expect(await paths()).toEqual(['d:a', 'd:a/b']);
      });

      it('deleteItems removes a tree: its files, then its folders left empty', async () => {
        await store.items.putFile(file('a/b/c', 1));
        await store.items.putFile(file('a/d', 2));
        await store.items.putFile(file('e', 3));
        const tree = (await store.items.descendants('r', 'a', Infinity)).map((i) => i.path);
        expect((await store.items.deleteItems('r', ['a', ...tree])).sort()).toEqual([sum(1).sha256, sum(2).sha256]);
        expect(await paths()).toEqual(['f:e']);
      });

      it('copyItems copies a tree with its properties; a move removes the source', async () => {
        await store.items.putFile(file('a/b', 1, { properties: { k: ['v'] } }));
        const tree = ['a', 'a/b'];
        expect(await store.items.copyItems({ repo: 'r', path: 'a' }, { repo: 'r', path: 'c/a' }, tree, { move: false, by: 'admin', at: 2 })).toEqual({
          files: 1,
          folders: 1,
          released: [],
        });
        expect(await store.properties.get('r', 'c/a/b')).toEqual({ k: ['v'] });
        await store.items.copyItems({ repo: 'r', path: 'a' }, { repo: 'r', path: 'm' }, tree, { move: true, by: 'admin', at: 3 });
        expect(await paths()).toEqual(['d:c', 'd:c/a', 'f:c/a/b', 'd:m', 'f:m/b']);
      });

      it('a copy onto a path of the other kind is ITEM_TYPE_CONFLICT and copies nothing', async () => {
        await store.items.putFile(file('a/b', 1));
        await store.items.putFile(file('a/c', 2));
        await store.items.putFile(file('t/c/x', 3));
        const err = await refusal(() =>
          store.items.copyItems({ repo: 'r', path: 'a' }, { repo: 'r', path: 't' }, ['a', 'a/b', 'a/c'], { move: true, by: 'admin', at: 4 }),
        );
        expect(err.code).toBe('ITEM_TYPE_CONFLICT');
        expect(await paths()).toEqual(['d:a', 'f:a/b', 'f:a/c', 'd:t', 'd:t/c', 'f:t/c/x']);
      });

      it('withChecksum finds files by each checksum, only in the given repositories', async () => {
        await store.items.putFile(file('x', 7));
        for (const algorithm of ['sha256', 'sha1', 'md5'] as const) {
          expect((await store.items.withChecksum(algorithm, sum(7)[algorithm], ['r'])).map((i) => i.path)).toEqual(['x']);
        }
        expect(await store.items.withChecksum('sha256', sum(7).sha256, [])).toEqual([]);
        expect(await store.items.withChecksum('sha256', sum(7).sha256, ['other'])).toEqual([]);
      });
      it('descendants takes any depth bound: a finite one past every path, as a listing of all depths asks', async () => {
        await store.items.putFile(file('a/b/c', 1));
        expect((await store.items.descendants('r', 'a', Number.MAX_SAFE_INTEGER)).map((i) => i.path)).toEqual(['a/b', 'a/b/c']);
      });
    });

    describe('smart remote cache (EDGE-SR-12, EDGE-SR-15)', () => {
      const origin = { remoteUrl: 'http://up/artifactory/x/a/f', checked: 5, originAbsent: false };

      it('EDGE-SR-12: a cached file is an item with its origin, stored in one step', async () => {
        await store.remoteCache.putCached(file('a/f', 1, { properties: { k: ['v'] } }), origin);
        expect(await paths()).toEqual(['d:a', 'f:a/f']);
        expect(await store.remoteCache.origin('r', 'a/f')).toEqual(origin);
        expect(await store.properties.get('r', 'a/f')).toEqual({ k: ['v'] });
      });

      it('EDGE-SR-15: a check is recorded on the cached file only', async () => {
        await store.remoteCache.putCached(file('f', 1), origin);
        await store.remoteCache.markChecked('r', 'f', 9, true);
        await store.remoteCache.markChecked('r', 'nothing', 9, true);
        expect(await store.remoteCache.origin('r', 'f')).toEqual({ ...origin, checked: 9, originAbsent: true });
        expect(await store.remoteCache.origin('r', 'nothing')).toBeUndefined();
      });

      it('EDGE-SR-16: the origin goes with its file; a refused write stores neither', async () => {
        await store.remoteCache.putCached(file('f', 1), origin);
        await store.items.deleteItems('r', ['f']);
        expect(await store.remoteCache.origin('r', 'f')).toBeUndefined();
        await store.items.putFolder('r', 'd', 'admin', 1);
        await expect(store.remoteCache.putCached(file('d', 2), origin)).rejects.toMatchObject({ code: 'ITEM_TYPE_CONFLICT' });
        expect(await store.remoteCache.origin('r', 'd')).toBeUndefined();
      });
    });

    describe('properties', () => {
      it('patch: a list replaces the values of its key, null removes the key, others stay', async () => {
        await store.items.putFile(file('x', 1, { properties: { a: ['1'], b: ['2'] } }));
        await store.properties.patch('r', ['x'], { a: ['3', '4'], b: null });
        expect(await store.properties.get('r', 'x')).toEqual({ a: ['3', '4'] });
      });

      it('a property value longer than any index entry is stored and read back whole', async () => {
        // Hardly compressible, as a real value (a signature, a manifest) is.
        const long = Array.from({ length: 4_000 }, (_, i) => ((i * 7_919) % 10_007).toString(36)).join('');
        await store.items.putFile(file('x', 1, { properties: { k: [long, 'short'] } }));
        await store.properties.patch('r', ['x'], { j: [long] });
        expect(await store.properties.get('r', 'x')).toEqual({ j: [long], k: [long, 'short'] });
      });
    });

    describe('users, permissions and tokens', () => {
      it('users and permission targets are upserted and deleted once', async () => {
        const user = { name: 'u', email: 'u@x', passwordHash: 'h', admin: false, groups: ['g'], created: 1 };
        await store.users.put(user);
        await store.users.put({ ...user, admin: true });
        expect(await store.users.get('u')).toEqual({ ...user, admin: true });
        expect(await store.users.delete('u')).toBe(true);
        expect(await store.users.delete('u')).toBe(false);
        const target = { name: 'p', repositories: ['r'], includePatterns: ['**'], excludePatterns: [], users: { u: ['read'] }, groups: {} };
        await store.users.putPermission(target);
        expect(await store.users.permissions()).toEqual([target]);
        expect(await store.users.deletePermission('p')).toBe(true);
        expect(await store.users.getPermission('p')).toBeUndefined();
      });

      it('a token is revoked once; replace revokes the old one and adds the next, or does nothing', async () => {
        const token = (id: string): TokenRecord => ({
          id,
          subject: 's',
          scope: 'x',
          audience: ['*'],
          description: '',
          issued: 1,
          expiry: 9,
          refreshHash: `h-${id}`,
          revoked: null,
        });
        await store.tokens.add(token('t1'));
        expect(await store.tokens.byRefreshHash('h-t1')).toEqual(token('t1'));
        expect(await store.tokens.replace('t1', token('t2'), 5)).toBe(true);
        expect(await store.tokens.replace('t1', token('t3'), 6)).toBe(false);
        expect((await store.tokens.list()).map((t) => [t.id, t.revoked])).toEqual([
          ['t1', 5],
          ['t2', null],
        ]);
        expect(await store.tokens.revoke('t2', 7)).toBe(true);
        expect(await store.tokens.revoke('nope', 7)).toBe(false);
      });
    });

    describe('security versions across processes', () => {
      it("EDGE-AUTH-11: a write through another handle moves this handle's version()", async () => {
        if (!underTest.another) return;
        const other = await underTest.another();
        const moves = async (version: () => number, write: () => Promise<unknown>) => {
          const before = version();
          // Nothing written: it stands still, or caches could never trust it.
          expect(version()).toBe(before);
          await write();
          await vi.waitFor(() => expect(version()).toBeGreaterThan(before), { timeout: 2_000, interval: 20 });
        };
        const user = { name: 'u', email: 'u@x', passwordHash: 'h', admin: false, groups: [], created: 1 };
        await moves(
          () => store.users.version(),
          () => other.users.put(user),
        );
        await moves(
          () => store.users.version(),
          () => other.users.putPermission({ name: 'p', repositories: [], includePatterns: [], excludePatterns: [], users: {}, groups: {} }),
        );
        await moves(
          () => store.users.version(),
          () => other.users.delete('u'),
        );
        const token: TokenRecord = { id: 't', subject: 's', scope: 'x', audience: [], description: '', issued: 1, expiry: 9, refreshHash: null, revoked: null };
        await moves(
          () => store.tokens.version(),
          () => other.tokens.add(token),
        );
        await moves(
          () => store.tokens.version(),
          () => other.tokens.revoke('t', 2),
        );
      });
    });

    describe('security versions confirmed', () => {
      it("EDGE-AUTH-11: once confirmVersion() resolves, this handle's version() has moved for every write another handle committed before", async () => {
        if (!underTest.another) return;
        const other = await underTest.another();
        await store.users.confirmVersion();
        const users = store.users.version();
        const tokens = store.tokens.version();
        await other.users.put({ name: 'u', email: 'u@x', passwordHash: 'h', admin: false, groups: [], created: 1 });
        await other.tokens.add({ id: 't', subject: 's', scope: 'x', audience: [], description: '', issued: 1, expiry: 9, refreshHash: null, revoked: null });
        await store.users.confirmVersion();
        expect([store.users.version() > users, store.tokens.version() > tokens]).toEqual([true, true]);
      });
    });

    describe('trusted keys', () => {
      const key = (kid: string, alias: string): TrustedKeyRecord => ({
        kid,
        alias,
        fingerprint: `f-${kid}`,
        publicKey: 'k',
        algorithm: 'RSA',
        bits: 2048,
        issued: 1,
        issuedBy: 'x',
        expiry: 0,
        added: 1,
      });
      it('EDP-KEY-5: one alias, one key; a duplicate is KEY_DUPLICATE and adds nothing', async () => {
        await store.bundles.addKey(key('k1', 'a'));
        expect((await refusal(() => store.bundles.addKey(key('k2', 'a')))).code).toBe('KEY_DUPLICATE');
        expect((await refusal(() => store.bundles.addKey(key('k1', 'b')))).code).toBe('KEY_DUPLICATE');
        expect((await store.bundles.keys()).map((k) => k.kid)).toEqual(['k1']);
        expect(await store.bundles.removeKey('k1')).toBe(true);
      });
    });

    describe('transactions and bundles', () => {
      it('createTransaction under a race: one OPEN transaction per name/version, the others get its id', async () => {
        const ids = await Promise.all(['t1', 't2', 't3'].map((id) => store.bundles.createTransaction(transaction(id, [['a', 1]]))));
        expect(new Set(ids).size).toBe(1);
        expect(await store.bundles.transactions('OPEN')).toHaveLength(1);
      });

      it('EDP-TX-3: a transaction lists its files in bundle order, not path order', async () => {
        const order = ['z', 'b/c', 'a', 'b/a'];
        await store.bundles.createTransaction(
          transaction(
            't1',
            order.map((path, i) => [path, i + 1]),
          ),
        );
        expect((await store.bundles.transaction('t1'))?.files.map((f) => f.path)).toEqual(order);
        expect((await store.bundles.transactions())[0]?.files.map((f) => f.path)).toEqual(order);
      });

      it('markPresent records the checksums and counts as a reference; only while OPEN', async () => {
        const tx = transaction('t1', [['a', 1]]);
        await openTransaction(tx);
        expect((await store.bundles.fileOf('t1', 'r/a'))?.file).toMatchObject({ state: 'PRESENT', checksums: sum(1) });
        expect(await store.bundles.checksumsOf(sum(1).sha256)).toEqual(sum(1));
        expect(await store.items.referencesTo(sum(1).sha256)).toBe(1);
        expect(await store.bundles.close('t1', 'ABORTED', 3)).toEqual([sum(1).sha256]);
        expect(await store.items.referencesTo(sum(1).sha256)).toBe(0);
        const err = await refusal(() => store.bundles.markPresent('t1', 'r/a', 4, sum(1)));
        expect([err.code, err.message]).toEqual(['EDP_TX_CLOSED', 'Transaction t1 is ABORTED.']);
        expect((await refusal(() => store.bundles.close('t1', 'EXPIRED', 5))).code).toBe('EDP_TX_CLOSED');
      });

      it('stale lists OPEN transactions idle since before the given time', async () => {
        await openTransaction(transaction('t1', [['a', 1]]), 0);
        expect((await store.bundles.stale(2)).map((t) => t.id)).toEqual(['t1']);
        expect(await store.bundles.stale(1)).toEqual([]);
      });

      it('EDP-PUB-1: a commit publishes items, properties and the bundle together', async () => {
        await openTransaction(
          transaction('t1', [
            ['a/x', 1],
            ['y', 2],
          ]),
        );
        const bundle = await publishTransaction(store, 't1', 9, UPLOADS);
        expect(bundle).toMatchObject({ name: 'b', version: '1.0', txId: 't1', created: '2024-01-01T00:00:00Z', committed: 9, totalSize: 3 });
        expect(await store.bundles.bundle('b', '1.0')).toEqual(bundle);
        expect(await paths()).toEqual(['d:a', 'f:a/x', 'f:y']);
        expect(await store.properties.get('r', 'a/x')).toEqual({ k: ['1'] });
        expect((await store.bundles.transactionHead('t1'))?.state).toBe('COMMITTED');
        expect(await store.bundles.bundlesInRepo('r')).toEqual([{ name: 'b', version: '1.0' }]);
      });

      it('EDP-PUB-1: a commit of 2,500 files that fails at its last write, or at a write halfway, publishes nothing; committed again, all of it', async () => {
        if (!underTest.another) return;
        // More files than one batch of a store that writes in batches (PostgreSQL: 1,000), so
        // the write halfway lands after a whole batch has been written.
        const many = transaction(
          't1',
          Array.from({ length: 2500 }, (_, i): [string, number] => [`d${i % 7}/f${i}`, i + 1]),
        );
        await store.bundles.createTransaction(many);
        await Promise.all(many.files.map((f) => store.bundles.markPresent('t1', f.repoPath, 2, sum(f.size))));
        let writes = 0;
        let failAt = (sql: string, _n: number) => /SET state = 'COMMITTED'/.test(sql);
        const failing = await underTest.another({
          beforeWrite: (sql) => {
            if (failAt(sql, ++writes)) throw new Error(`injected failure at write ${writes}`);
          },
        });
        const before = await everything();
        await expect(publishTransaction(failing, 't1', 9, UPLOADS)).rejects.toThrow(/injected failure/);
        expect(await everything()).toEqual(before);
        const half = Math.ceil(writes / 2);
        writes = 0;
        failAt = (_sql, n) => n === half;
        await expect(publishTransaction(failing, 't1', 9, UPLOADS)).rejects.toThrow(`injected failure at write ${half}`);
        expect(await everything()).toEqual(before);
        failAt = () => false;
        expect(await publishTransaction(failing, 't1', 9, UPLOADS)).toMatchObject({ name: 'b', totalSize: (2500 * 2501) / 2 });
        expect((await paths()).filter((p) => p.startsWith('f:'))).toHaveLength(2500);
        expect(await store.properties.get('r', 'd0/f2499')).toEqual({ k: ['2500'] });
        expect((await store.bundles.transactionHead('t1'))?.state).toBe('COMMITTED');
      }, 120_000);

      it('EDP-TX-8: a commit with a file not PRESENT is EDP_INCOMPLETE and changes nothing', async () => {
        await openTransaction(
          transaction('t1', [
            ['a', 1],
            ['b', 2],
          ]),
          1,
        );
        const before = await everything();
        const err = await refusal(() => publishTransaction(store, 't1', 9, UPLOADS));
        expect([err.code, err.details]).toEqual(['EDP_INCOMPLETE', { missing: ['r/b'] }]);
        expect(await everything()).toEqual(before);
      });

      it.each([
        ['the file first', ['a', 'a/b']],
        ['the file last', ['a/b', 'a']],
      ])('EDP-TX-8: refuses a file of the bundle that is the folder of another (%s) with EDP_PATH_CONFLICT, writing nothing', async (_label, [p, q]) => {
        await openTransaction(
          transaction('t1', [
            [p as string, 1],
            [q as string, 2],
          ]),
        );
        const err = await refusal(() => publishTransaction(store, 't1', 3, UPLOADS));
        expect(err.code).toBe('EDP_PATH_CONFLICT');
        expect(err.message).toBe('r/a is a file of this bundle and a folder of r/a/b.');
        expect(await paths()).toEqual([]);
        expect(await store.bundles.bundles()).toEqual([]);
        expect((await store.bundles.transactionHead('t1'))?.state).toBe('OPEN');
      });

      it.each([
        ['other content at the path', file('a/x', 5)],
        ['a file where the bundle needs a folder', file('a', 5)],
        ['a folder where the bundle needs a file', file('y/z', 5)],
      ])('EDP-TX-8: %s is EDP_PATH_CONFLICT and changes nothing', async (_label, existing) => {
        await store.items.putFile(existing);
        await openTransaction(
          transaction('t1', [
            ['a/x', 1],
            ['y', 2],
          ]),
        );
        const before = await everything();
        expect((await refusal(() => publishTransaction(store, 't1', 9, UPLOADS))).code).toBe('EDP_PATH_CONFLICT');
        expect(await everything()).toEqual(before);
      });

      it('EDP-TX-6: a missing or non-local target repository refuses the commit', async () => {
        await openTransaction(transaction('t1', [['a', 1]]));
        await store.repos.delete('r');
        expect((await refusal(() => publishTransaction(store, 't1', 9, UPLOADS))).code).toBe('EDP_REPO_MISSING');
        await store.repos.create({ key: 'r', rclass: 'remote', packageType: 'generic', config: {}, created: 1 });
        expect((await refusal(() => publishTransaction(store, 't1', 9, UPLOADS))).code).toBe('EDP_REPO_INVALID');
        expect((await store.bundles.transactionHead('t1'))?.state).toBe('OPEN');
      });

      it('publish is a compare-and-set: a plan whose paths changed, or whose transaction closed, writes nothing', async () => {
        await openTransaction(transaction('t1', [['a', 1]]));
        const plan = planOfA();
        await store.items.putFile(file('a', 1));
        expect(await store.bundles.publish(plan)).toBeUndefined();
        await store.items.deleteItems('r', ['a']);
        await store.bundles.close('t1', 'ABORTED', 5);
        expect(await store.bundles.publish(plan)).toBeUndefined();
        expect(await everything()).toMatchObject({ items: [], bundles: [] });
      });

      it('EDP-TX-6, EDP-TX-8: publish is a compare-and-set on the target repositories too: one deleted or reclassified since the plan writes nothing', async () => {
        await openTransaction(transaction('t1', [['a', 1]]));
        const plan = planOfA();
        await store.repos.delete('r');
        expect(await store.bundles.publish(plan)).toBeUndefined();
        await store.repos.create({ key: 'r', rclass: 'remote', packageType: 'generic', config: {}, created: 2 });
        expect(await store.bundles.publish(plan)).toBeUndefined();
        expect(await everything()).toMatchObject({ items: [], bundles: [] });
        expect((await store.bundles.transactionHead('t1'))?.state).toBe('OPEN');
      });

      it.each([
        ['deleted', 'EDP_REPO_MISSING', () => store.repos.delete('r')],
        [
          'reclassified',
          'EDP_REPO_INVALID',
          () => store.repos.delete('r').then(() => store.repos.create({ key: 'r', rclass: 'remote', packageType: 'generic', config: {}, created: 2 })),
        ],
      ])(
        'EDP-TX-6, EDP-TX-8: a target repository %s between planning and publishing sends the commit round again, to be refused with %s',
        async (_label, code, change) => {
          await openTransaction(transaction('t1', [['a', 1]]));
          // The store as a concurrent request would leave it: the repository changes right after
          // the rules planned, before the plan is applied.
          let raced = false;
          const bound = <T extends object>(target: T, key: string | symbol) => {
            const value = Reflect.get(target, key, target);
            return typeof value === 'function' ? value.bind(target) : value;
          };
          const bundles = new Proxy(store.bundles, {
            get: (target, key) =>
              key === 'publish'
                ? async (plan: Parameters<typeof target.publish>[0]) => {
                    if (!raced) {
                      raced = true;
                      await change();
                    }
                    return target.publish(plan);
                  }
                : bound(target, key),
          });
          const racing = new Proxy(store, { get: (target, key) => (key === 'bundles' ? bundles : bound(target, key)) });
          expect((await refusal(() => publishTransaction(racing, 't1', 9, UPLOADS))).code).toBe(code);
          expect(raced).toBe(true);
          expect(await store.bundles.bundles()).toEqual([]);
          expect((await store.bundles.transactionHead('t1'))?.state).toBe('OPEN');
        },
      );

      it('a commit of a closed transaction is EDP_TX_CLOSED', async () => {
        await openTransaction(transaction('t1', [['a', 1]]));
        await publishTransaction(store, 't1', 9, UPLOADS);
        const err = await refusal(() => publishTransaction(store, 't1', 10, UPLOADS));
        expect([err.code, err.message]).toEqual(['EDP_TX_CLOSED', 'Transaction t1 is COMMITTED.']);
      });

      it('EDP-PUB-5: deleteBundle keeps files another bundle holds with the same content', async () => {
        await openTransaction(
          transaction('t1', [
            ['a', 1],
            ['b', 2],
          ]),
        );
        await publishTransaction(store, 't1', 9, UPLOADS);
        await openTransaction(transaction('t2', [['a', 1]], '2.0'));
        await publishTransaction(store, 't2', 10, UPLOADS);
        expect(await store.bundles.deleteBundle('b', '1.0')).toEqual([sum(2).sha256]);
        expect(await paths()).toEqual(['f:a']);
        expect((await refusal(() => store.bundles.deleteBundle('b', '1.0'))).code).toBe('EDP_BUNDLE_UNKNOWN');
      });

      it('EDP-PUB-5: deleteBundle removes the folders its files leave empty, and only those', async () => {
        await openTransaction(
          transaction('t1', [
            ['d/e/x', 1],
            ['k/z', 3],
          ]),
        );
        await publishTransaction(store, 't1', 9, UPLOADS);
        await openTransaction(transaction('t2', [['k/w', 4]], '2.0'));
        await publishTransaction(store, 't2', 10, UPLOADS);
        await store.bundles.deleteBundle('b', '1.0');
        expect(await paths()).toEqual(['d:k', 'f:k/w']);
      });

      it('referencedContent names files and content staged by OPEN transactions only', async () => {
        await store.items.putFile(file('x', 1));
        await openTransaction(transaction('t1', [['a', 2]]));
        await openTransaction(transaction('t2', [['a', 3]], '2.0'));
        await store.bundles.close('t2', 'EXPIRED', 4);
        expect(await store.referencedContent()).toEqual(new Set([sum(1).sha256, sum(2).sha256]));
      });
    });

    describe('upstream memory (EDGE-HA-5)', () => {
      it('EDGE-HA-5: a miss and an offline period hold until their time, per path and repository, and go with forget', async () => {
        const memory = store.upstreamMemory;
        await memory.rememberMiss('r', 'a/f', 100, 1);
        await memory.rememberOffline('r', 50);
        expect([
          await memory.missed('r', 'a/f', 99),
          await memory.missed('r', 'a/f', 100),
          await memory.missed('r', 'a/g', 1),
          await memory.missed('s', 'a/f', 1),
        ]).toEqual([true, false, false, false]);
        expect([await memory.offline('r', 49), await memory.offline('r', 50), await memory.offline('s', 1)]).toEqual([true, false, false]);
        // A later miss of the same path moves its time; a new miss lets go of the lapsed ones.
        await memory.rememberMiss('r', 'a/f', 300, 2);
        await memory.rememberMiss('r', 'b', 400, 350);
        expect([await memory.missed('r', 'a/f', 299), await memory.missed('r', 'b', 399)]).toEqual([false, true]);
        await memory.forget('r');
        expect([await memory.missed('r', 'b', 1), await memory.offline('r', 1)]).toEqual([false, false]);
      });

      it('EDGE-HA-5: another process sharing the store honours a miss and an offline period', async () => {
        if (!underTest.another) return;
        const other = await underTest.another();
        await store.upstreamMemory.rememberMiss('r', 'f', 100, 1);
        await store.upstreamMemory.rememberOffline('r', 100);
        expect([await other.upstreamMemory.missed('r', 'f', 2), await other.upstreamMemory.offline('r', 2)]).toEqual([true, true]);
      });

      it('EDGE-HA-5: one claim of a download holds at a time; it lapses, is renewed, and ends with an outcome for the one waiting on it', async () => {
        const memory = store.upstreamMemory;
        expect(await memory.claimFetch('r', 'f', 'A', 100, 1)).toEqual({ taken: true });
        expect(await memory.claimFetch('r', 'f', 'B', 100, 2)).toEqual({ taken: false, holder: 'A', outcome: null });
        expect(await memory.claimFetch('r', 'g', 'B', 100, 2)).toEqual({ taken: true });
        // Renewed by its holder only, so it outlives its first time.
        expect(await memory.renewFetch('r', 'f', 'B', 500)).toBe(false);
        expect(await memory.renewFetch('r', 'f', 'A', 200)).toBe(true);
        expect(await memory.claimFetch('r', 'f', 'B', 300, 150, 'A')).toEqual({ taken: false, holder: 'A', outcome: null });
        // Ended: the one waiting on A learns the outcome; anyone else may claim again.
        await memory.endFetch('r', 'f', 'A', 'missed', 400);
        expect(await memory.renewFetch('r', 'f', 'A', 500)).toBe(false);
        expect(await memory.claimFetch('r', 'f', 'B', 500, 160, 'A')).toEqual({ taken: false, holder: 'A', outcome: 'missed' });
        expect(await memory.claimFetch('r', 'f', 'C', 500, 160)).toEqual({ taken: true });
        // A holder that died: its claim lapses, and the next one takes it over.
        expect(await memory.claimFetch('r', 'f', 'D', 900, 501, 'C')).toEqual({ taken: true });
      });

      it('EDGE-HA-5: of two processes claiming one download at once, exactly one takes it', async () => {
        if (!underTest.another) return;
        const other = await underTest.another();
        const claims = await Promise.all([
          ...Array.from({ length: 5 }, (_, i) => store.upstreamMemory.claimFetch('r', 'f', `s${i}`, 100, 1)),
          ...Array.from({ length: 5 }, (_, i) => other.upstreamMemory.claimFetch('r', 'f', `o${i}`, 100, 1)),
        ]);
        expect(claims.filter((claim) => claim.taken)).toHaveLength(1);
      });
    });

    describe('job leases', () => {
      it('EDGE-OPS-8: a job runs once at a time; another job, and the same job afterwards, run', async () => {
        let release = () => {};
        const first = store.leases.runExclusive('sweep', () => new Promise<string>((resolve) => (release = () => resolve('first'))));
        expect(await store.leases.runExclusive('sweep', async () => 'second')).toBeUndefined();
        expect(await store.leases.runExclusive('expiry', async () => 'other job')).toBe('other job');
        release();
        expect(await first).toBe('first');
        expect(await store.leases.runExclusive('sweep', async () => 'again')).toBe('again');
      });

      it('EDGE-OPS-8: a job that throws gives its lease back', async () => {
        await expect(store.leases.runExclusive('sweep', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
        expect(await store.leases.runExclusive('sweep', async () => 'next')).toBe('next');
      });

      it('EDGE-OPS-8: another process sharing the store does not run a job this one holds, and takes over a lapsed lease', async () => {
        if (!underTest.another) return;
        const other = await underTest.another();
        let release = () => {};
        const held = store.leases.runExclusive('sweep', () => new Promise<void>((resolve) => (release = resolve)));
        expect(await other.leases.runExclusive('sweep', async () => 'other process')).toBeUndefined();
        release();
        await held;
        // A holder that died: its lease lapsed at once, so the next one takes it over.
        let hang = () => {};
        const dead = store.leases.runExclusive('expiry', () => new Promise<void>((resolve) => (hang = resolve)), -1);
        expect(await other.leases.runExclusive('expiry', async () => 'took over')).toBe('took over');
        hang();
        await dead;
      });
    });
  });
}
