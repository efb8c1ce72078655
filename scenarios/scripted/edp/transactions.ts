import { signBundle } from '../../../protocol/bundle/index.ts';
import { ApiError } from '../../../protocol/clients/index.ts';
import { EDP_BASE } from '../../../protocol/wire/edp.ts';
import { commit, distribute, signedBundle, signingKey, start, uploadFile, type BundleFile } from '../../kit/bundles.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { bundleTarget, cleanUpTransaction, edpState, expectEdpError, fileStates, freshFile, open, refusalSeries, statusOf } from '../../kit/transactions.ts';
import { repo } from '../../kit/world.ts';

/**
 * EDP-TX-3 … EDP-TX-8: starting a transaction, asking for it and committing it, the harness
 * playing Distribution and the source.
 */

/** The repository JFrog's Edge keeps for its users' own uploads: never a bundle target. */
const UPLOADS = 'artifactory-edge-uploads';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

/** The files of a transaction as the protocol shows them, in bundle order. */
const filesOf = (files: BundleFile[], states: string[]) =>
  files.map((f, i) => ({ repo_path: f.repoPath, checksum: expect.stringMatching(/^[0-9a-f]{64}$/), size: f.bytes.length, state: states[i] }));

export const transactionScenarios = [
  scenario({
    id: 'edp/start-answers-the-transaction',
    title: 'start answers 201 with the OPEN transaction, one file per artifact in bundle order, PRESENT where the Edge holds the content',
    requirements: ['EDP-TX-3', 'EDP-TX-7', 'EDP-FILE-8'],
    async run(t) {
      const target = await bundleTarget(t);
      const held = freshFile(t, `${target}/held/first.bin`);
      await t.step('publish content the next bundle shares', async () => distribute(t, await signedBundle(t, t.name('holder'), '1.0', [held])));
      const files = [freshFile(t, `${target}/new/a.bin`), { repoPath: `${target}/new/held-copy.bin`, bytes: held.bytes }, freshFile(t, `${target}/new/b.bin`)];
      const bundle = await signedBundle(t, t.name('started'), '1.0', files);
      const opened = await t.step('start', () => open(t, bundle));
      const expected = {
        state: 'OPEN',
        name: bundle.payload.name,
        version: '1.0',
        expires_at: expect.stringMatching(ISO_INSTANT),
        files: filesOf(files, ['MISSING', 'PRESENT', 'MISSING']),
      };
      expect(opened.transaction).toMatchObject({ id: expect.stringMatching(/\S/), ...expected });
      expect(opened.transaction.files.map((f) => f.checksum)).toEqual(bundle.payload.artifacts.map((a) => a.checksum));
      await t.step('GET shows the same transaction', async () => {
        const res = await t.http('GET', `${EDP_BASE}/transactions/${encodeURIComponent(opened.id)}`);
        expect(res.status, res.text).toBe(200);
        expect(res.json()).toMatchObject({ id: opened.id, ...expected });
      });
    },
  }),

  scenario({
    id: 'edp/start-is-idempotent',
    title: 'the same signed payload started again answers 200 with the same transaction, OPEN or COMMITTED, and changes nothing',
    requirements: ['EDP-TX-4', 'EDP-TX-8', 'EDP-FILE-1'],
    async run(t) {
      const target = await bundleTarget(t);
      const bundle = await signedBundle(t, t.name('idem'), '1.0', [freshFile(t, `${target}/idem/a.bin`), freshFile(t, `${target}/idem/b.bin`)]);
      const { id } = await t.step('start', () => open(t, bundle));
      await t.step('start again while OPEN', async () => {
        const again = await start(t, bundle.jws);
        expect(again.status, again.text).toBe(200);
        expect(again.json()).toMatchObject({ id, state: 'OPEN' });
      });
      await t.step('send the files and commit', async () => {
        for (const file of bundle.files) expect((await uploadFile(t, id, file)).status).toBe(201);
        expect((await commit(t, id)).status).toBe(200);
      });
      const before = await edpState(t);
      await t.step('start again once COMMITTED: the outcome, nothing done', async () => {
        const replay = await start(t, bundle.jws);
        expect(replay.status, replay.text).toBe(200);
        expect(replay.json()).toMatchObject({ id, state: 'COMMITTED' });
      });
      await t.step('commit again', async () => expectEdpError(await commit(t, id), 409, 'EDP_TX_CLOSED'));
      await t.step('send a file again', async () => expectEdpError(await uploadFile(t, id, bundle.files[0] as BundleFile), 409, 'EDP_TX_CLOSED'));
      expect(await edpState(t)).toEqual(before);
    },
  }),

  scenario({
    id: 'edp/concurrent-starts-open-one',
    title: 'six simultaneous starts of one bundle open exactly one transaction',
    requirements: ['EDP-TX-4'],
    async run(t) {
      const target = await bundleTarget(t);
      const bundle = await signedBundle(t, t.name('concurrent'), '1.0', [freshFile(t, `${target}/concurrent/a.bin`)]);
      const answers = await Promise.all(Array.from({ length: 6 }, () => start(t, bundle.jws)));
      const ids = new Set(answers.map((a) => (a.json() as { id: string }).id));
      for (const id of ids) cleanUpTransaction(t, id);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
      expect(ids.size).toBe(1);
      const open = (await t.clients().edp.transactions('OPEN')).filter((tx) => tx.name === bundle.payload.name);
      expect(open).toHaveLength(1);
    },
  }),

  scenario({
    id: 'edp/name-version-immutable',
    title: 'another payload under a name/version that is OPEN or COMMITTED is 409 EDP_BUNDLE_IMMUTABLE, even the same JSON in other bytes',
    requirements: ['EDP-TX-5', 'EDP-SIG-8'],
    async run(t) {
      const target = await bundleTarget(t);
      const name = t.name('immutable');
      const first = await signedBundle(t, name, '1.0', [freshFile(t, `${target}/immutable/a.bin`)]);
      const other = await signedBundle(t, name, '1.0', [freshFile(t, `${target}/immutable/a.bin`)]);
      const reencoded = await signBundle(new TextEncoder().encode(JSON.stringify(first.payload, null, 1)), await signingKey(t));
      const { id } = await t.step('start the first', () => open(t, first));
      const refusedWhileOpen = await refusalSeries(t);
      await t.step('other content while OPEN', () => refusedWhileOpen.start(other.jws, 409, 'EDP_BUNDLE_IMMUTABLE'));
      await t.step('the same JSON in other bytes while OPEN', () => refusedWhileOpen.start(reencoded, 409, 'EDP_BUNDLE_IMMUTABLE'));
      await t.step('commit the first', async () => {
        expect((await uploadFile(t, id, first.files[0] as BundleFile)).status).toBe(201);
        expect((await commit(t, id)).status).toBe(200);
      });
      const refusedOnceCommitted = await refusalSeries(t);
      await t.step('other content once COMMITTED', () => refusedOnceCommitted.start(other.jws, 409, 'EDP_BUNDLE_IMMUTABLE'));
      await t.step('the same JSON in other bytes once COMMITTED', () => refusedOnceCommitted.start(reencoded, 409, 'EDP_BUNDLE_IMMUTABLE'));
    },
  }),

  scenario({
    id: 'edp/target-repositories',
    title:
      'a missing target repository is 409 EDP_REPO_MISSING unless auto-creation is asked for; the uploads repository and virtual ones are 409 EDP_REPO_INVALID',
    requirements: ['EDP-TX-6', 'EDP-TX-3'],
    async run(t) {
      await bundleTarget(t);
      const absent = t.name('edp-auto');
      // An Edge that offers virtual repositories must refuse them as targets too.
      const virtual = await repo(t, 'edp-virtual', { rclass: 'virtual', repositories: [] }).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 400) return undefined;
        throw error;
      });
      const bundleFor = async (...repos: string[]) =>
        (
          await signedBundle(
            t,
            t.name('targets'),
            '1.0',
            repos.map((r) => freshFile(t, `${r}/targets/f.bin`)),
          )
        ).jws;
      const refused = await refusalSeries(t);
      await t.step('a missing repository', async () => refused.start(await bundleFor(absent), 409, 'EDP_REPO_MISSING'));
      await t.step('a missing repository, auto-creation asked with the string "true"', async () =>
        refused.start(await bundleFor(absent), 409, 'EDP_REPO_MISSING', {}, { auto_create_missing_repositories: 'true' }),
      );
      await t.step('the uploads repository', async () => refused.start(await bundleFor(UPLOADS), 409, 'EDP_REPO_INVALID'));
      if (virtual) await t.step('a virtual repository', async () => refused.start(await bundleFor(virtual), 409, 'EDP_REPO_INVALID'));
      await t.step('a missing and an invalid one, with auto-creation: nothing is created', async () =>
        refused.start(await bundleFor(absent, UPLOADS), 409, 'EDP_REPO_INVALID', {}, { auto_create_missing_repositories: true }),
      );
      await t.step('auto-creation creates the missing repository as a local one', async () => {
        const { artifactory } = t.clients();
        t.defer(() => artifactory.deleteRepository(absent));
        const res = await start(t, await bundleFor(absent), { auto_create_missing_repositories: true });
        expect(res.status, res.text).toBe(201);
        cleanUpTransaction(t, (res.json() as { id: string }).id);
        expect(await artifactory.repository(absent)).toMatchObject({ key: absent, rclass: 'local' });
      });
    },
  }),

  scenario({
    id: 'edp/target-repository-gone-at-commit',
    title: 'a target repository deleted after start makes the commit 409 EDP_REPO_MISSING; nothing is published and the transaction stays OPEN',
    requirements: ['EDP-TX-6', 'EDP-TX-8'],
    async run(t) {
      await t.installTrust();
      const key = t.name('edp-doomed');
      const { artifactory } = t.clients();
      await artifactory.createRepository(key, { rclass: 'local' });
      const file = freshFile(t, `${key}/doomed/a.bin`);
      const bundle = await signedBundle(t, t.name('doomed'), '1.0', [file]);
      const { id } = await t.step('start and send the file', async () => {
        const opened = await open(t, bundle);
        expect((await uploadFile(t, opened.id, file)).status).toBe(201);
        return opened;
      });
      await t.step('delete the target repository', () => artifactory.deleteRepository(key));
      const refused = await refusalSeries(t);
      await t.step('commit', () => refused.send(() => commit(t, id), 409, 'EDP_REPO_MISSING'));
      expect((await statusOf(t, id)).state).toBe('OPEN');
    },
  }),

  scenario({
    id: 'edp/transaction-status-and-lists',
    title: 'a transaction is listed under its state, OPEN then COMMITTED; an unknown id is 404 EDP_TX_UNKNOWN',
    requirements: ['EDP-TX-7', 'EDP-TX-2'],
    async run(t) {
      const target = await bundleTarget(t);
      const file = freshFile(t, `${target}/status/a.bin`);
      const { id } = await open(t, await signedBundle(t, t.name('status'), '1.0', [file]));
      const listed = async (state?: 'OPEN' | 'COMMITTED') => (await t.clients().edp.transactions(state)).some((tx) => tx.id === id);
      await t.step('while OPEN', async () => {
        expect(await listed('OPEN')).toBe(true);
        expect(await listed('COMMITTED')).toBe(false);
        expect(await listed()).toBe(true);
      });
      await t.step('commit', async () => {
        expect((await uploadFile(t, id, file)).status).toBe(201);
        expect((await commit(t, id)).status).toBe(200);
      });
      await t.step('once COMMITTED', async () => {
        expect(await statusOf(t, id)).toMatchObject({ id, state: 'COMMITTED', expires_at: null, files: filesOf([file], ['PRESENT']) });
        expect(await listed('OPEN')).toBe(false);
        expect(await listed('COMMITTED')).toBe(true);
      });
      await t.step('an unknown id', async () => expectEdpError(await t.http('GET', `${EDP_BASE}/transactions/${t.name('no-such-tx')}`), 404, 'EDP_TX_UNKNOWN'));
    },
  }),

  scenario({
    id: 'edp/commit-refusals',
    title: 'a commit with files missing is 409 EDP_INCOMPLETE listing them and changes nothing; a complete one answers 200 COMMITTED',
    requirements: ['EDP-TX-8', 'EDP-TX-2'],
    async run(t) {
      const target = await bundleTarget(t);
      const files = [freshFile(t, `${target}/partial/a.bin`), freshFile(t, `${target}/partial/docs/readme.md`), freshFile(t, `${target}/partial/z.bin`)];
      const bundle = await signedBundle(t, t.name('partial'), '1.0', files);
      const { id } = await open(t, bundle);
      await t.step('send the second file only', async () => expect((await uploadFile(t, id, files[1] as BundleFile)).status).toBe(201));
      const refused = await refusalSeries(t);
      await t.step('commit', () => refused.send(() => commit(t, id), 409, 'EDP_INCOMPLETE', { missing: [files[0]?.repoPath, files[2]?.repoPath] }));
      expect(await fileStates(t, id)).toEqual(['MISSING', 'PRESENT', 'MISSING']);
      await t.step('send the rest and commit', async () => {
        for (const file of [files[0], files[2]] as BundleFile[]) expect((await uploadFile(t, id, file)).status).toBe(201);
        const res = await commit(t, id);
        expect(res.status, res.text).toBe(200);
        expect(res.json()).toMatchObject({ state: 'COMMITTED', bundle: { name: bundle.payload.name, version: '1.0' } });
      });
      await t.step('commit an unknown transaction', async () => expectEdpError(await commit(t, t.name('no-such-tx')), 404, 'EDP_TX_UNKNOWN'));
    },
  }),
];
