import { edpPaths } from '../../../protocol/wire/edp.ts';
import { sentHeld } from '../../kit/bodies.ts';
import { commit, distribute, sha256, signedBundle, uploadFile, type BundleFile } from '../../kit/bundles.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { bundleTarget, edpState, fileStates, freshFile, open, refusalSeries } from '../../kit/transactions.ts';

/**
 * EDP-FILE-1, EDP-FILE-5, EDP-FILE-6, EDP-FILE-8: sending the files of a transaction, and not
 * sending what the Edge already holds.
 */

const fileAnswer = (file: BundleFile) => ({ repo_path: file.repoPath, checksum: sha256(file.bytes), size: file.bytes.length, state: 'PRESENT' });

/** `PUT` of `file` whose body stops after its first byte: the Edge must answer without the rest. */
const sendHeld = (t: ScenarioContext, id: string, file: BundleFile) =>
  sentHeld(t, 'PUT', edpPaths.file(id, file.repoPath), file.bytes, { headers: { 'x-checksum-sha256': sha256(file.bytes) } });

function claim(t: ScenarioContext, id: string, file: BundleFile) {
  return t.http('PUT', edpPaths.file(id, file.repoPath), { headers: { 'x-checksum-sha256': sha256(file.bytes), 'x-checksum-deploy': 'true' } });
}

export const fileScenarios = [
  scenario({
    id: 'edp/file-upload-answers',
    title: 'a verified file answers 201 PRESENT; sent again it answers 200 with the same body, unread, and nothing changes',
    requirements: ['EDP-FILE-5', 'EDP-FILE-8'],
    async run(t) {
      const repo = await bundleTarget(t);
      const file = freshFile(t, `${repo}/files/app.bin`, 100_000);
      const { id } = await open(t, await signedBundle(t, t.name('files'), '1.0', [file, freshFile(t, `${repo}/files/other.bin`)]));
      const first = await t.step('send the file', async () => {
        const res = await uploadFile(t, id, file);
        expect(res.status, res.text).toBe(201);
        expect(res.json()).toMatchObject(fileAnswer(file));
        return res.json();
      });
      expect(await fileStates(t, id)).toEqual(['PRESENT', 'MISSING']);
      const before = await edpState(t);
      await t.step('send it again: 200 before the body is sent', async () => {
        const res = await sendHeld(t, id, file);
        expect(res.status, res.text).toBe(200);
        expect(res.json()).toEqual(first);
      });
      expect(await edpState(t)).toEqual(before);
    },
  }),

  scenario({
    id: 'edp/file-refusals',
    title: 'a file without X-Checksum-Sha256, of an unknown transaction or not in the bundle is refused and changes nothing',
    requirements: ['EDP-FILE-1', 'EDP-TX-2'],
    async run(t) {
      const repo = await bundleTarget(t);
      const file = freshFile(t, `${repo}/refusals/data.bin`);
      const { id } = await open(t, await signedBundle(t, t.name('file-refusals'), '1.0', [file]));
      const refused = await refusalSeries(t);
      await t.step('no X-Checksum-Sha256', () => refused.send(() => t.http('PUT', edpPaths.file(id, file.repoPath), { body: file.bytes }), 400, 'BAD_REQUEST'));
      await t.step('an unknown transaction', () => refused.send(() => uploadFile(t, t.name('no-such-tx'), file), 404, 'EDP_TX_UNKNOWN'));
      await t.step('a path the bundle does not hold', () =>
        refused.send(() => uploadFile(t, id, { repoPath: `${repo}/refusals/other.bin`, bytes: file.bytes }), 404, 'EDP_FILE_NOT_IN_BUNDLE'),
      );
      await t.step('the file name in another letter case', () =>
        refused.send(
          () => uploadFile(t, id, { repoPath: file.repoPath.replace(/[^/]+$/, (name) => name.toUpperCase()), bytes: file.bytes }),
          404,
          'EDP_FILE_NOT_IN_BUNDLE',
        ),
      );
      expect(await fileStates(t, id)).toEqual(['MISSING']);
    },
  }),

  scenario({
    id: 'edp/checksum-deploy',
    title: 'a file is claimed by checksum only when the Edge holds its content (201), otherwise 404 EDP_CONTENT_UNKNOWN; held content starts PRESENT',
    requirements: ['EDP-FILE-6', 'EDP-FILE-8', 'EDP-PUB-2'],
    async run(t) {
      const repo = await bundleTarget(t);
      const [known, unknown] = [freshFile(t, `${repo}/claim/known.bin`), freshFile(t, `${repo}/claim/unknown.bin`)] as [BundleFile, BundleFile];
      const bundle = await signedBundle(t, t.name('claim'), '1.0', [known, unknown]);
      const { id } = await open(t, bundle);
      const refused = await refusalSeries(t);
      await t.step('claim content the Edge does not hold', () => refused.send(() => claim(t, id, unknown), 404, 'EDP_CONTENT_UNKNOWN'));
      await t.step('another bundle publishes the known content', async () =>
        distribute(t, await signedBundle(t, t.name('holder'), '1.0', [{ repoPath: `${repo}/holder/known.bin`, bytes: known.bytes }])),
      );
      await t.step('claim it now: 201, and 200 again', async () => {
        const res = await claim(t, id, known);
        expect(res.status, res.text).toBe(201);
        expect(res.json()).toMatchObject(fileAnswer(known));
        expect((await claim(t, id, known)).status).toBe(200);
      });
      await t.step('a new transaction finds it PRESENT and never takes its bytes', async () => {
        const other = await open(t, await signedBundle(t, t.name('dedup'), '1.0', [{ repoPath: `${repo}/dedup/known.bin`, bytes: known.bytes }]));
        expect(other.transaction.files[0]?.state).toBe('PRESENT');
        const res = await sendHeld(t, other.id, { repoPath: `${repo}/dedup/known.bin`, bytes: known.bytes });
        expect(res.status, res.text).toBe(200);
      });
      await t.step('send the other file and commit: the claimed file has the signed bytes', async () => {
        expect((await uploadFile(t, id, unknown)).status).toBe(201);
        expect((await commit(t, id)).status).toBe(200);
        const res = await t.http('GET', `/artifactory/${known.repoPath}`);
        expect(res.status).toBe(200);
        expect(sha256(res.body)).toBe(sha256(known.bytes));
      });
    },
  }),
];
