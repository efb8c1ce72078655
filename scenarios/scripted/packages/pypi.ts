import { PYPI_SIMPLE_JSON, type ProjectPageJson } from '../../../protocol/wire/pypi-simple.ts';
import { expectError } from '../../kit/assertions.ts';
import { commit, signedBundle, uploadFile, type BundleFile } from '../../kit/bundles.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { open, publish } from '../../kit/transactions.ts';
import { permission, user } from '../../kit/world.ts';
import { digest, links, packageRepo, pathOf } from './package-world.ts';

/** EDGE-PKG-1, EDGE-PKG-2, EDGE-PKG-6, EDGE-PKG-7: the PyPI simple index of files a bundle delivered. */

/** A wheel and an sdist of `project` (the index reads their names; the bytes are the run's own). */
export function distributions(t: ScenarioContext, repo: string, folder: string, stem: string, version: string): BundleFile[] {
  const salt = t.name('pypi-content');
  return [
    { repoPath: `${repo}/${folder}/${stem}-${version}-py3-none-any.whl`, bytes: Buffer.from(`wheel ${stem} ${version} ${salt}`) },
    { repoPath: `${repo}/${folder}/${stem}-${version}.tar.gz`, bytes: Buffer.from(`sdist ${stem} ${version} ${salt}`) },
  ];
}

export const simple = (repo: string) => `/artifactory/api/pypi/${repo}/simple/`;

/** The links of a project page, each followed: filename, fragment, and whether the bytes match it. */
export async function followLinks(t: ScenarioContext, page: string, auth?: string): Promise<{ text: string; sha256: string; downloads: boolean }[]> {
  const res = await t.http('GET', page, auth ? { auth } : {});
  expect(res.status, res.text).toBe(200);
  const found = [];
  for (const { href, text } of links(res.text)) {
    const [url = '', fragment = ''] = href.split('#');
    const file = await t.http('GET', pathOf(url, page), auth ? { auth } : {});
    const sha256 = fragment.replace(/^sha256=/, '');
    found.push({ text, sha256, downloads: file.status === 200 && digest('sha256', file.body) === sha256 });
  }
  return found;
}

