import { setTimeout as delay } from 'node:timers/promises';
import { edpPaths } from '../../../protocol/wire/edp.ts';
import { snapshot } from '../../kit/assertions.ts';
import { sentHeld } from '../../kit/bodies.ts';
import { commit, distribute, sha256, signedBundle, start, uploadFile, type BundleFile } from '../../kit/bundles.ts';
import { NotApplicable, type ScenarioContext } from '../../kit/context.ts';
import { edgeTime } from '../../kit/edge-clock.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { bundleTarget, cleanUpTransaction, expectEdpError, fileStates, freshFile, open, statusOf } from '../../kit/transactions.ts';

/**
 * EDP-TX-9 … EDP-TX-11: how a transaction ends other than by commit (aborted, expired), and
 * that an OPEN one outlives a restart of the Edge.
 */

const abortCall = (t: ScenarioContext, id: string) => t.http('DELETE', edpPaths.transaction(id));

/**
 * Staged bytes are reclaimed: a new transaction holding the same content finds it MISSING, it
 * cannot be claimed by checksum, and (where the disk is visible) no blob holds it any more.
 */
async function expectReclaimed(t: ScenarioContext, repo: string, file: BundleFile): Promise<void> {
  const copy: BundleFile = { repoPath: `${repo}/reclaimed/${t.name('copy')}.bin`, bytes: file.bytes };
  const { id, transaction } = await open(t, await signedBundle(t, t.name('reclaimed'), '1.0', [copy]));
  expect(transaction.files[0]?.state, 'the content is no longer held').toBe('MISSING');
  const claim = await t.http('PUT', edpPaths.file(id, copy.repoPath), { headers: { 'x-checksum-sha256': sha256(file.bytes), 'x-checksum-deploy': 'true' } });
  expectEdpError(claim, 404, 'EDP_CONTENT_UNKNOWN');
  if (t.edge.dataDir) {
    const { blobs } = (await snapshot(t)) as { blobs: string[] };
    expect(
      blobs.filter((b) => b.endsWith(sha256(file.bytes))),
      'no blob holds the content',
    ).toEqual([]);
  }
}

