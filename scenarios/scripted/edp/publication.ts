import { READ_ONLY_MESSAGE } from '../../../protocol/errors.ts';
import { edpPaths } from '../../../protocol/wire/edp.ts';
import { encodePath } from '../../../protocol/wire/urls.ts';
import { expectError, valueOrStatus } from '../../kit/assertions.ts';
import { commit, sha256, signedBundle, uploadFile, type BundleFile, type SignedBundle } from '../../kit/bundles.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { bundleTarget, edpState, expectEdpError, freshFile, open } from '../../kit/transactions.ts';
import { permission, user } from '../../kit/world.ts';

/**
 * EDP-PUB-1 … EDP-PUB-3: a bundle is visible through no read before its commit answers, through
 * every read after, never in part, with exactly the signed bytes, and never changes again.
 */

const UPLOADS = 'artifactory-edge-uploads';

/** Every folder above the files, `<repo>/<folder>`. */
function foldersOf(files: BundleFile[]): string[] {
  const folders = new Set<string>();
  for (const { repoPath } of files) {
    const segments = repoPath.split('/');
    for (let i = 2; i < segments.length; i++) folders.add(segments.slice(0, i).join('/'));
  }
  return [...folders];
}

/** A repository, a reader who may read all of it, and a staged (uploaded, uncommitted) bundle. */
async function stagedBundle(t: ScenarioContext, files: (repo: string) => BundleFile[]) {
  const repo = await bundleTarget(t, 'edp-pub');
  const reader = await user(t, 'edp-reader');
  await permission(t, 'edp-read', { repositories: [repo], users: { [reader.name]: ['read'] } });
  const bundle = await signedBundle(t, t.name('visible'), '1.0', files(repo));
  const tx = await open(t, bundle);
  for (const file of bundle.files) expect((await uploadFile(t, tx.id, file)).status, file.repoPath).toBe(201);
  return { repo, reader, bundle, tx };
}

/**
 * Every read of the bundle, as `auth` makes it: the status of each (and what the listings and
 * bundle reads show of it). Before the commit all of it is absent; after, all of it present.
 */
async function everyRead(t: ScenarioContext, repo: string, bundle: SignedBundle, auth: string) {
  const get = (path: string, method = 'GET') => t.http(method, path, { auth });
  const { name, version } = bundle.payload;
  const reads: Record<string, unknown> = {};
  for (const file of bundle.files) {
    const path = encodePath(file.repoPath);
    reads[`GET ${file.repoPath}`] = (await get(`/artifactory/${path}`)).status;
    reads[`HEAD ${file.repoPath}`] = (await get(`/artifactory/${path}`, 'HEAD')).status;
    reads[`GET ${file.repoPath}.sha256`] = (await get(`/artifactory/${path}.sha256`)).status;
    reads[`storage ${file.repoPath}`] = (await get(`/artifactory/api/storage/${path}`)).status;
    reads[`properties ${file.repoPath}`] = (await get(`/artifactory/api/storage/${path}?properties`)).status;
  }
  for (const folder of foldersOf(bundle.files)) {
    reads[`storage ${folder}`] = (await get(`/artifactory/api/storage/${encodePath(folder)}`)).status;
    reads[`listing ${folder}/`] = (await get(`/artifactory/${encodePath(folder)}/`)).status;
  }
  const list = (await get(`/artifactory/api/storage/${repo}?list&deep=1&listFolders=1`)).json() as { files: { uri: string }[] };
  reads['deep list'] = list.files.map((f) => f.uri).sort();
  const root = await get(`/artifactory/${repo}/`);
  reads['repository page names a file'] = bundle.files.some((f) => root.text.includes(f.repoPath.split('/')[1] ?? ''));
  reads['bundle list'] = ((await get('/artifactory/api/release/bundles')).json() as { bundles: Record<string, unknown> }).bundles[name] !== undefined;
  reads.bundle = (await get(`${edpPaths.releaseBundle(name, version)}`)).status;
  reads['bundle jws'] = (await get(`${edpPaths.releaseBundle(name, version)}?format=jws`)).status;
  return reads;
}