export const pypiScenarios = [
  scenario({
    id: 'packages/pypi-simple-index',
    title:
      "a bundle's wheel and sdist appear in the simple index, linked with their sha256, in HTML and in PEP 691 JSON, and leave it when the bundle is deleted",
    requirements: ['EDGE-PKG-6', 'EDGE-PKG-1'],
    async run(t) {
      const repo = await packageRepo(t, 'pypi-local', 'pypi');
      const files = distributions(t, repo, 'scn-proj/1.0', 'scn_proj', '1.0');
      const bundle = await signedBundle(t, t.name('pypi-bundle'), '1.0', files);
      const before = await t.http('GET', simple(repo));
      expect(before.status, before.text).toBe(200);
      expect(links(before.text)).toEqual([]);
      await publish(t, bundle);
      await t.step('the root lists the project by its normalized name', async () => {
        const root = await t.http('GET', simple(repo));
        expect(root.headers['content-type']).toMatch(/^text\/html/);
        expect(links(root.text).map((l) => l.href)).toEqual(['scn-proj/']);
      });
      await t.step('the project page links each file, with a sha256 fragment that matches its bytes', async () => {
        const found = await followLinks(t, `${simple(repo)}scn-proj/`);
        const expected = files.map((f) => ({ text: f.repoPath.split('/').pop(), sha256: digest('sha256', f.bytes), downloads: true }));
        expect(found.sort((a, b) => (a.text < b.text ? -1 : 1))).toEqual(expected.sort((a, b) => ((a.text ?? '') < (b.text ?? '') ? -1 : 1)));
      });
      await t.step('PEP 691 JSON when the Accept header prefers it', async () => {
        const res = await t.http('GET', `${simple(repo)}scn-proj/`, { headers: { accept: `${PYPI_SIMPLE_JSON}, text/html;q=0.01` } });
        expect(String(res.headers['content-type']).split(';')[0]).toBe(PYPI_SIMPLE_JSON);
        const page = res.json() as ProjectPageJson;
        expect(page.name).toBe('scn-proj');
        expect(page.meta['api-version']).toMatch(/^1\./);
        expect(page.files.map((f) => f.hashes.sha256).sort()).toEqual(files.map((f) => digest('sha256', f.bytes)).sort());
        const root = await t.http('GET', simple(repo), { headers: { accept: PYPI_SIMPLE_JSON } });
        expect((root.json() as { projects: { name: string }[] }).projects.map((p) => p.name)).toEqual(['scn_proj']);
      });
      await t.step('deleting the bundle takes the project out of the index', async () => {
        await t.clients().edp.deleteBundle(bundle.payload.name, bundle.payload.version);
        expect(links((await t.http('GET', simple(repo))).text)).toEqual([]);
        expect((await t.http('GET', `${simple(repo)}scn-proj/`)).status).toBe(404);
      });
    },
  }),
  scenario({
    id: 'packages/pypi-normalized-names',
    title: 'other spellings of a project and URLs without their slash redirect to the normalized URL; unknown projects are 404',
    requirements: ['EDGE-PKG-7'],
    async run(t) {
      const repo = await packageRepo(t, 'pypi-local', 'pypi');
      await publish(t, await signedBundle(t, t.name('pypi-bundle'), '1.0', distributions(t, repo, 'x', 'Scn_Mixed.Name', '2.1')));
      const base = `/artifactory/api/pypi/${repo}`;
      const redirect = async (path: string, to: string) => {
        const res = await t.http('GET', path);
        expect(res.status, `${path}: ${res.text}`).toBe(301);
        expect(pathOf(String(res.headers.location), path), path).toBe(to);
      };
      await redirect(`${base}/simple`, `${base}/simple/`);
      for (const spelling of ['Scn_Mixed.Name/', 'scn_mixed_name/', 'SCN-MIXED--NAME/', 'scn-mixed-name']) {
        await redirect(`${base}/simple/${spelling}`, `${base}/simple/scn-mixed-name/`);
      }
      expect((await t.http('GET', `${base}/simple/scn-mixed-name/`)).status).toBe(200);
      expectError(await t.http('GET', `${base}/simple/no-such-project/`), 404, 'NOT_FOUND', /no-such-project/);
    },
  }),
  scenario({
    id: 'packages/pypi-index-readable-only',
    title: 'a user sees in the simple index only the files they may read, and cannot download the others through it',
    requirements: ['EDGE-PKG-2'],
    async run(t) {
      const repo = await packageRepo(t, 'pypi-local', 'pypi');
      const visible = distributions(t, repo, 'public', 'scn_perm', '1.0');
      const hidden = distributions(t, repo, 'secret', 'scn_perm', '2.0');
      await publish(t, await signedBundle(t, t.name('pypi-bundle'), '1.0', [...visible, ...hidden]));
      const reader = await user(t, 'pypi-reader');
      await permission(t, 'pypi-read', { repositories: [repo], users: { [reader.name]: ['read'] }, exclude: ['secret/**'] });
      const seen = await followLinks(t, `${simple(repo)}scn-perm/`, reader.auth);
      expect(seen.map((s) => s.text).sort()).toEqual(visible.map((f) => f.repoPath.split('/').pop()).sort());
      expect(seen.every((s) => s.downloads)).toBe(true);
      const hiddenName = hidden[0]?.repoPath.split('/').pop();
      expect((await t.http('GET', `/artifactory/api/pypi/${repo}/packages/secret/${hiddenName}`, { auth: reader.auth })).status).toBe(404);
      expect((await followLinks(t, `${simple(repo)}scn-perm/`)).length, 'the admin sees all four').toBe(4);
    },
  }),
  scenario({
    id: 'packages/pypi-refused-file-leaves-index',
    title: 'a wheel whose bytes differ from the signed checksum is refused and the index stays as it was',
    requirements: ['EDGE-PKG-1', 'EDGE-PKG-6'],
    async run(t) {
      const repo = await packageRepo(t, 'pypi-local', 'pypi');
      const [wheel] = distributions(t, repo, 'bad', 'scn_bad', '1.0');
      const file = wheel as BundleFile;
      const before = (await t.http('GET', simple(repo))).text;
      const { id } = await open(t, await signedBundle(t, t.name('pypi-bundle'), '1.0', [file]));
      const res = await uploadFile(t, id, file, { bytes: Buffer.from('other bytes than the signed ones') });
      expectError(res, 409, 'EDP_CHECKSUM_MISMATCH', /./, { repo_path: file.repoPath });
      expect((await commit(t, id)).status).toBe(409);
      expect((await t.http('GET', simple(repo))).text).toBe(before);
      expect((await t.http('GET', `${simple(repo)}scn-bad/`)).status).toBe(404);
    },
  }),
];