export const lifecycleScenarios = [
  scenario({
    id: 'edp/abort',
    title: 'abort answers 204, sets the transaction ABORTED and reclaims its staged bytes; a committed one is 409 EDP_TX_CLOSED',
    requirements: ['EDP-TX-9', 'EDP-FILE-1', 'EDP-TX-8'],
    async run(t) {
      const repo = await bundleTarget(t);
      const file = freshFile(t, `${repo}/abort/x.bin`, 4096);
      const bundle = await signedBundle(t, t.name('abort'), '1.0', [file, freshFile(t, `${repo}/abort/y.bin`)]);
      const { id } = await open(t, bundle);
      await t.step('send one file', async () => expect((await uploadFile(t, id, file)).status).toBe(201));
      await t.step('abort', async () => {
        const res = await abortCall(t, id);
        expect(res.status, res.text).toBe(204);
        expect(await statusOf(t, id)).toMatchObject({ id, state: 'ABORTED', expires_at: null });
      });
      await t.step('an ABORTED transaction takes no file and no commit', async () => {
        expectEdpError(await uploadFile(t, id, bundle.files[1] as BundleFile), 409, 'EDP_TX_CLOSED');
        expectEdpError(await commit(t, id), 409, 'EDP_TX_CLOSED');
      });
      await t.step('aborting again answers 204', async () => expect((await abortCall(t, id)).status).toBe(204));
      await t.step('the staged bytes are reclaimed', () => expectReclaimed(t, repo, file));
      await t.step('the same bundle starts a new transaction', async () => {
        const again = await open(t, bundle);
        expect(again.id).not.toBe(id);
      });
      await t.step('a COMMITTED transaction cannot be aborted', async () => {
        const committed = await distribute(t, await signedBundle(t, t.name('committed'), '1.0', [freshFile(t, `${repo}/abort/committed.bin`)]));
        expectEdpError(await abortCall(t, committed), 409, 'EDP_TX_CLOSED');
        expect((await statusOf(t, committed)).state).toBe('COMMITTED');
      });
      await t.step('an unknown transaction', async () => expectEdpError(await abortCall(t, t.name('no-such-tx')), 404, 'EDP_TX_UNKNOWN'));
    },
  }),

  scenario({
    id: 'edp/open-transaction-survives-restart',
    title: 'an OPEN transaction survives restarts with its file states; a PRESENT file is not asked for again',
    requirements: ['EDP-TX-10', 'EDP-FILE-5'],
    needs: ['restart'],
    async run(t) {
      const repo = await bundleTarget(t);
      const [a, b] = [freshFile(t, `${repo}/restart/a.bin`, 70_000), freshFile(t, `${repo}/restart/b.bin`)] as [BundleFile, BundleFile];
      const bundle = await signedBundle(t, t.name('restart'), '1.0', [a, b]);
      const { id } = await open(t, bundle);
      await t.step('send the first file', async () => expect((await uploadFile(t, id, a)).status).toBe(201));
      await t.step('restart the Edge', () => t.restart());
      await t.step('the transaction is OPEN with the first file PRESENT', async () => {
        const again = await start(t, bundle.jws);
        expect(again.status, again.text).toBe(200);
        expect(again.json()).toMatchObject({
          id,
          state: 'OPEN',
          files: [
            { repo_path: a.repoPath, state: 'PRESENT' },
            { repo_path: b.repoPath, state: 'MISSING' },
          ],
        });
        expect((await t.clients().edp.transactions('OPEN')).some((tx) => tx.id === id)).toBe(true);
      });
      await t.step('the PRESENT file is answered 200 before its body is sent', async () => {
        const res = await sentHeld(t, 'PUT', edpPaths.file(id, a.repoPath), a.bytes, { headers: { 'x-checksum-sha256': sha256(a.bytes) } });
        expect(res.status, res.text).toBe(200);
      });
      await t.step('send the other file and commit', async () => {
        expect((await uploadFile(t, id, b)).status).toBe(201);
        expect((await commit(t, id)).status).toBe(200);
      });
      await t.step('restart again: the bundle is published', async () => {
        await t.restart();
        for (const file of [a, b]) {
          const res = await t.http('GET', `/artifactory/${file.repoPath}`);
          expect(res.status).toBe(200);
          expect(sha256(res.body)).toBe(sha256(file.bytes));
        }
      });
    },
  }),

  scenario({
    id: 'edp/expires-at',
    title: 'an OPEN transaction shows when it expires, moved on by activity; a closed one shows null',
    requirements: ['EDP-TX-11', 'EDP-TX-7'],
    async run(t) {
      const repo = await bundleTarget(t);
      const file = freshFile(t, `${repo}/expiry/a.bin`);
      const { id, res, transaction } = await open(t, await signedBundle(t, t.name('expires'), '1.0', [file, freshFile(t, `${repo}/expiry/b.bin`)]));
      const first = Date.parse(String(transaction.expires_at));
      expect(first, 'expires_at is an instant after the start').toBeGreaterThan(edgeTime(res));
      await delay(1100);
      const uploaded = await uploadFile(t, id, file);
      expect(uploaded.status).toBe(201);
      const later = Date.parse(String((await statusOf(t, id)).expires_at));
      expect(later, 'activity moves expires_at on').toBeGreaterThan(first);
      expect(later - edgeTime(uploaded), 'the same lifetime counted from the last activity').toBeGreaterThanOrEqual(first - edgeTime(res) - 1000);
      await t.step('aborted, it shows null', async () => {
        expect((await abortCall(t, id)).status).toBe(204);
        expect((await statusOf(t, id)).expires_at).toBeNull();
      });
    },
  }),

  scenario({
    id: 'edp/idle-transaction-expires',
    title: 'an idle OPEN transaction expires at expires_at: EXPIRED, closed to files and commit, its staged bytes reclaimed',
    requirements: ['EDP-TX-11', 'EDP-TX-4'],
    async run(t) {
      const repo = await bundleTarget(t);
      const [a, b] = [freshFile(t, `${repo}/idle/a.bin`, 2048), freshFile(t, `${repo}/idle/b.bin`)] as [BundleFile, BundleFile];
      const bundle = await signedBundle(t, t.name('idle'), '1.0', [a, b]);
      const { id, res, transaction } = await open(t, bundle);
      const lifetimeMs = Date.parse(String(transaction.expires_at)) - edgeTime(res);
      if (lifetimeMs > 15_000)
        throw new NotApplicable(`transactions on this Edge live ${Math.round(lifetimeMs / 1000)} s without activity; the scenario waits 15 s at most`);
      const uploaded = await uploadFile(t, id, a);
      expect(uploaded.status).toBe(201);
      const expiresAt = Date.parse(String((await statusOf(t, id)).expires_at));
      await t.step('wait past expires_at', () => delay(Math.max(0, expiresAt - edgeTime(uploaded)) + 2000));
      await t.step('the transaction is EXPIRED', async () => {
        expect(await statusOf(t, id)).toMatchObject({ id, state: 'EXPIRED', expires_at: null });
        expect((await t.clients().edp.transactions('OPEN')).some((tx) => tx.id === id)).toBe(false);
      });
      await t.step('it takes no file and no commit', async () => {
        expectEdpError(await uploadFile(t, id, b), 409, 'EDP_TX_CLOSED');
        expectEdpError(await commit(t, id), 409, 'EDP_TX_CLOSED');
      });
      await t.step('its staged bytes are reclaimed', () => expectReclaimed(t, repo, a));
      await t.step('the same bundle starts a new transaction', async () => {
        const again = await start(t, bundle.jws);
        expect(again.status, again.text).toBe(201);
        cleanUpTransaction(t, (again.json() as { id: string }).id);
        expect(await fileStates(t, (again.json() as { id: string }).id)).toEqual(['MISSING', 'MISSING']);
      });
    },
  }),
];