function expectedReads(repo: string, bundle: SignedBundle, visible: boolean) {
  const status = visible ? 200 : 404;
  const reads: Record<string, unknown> = {};
  for (const file of bundle.files) {
    for (const read of ['GET', 'HEAD']) reads[`${read} ${file.repoPath}`] = status;
    for (const read of ['GET %.sha256', 'storage %']) reads[read.replace('%', file.repoPath)] = status;
    // Artifactory answers 404 for an item without properties.
    reads[`properties ${file.repoPath}`] = visible && file.props?.length ? 200 : 404;
  }
  for (const folder of foldersOf(bundle.files)) {
    reads[`storage ${folder}`] = status;
    reads[`listing ${folder}/`] = status;
  }
  reads['deep list'] = visible
    ? [...bundle.files.map((f) => `/${f.repoPath.slice(repo.length + 1)}`), ...foldersOf(bundle.files).map((f) => `/${f.slice(repo.length + 1)}`)].sort()
    : [];
  reads['repository page names a file'] = visible;
  reads['bundle list'] = visible;
  reads.bundle = status;
  reads['bundle jws'] = status;
  return reads;
}

const filesIn = (t: ScenarioContext) => (repo: string) => [
  { ...freshFile(t, `${repo}/app/app.tar.gz`, 5000), props: [{ key: 'release', values: ['1.0', 'stable'] }] },
  freshFile(t, `${repo}/app/docs/readme.md`),
  freshFile(t, `${repo}/top.txt`),
];

