import { edpPaths } from '../../../protocol/wire/edp.ts';
import { encodePath } from '../../../protocol/wire/urls.ts';
import { commit, sha256, signedBundle, start, uploadFile, type BundleFile } from '../../kit/bundles.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { bundleTarget, expectEdpError, freshFile, open, publish, refusalSeries, statusOf } from '../../kit/transactions.ts';

/**
 * EDP-SIG-25, EDP-TX-8: a path cannot be a file and a folder. Inside one signed bundle that is
 * known at start (400); against what is published it depends on the moment, so it is judged at
 * commit (409 EDP_PATH_CONFLICT). Either way it is an EDP code, never the item store's own.
 */

/** `r/a` and `r/a/b` style paths; `later` and `earlier` are the indexes the refusal names. */
const SELF_CONFLICTS: [label: string, paths: string[], later: number, earlier: number][] = [
  ['the file first', ['a', 'a/b'], 1, 0],
  ['the file last', ['c/d', 'c'], 1, 0],
  ['several levels apart, with another file between', ['e', 'x.txt', 'e/f/g/h'], 2, 0],
];

export const pathConflictScenarios = [
  scenario({
    id: 'edp/bundle-path-file-and-folder',
    title: 'a bundle holding a path as a file and as the folder of another file is 400 EDP_BUNDLE_MALFORMED at start, naming both; nothing is created',
    requirements: ['EDP-SIG-25', 'EDP-TX-3'],
    async run(t) {
      const repo = await bundleTarget(t);
      const absent = t.name('edp-absent');
      const refused = await refusalSeries(t);
      for (const [label, paths, later, earlier] of SELF_CONFLICTS) {
        await t.step(label, async () => {
          // One more file in a repository that does not exist, with auto-creation asked for.
          const files = [...paths.map((p) => freshFile(t, `${repo}/${p}`)), freshFile(t, `${absent}/created.bin`)];
          const bundle = await signedBundle(t, t.name('self'), '1.0', files);
          await refused.start(
            bundle.jws,
            400,
            'EDP_BUNDLE_MALFORMED',
            { field: `artifacts[${later}].repo_path`, index: later, repo_path: files[later]?.repoPath, conflicts_with: earlier },
            {
              auto_create_missing_repositories: true,
            },
          );
        });
      }
    },
  }),

  scenario({
    id: 'edp/bundle-path-variants-distinct',
    title: 'paths sharing a prefix, differing in case or in Unicode normalisation are distinct files and all publish',
    requirements: ['EDP-SIG-25', 'EDP-SIG-17'],
    async run(t) {
      const repo = await bundleTarget(t);
      const files = ['v/a', 'v/ab/c', 'v/A/b', 'v/\u00e9', 'v/e\u0301/b'].map((p) => freshFile(t, `${repo}/${p}`));
      await publish(t, await signedBundle(t, t.name('variants'), '1.0', files));
      for (const file of files) {
        const res = await t.http('GET', `/artifactory/${encodePath(file.repoPath)}`);
        expect(res.status, file.repoPath).toBe(200);
        expect(sha256(res.body)).toBe(sha256(file.bytes));
      }
    },
  }),

  scenario({
    id: 'edp/published-path-conflict-at-commit',
    title:
      'a published file where the bundle needs a folder, or a published folder where it needs a file, is 409 EDP_PATH_CONFLICT at commit; once the other bundle is deleted it commits',
    requirements: ['EDP-TX-8', 'EDP-PUB-1', 'EDP-PUB-5'],
    async run(t) {
      const repo = await bundleTarget(t);
      const holder = await signedBundle(t, t.name('holder'), '1.0', [freshFile(t, `${repo}/p/lib`)]);
      await t.step('publish a bundle holding the file p/lib', () => publish(t, holder));
      const under = await signedBundle(t, t.name('under-file'), '1.0', [freshFile(t, `${repo}/p/lib/inner.bin`)]);
      const onto = await signedBundle(t, t.name('onto-folder'), '1.0', [freshFile(t, `${repo}/p`)]);
      const opened: Record<string, string> = {};
      for (const [label, bundle] of [
        ['a file under the published file', under],
        ['a file onto the published folder', onto],
      ] as const) {
        await t.step(label, async () => {
          // What is published may change before the commit: the start accepts.
          const { id } = await open(t, bundle);
          opened[bundle.payload.name] = id;
          const file = bundle.files[0] as BundleFile;
          expect((await uploadFile(t, id, file)).status).toBe(201);
          const refused = await refusalSeries(t);
          await refused.send(() => commit(t, id), 409, 'EDP_PATH_CONFLICT', { repo_path: file.repoPath });
          expect((await statusOf(t, id)).state).toBe('OPEN');
          expectEdpError(await t.http('GET', edpPaths.releaseBundle(bundle.payload.name, '1.0')), 404, 'EDP_BUNDLE_UNKNOWN');
        });
      }
      await t.step('delete the holder; the same transaction now commits', async () => {
        expect((await t.http('DELETE', edpPaths.releaseBundle(holder.payload.name, '1.0'))).status).toBe(204);
        const again = await start(t, under.jws);
        expect(again.status).toBe(200);
        expect((again.json() as { id: string }).id).toBe(opened[under.payload.name]);
        expect((await commit(t, opened[under.payload.name] as string)).status).toBe(200);
        const file = under.files[0] as BundleFile;
        expect(sha256((await t.http('GET', `/artifactory/${file.repoPath}`)).body)).toBe(sha256(file.bytes));
      });
    },
  }),

  scenario({
    id: 'edp/racing-bundles-one-path',
    title: 'of two bundles committing other content to one path at once, one publishes and the other is 409 EDP_PATH_CONFLICT',
    requirements: ['EDP-TX-8', 'EDP-PUB-1'],
    async run(t) {
      const repo = await bundleTarget(t);
      const path = `${repo}/shared/file.bin`;
      const contenders = await Promise.all(['a', 'b'].map(async (side) => signedBundle(t, t.name(`race-${side}`), '1.0', [freshFile(t, path)])));
      const ids: string[] = [];
      for (const bundle of contenders) {
        const { id } = await open(t, bundle);
        expect((await uploadFile(t, id, bundle.files[0] as BundleFile)).status).toBe(201);
        ids.push(id);
      }
      const results = await Promise.all(ids.map((id) => commit(t, id)));
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const loser = results.find((r) => r.status === 409);
      if (loser) expectEdpError(loser, 409, 'EDP_PATH_CONFLICT');
      const winner = contenders[results.findIndex((r) => r.status === 200)]?.files[0] as BundleFile;
      expect(sha256((await t.http('GET', `/artifactory/${path}`)).body)).toBe(sha256(winner.bytes));
    },
  }),
];