export const publicationScenarios = [
  scenario({
    id: 'edp/visible-only-after-commit',
    title: 'before the commit no read shows any file of the bundle, to an admin or a reader; after its 200 every read shows all of them',
    requirements: ['EDP-PUB-1', 'EDP-PUB-2', 'EDP-TX-8'],
    async run(t) {
      const { repo, reader, bundle, tx } = await stagedBundle(t, filesIn(t));
      for (const [who, auth] of [
        ['admin', t.edge.admin],
        ['reader', reader.auth],
      ] as const) {
        await t.step(`before the commit, as ${who}: nothing`, async () =>
          expect(await everyRead(t, repo, bundle, auth)).toEqual(expectedReads(repo, bundle, false)),
        );
      }
      await t.step('staged content cannot be claimed into the uploads repository by checksum', async () => {
        const file = bundle.files[0] as BundleFile;
        const res = await t.http('PUT', `/artifactory/${UPLOADS}/${t.name('claim')}.bin`, {
          headers: { 'x-checksum-deploy': 'true', 'x-checksum-sha256': sha256(file.bytes) },
        });
        expect(res.status, res.text).toBe(404);
      });
      await t.step('commit', async () => expect((await commit(t, tx.id)).status).toBe(200));
      for (const [who, auth] of [
        ['admin', t.edge.admin],
        ['reader', reader.auth],
      ] as const) {
        await t.step(`after the commit, as ${who}: everything`, async () =>
          expect(await everyRead(t, repo, bundle, auth)).toEqual(expectedReads(repo, bundle, true)),
        );
      }
      await t.step('each file has the signed bytes, size, checksums and properties', async () => {
        const { artifactory } = t.clients();
        for (const file of bundle.files) {
          const res = await t.http('GET', `/artifactory/${encodePath(file.repoPath)}`, { auth: reader.auth });
          expect(sha256(res.body)).toBe(sha256(file.bytes));
          expect(res.headers['x-checksum-sha256']).toBe(sha256(file.bytes));
          const head = await t.http('HEAD', `/artifactory/${encodePath(file.repoPath)}`, { auth: reader.auth });
          expect(Number(head.headers['content-length'])).toBe(file.bytes.length);
          expect((await t.http('GET', `/artifactory/${encodePath(file.repoPath)}.sha256`)).text).toBe(sha256(file.bytes));
          expect(await artifactory.fileInfo(file.repoPath)).toMatchObject({ size: String(file.bytes.length), checksums: { sha256: sha256(file.bytes) } });
          const props = file.props?.length ? Object.fromEntries(file.props.map((p) => [p.key, p.values])) : 404;
          expect(await valueOrStatus(() => artifactory.properties(file.repoPath))).toEqual(props);
        }
      });
    },
  }),

  scenario({
    id: 'edp/no-partial-bundle-during-commit',
    title: 'a reader polling the files while the commit runs never sees a file missing once another is visible',
    requirements: ['EDP-PUB-1'],
    async run(t) {
      const { reader, bundle, tx } = await stagedBundle(t, (repo) =>
        Array.from({ length: 24 }, (_, i) => freshFile(t, `${repo}/many/${String(i).padStart(2, '0')}.bin`)),
      );
      const seen: string[] = [];
      let committed = false;
      // Rounds over all files until the commit has answered, and one round after; its failure
      // is held until the commit is done.
      const polling = (async (): Promise<void> => {
        let visible: string | undefined;
        for (let last = false; !last; ) {
          last = committed;
          for (const file of bundle.files) {
            const status = (await t.http('GET', `/artifactory/${file.repoPath}`, { auth: reader.auth })).status;
            seen.push(`${file.repoPath} ${status}`);
            if (status === 200) visible ??= file.repoPath;
            else expect(visible, `${file.repoPath} answered ${status} after ${visible} was visible`).toBeUndefined();
          }
        }
      })().then(
        () => undefined,
        (error: unknown) => error,
      );
      try {
        const res = await t.step('commit while a reader polls', () => commit(t, tx.id));
        expect(res.status).toBe(200);
      } finally {
        committed = true;
      }
      const failure = await polling;
      if (failure) throw failure;
      for (const file of bundle.files) expect((await t.http('GET', `/artifactory/${file.repoPath}`, { auth: reader.auth })).status).toBe(200);
      expect(seen.length).toBeGreaterThan(0);
    },
  }),

  scenario({
    id: 'edp/published-files-read-only',
    title: "a published bundle's files cannot be changed or deleted through any user API, admin included",
    requirements: ['EDP-PUB-3'],
    async run(t) {
      const { repo, bundle, tx } = await stagedBundle(t, filesIn(t));
      expect((await commit(t, tx.id)).status).toBe(200);
      const file = bundle.files[0] as BundleFile;
      const path = encodePath(file.repoPath);
      const before = await edpState(t);
      const writes: [string, () => ReturnType<ScenarioContext['http']>][] = [
        ['PUT over the file', () => t.http('PUT', `/artifactory/${path}`, { body: 'evil' })],
        [
          'PUT by checksum over the file',
          () => t.http('PUT', `/artifactory/${path}`, { headers: { 'x-checksum-deploy': 'true', 'x-checksum-sha256': sha256(file.bytes) } }),
        ],
        ['PUT a new file beside it', () => t.http('PUT', `/artifactory/${repo}/app/new.bin`, { body: 'new' })],
        ['DELETE the file', () => t.http('DELETE', `/artifactory/${path}`)],
        ['DELETE its folder', () => t.http('DELETE', `/artifactory/${repo}/app`)],
        ['set a property', () => t.http('PUT', `/artifactory/api/storage/${path}?properties=release=evil`)],
        ['delete a property', () => t.http('DELETE', `/artifactory/api/storage/${path}?properties=release`)],
        ['patch the metadata', () => t.http('PATCH', `/artifactory/api/metadata/${path}`, { json: { props: { release: 'evil' } } })],
        ['move it away', () => t.http('POST', `/artifactory/api/move/${path}?to=/${UPLOADS}/moved.bin`)],
      ];
      for (const [what, write] of writes) {
        await t.step(what, async () => expectError(await write(), 403, 'EDGE_READ_ONLY', READ_ONLY_MESSAGE));
      }
      await t.step('delete the repository holding it', async () => {
        const res = await t.http('DELETE', `/artifactory/api/repositories/${repo}`);
        expectEdpError(res, 409, 'CONFLICT');
      });
      expect(await edpState(t)).toEqual(before);
    },
  }),
];
