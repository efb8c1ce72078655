import { READ_ONLY_MESSAGE } from '../../../protocol/errors.ts';
import { NPM_ABBREVIATED } from '../../../protocol/wire/npm-packument.ts';
import { snapshot } from '../../kit/assertions.ts';
import { commit, signedBundle, uploadFile, type BundleFile } from '../../kit/bundles.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import type { RawResponse } from '../../kit/http.ts';
import { npmTarball, npmTarballPath, tarball } from '../../kit/packages.ts';
import { scenario } from '../../kit/scenario.ts';
import { open, publish } from '../../kit/transactions.ts';
import { permission, user } from '../../kit/world.ts';
import { digest, packageRepo, pathOf } from './package-world.ts';

/** EDGE-PKG-1 … EDGE-PKG-5: npm packuments computed from the tarballs a bundle delivered. */

interface Packument {
  name: string;
  'dist-tags': { latest: string };
  versions: Record<
    string,
    { name: string; version: string; dependencies?: Record<string, string>; dist: { tarball: string; shasum: string; integrity: string } }
  >;
}

async function tarballFile(t: ScenarioContext, repo: string, name: string, version: string, extra: Record<string, unknown> = {}): Promise<BundleFile> {
  return { repoPath: `${repo}/${npmTarballPath(name, version)}`, bytes: await npmTarball({ name, version, ...extra }, t.name('npm-content')) };
}

const registry = (repo: string) => `/artifactory/api/npm/${repo}`;

function packumentOf(res: RawResponse): Packument {
  expect(res.status, res.text).toBe(200);
  return res.json() as Packument;
}

/** The refusal npm gets: Artifactory's error body, with npm's `error` member beside it. */
function expectNpmError(res: RawResponse, status: number, code: string, message: string | RegExp): void {
  expect(res.status, res.text).toBe(status);
  const body = res.json() as { error: string; errors: { status: number; code: string; message: string }[] };
  expect(body.errors[0]).toMatchObject({ status, code, message: typeof message === 'string' ? message : expect.stringMatching(message) });
  expect(body.error).toBe(body.errors[0]?.message);
}

export const npmScenarios = [
  scenario({
    id: 'packages/npm-packument',
    title:
      "a bundle's tarballs make a packument: every version, latest the highest release, absolute tarball URLs that download bytes matching shasum and integrity",
    requirements: ['EDGE-PKG-3', 'EDGE-PKG-1'],
    async run(t) {
      const repo = await packageRepo(t, 'npm-local', 'npm');
      const name = 'scn-lib';
      const files = [
        await tarballFile(t, repo, name, '1.0.0'),
        await tarballFile(t, repo, name, '1.10.0', { dependencies: { 'scn-dep': '^2.0.0' } }),
        await tarballFile(t, repo, name, '1.2.0'),
        await tarballFile(t, repo, name, '2.0.0-rc.1'),
      ];
      expect((await t.http('GET', `${registry(repo)}/${name}`)).status).toBe(404);
      await publish(t, await signedBundle(t, t.name('npm-bundle'), '1.0', files));
      const doc = packumentOf(await t.http('GET', `${registry(repo)}/${name}`));
      expect(doc.name).toBe(name);
      expect(doc['dist-tags'].latest).toBe('1.10.0');
      expect(Object.keys(doc.versions).sort()).toEqual(['1.0.0', '1.10.0', '1.2.0', '2.0.0-rc.1']);
      expect(doc.versions['1.10.0']?.dependencies).toEqual({ 'scn-dep': '^2.0.0' });
      for (const file of files) {
        const version = Object.values(doc.versions).find(
          (v) => v.dist.tarball.endsWith(npmTarballPath(name, v.version)) && file.repoPath.endsWith(npmTarballPath(name, v.version)),
        );
        expect(version, file.repoPath).toBeDefined();
        const dist = version?.dist as Packument['versions'][string]['dist'];
        expect(dist.tarball, 'absolute').toMatch(/^https?:\/\//);
        expect(dist.shasum).toBe(digest('sha1', file.bytes));
        expect(dist.integrity).toBe(`sha512-${digest('sha512', file.bytes, 'base64')}`);
        const body = await t.http('GET', pathOf(dist.tarball, '/'));
        expect(body.status).toBe(200);
        expect(digest('sha256', body.body)).toBe(digest('sha256', file.bytes));
      }
      const abbreviated = await t.http('GET', `${registry(repo)}/${name}`, { headers: { accept: `${NPM_ABBREVIATED}; q=1.0, application/json; q=0.8, */*` } });
      expect(abbreviated.headers['content-type']).toMatch(new RegExp(`^${NPM_ABBREVIATED.replace(/[.+]/g, '\\$&')}`));
      expect(Object.keys(packumentOf(abbreviated).versions).length).toBe(4);
      expect((await t.http('GET', `${registry(repo)}/scn-no-such-package`)).status).toBe(404);
    },
  }),
  scenario({
    id: 'packages/npm-scoped-packument',
    title: 'a scoped package answers at @scope%2fname and at @scope/name',
    requirements: ['EDGE-PKG-3'],
    async run(t) {
      const repo = await packageRepo(t, 'npm-local', 'npm');
      const name = '@scn/scoped';
      await publish(t, await signedBundle(t, t.name('npm-bundle'), '1.0', [await tarballFile(t, repo, name, '3.1.4')]));
      for (const path of ['@scn%2fscoped', '@scn%2Fscoped', '@scn/scoped']) {
        const doc = packumentOf(await t.http('GET', `${registry(repo)}/${path}`));
        expect(doc.name, path).toBe(name);
        expect(doc['dist-tags'].latest).toBe('3.1.4');
        expect((await t.http('GET', pathOf(doc.versions['3.1.4']?.dist.tarball ?? '', '/'))).status).toBe(200);
      }
    },
  }),
  scenario({
    id: 'packages/npm-packument-readable-only',
    title: 'a packument shows a user only the versions whose tarballs they may read',
    requirements: ['EDGE-PKG-2'],
    async run(t) {
      const repo = await packageRepo(t, 'npm-local', 'npm');
      const name = 'scn-perm';
      const visible = await tarballFile(t, repo, name, '1.0.0');
      const hidden = { ...(await tarballFile(t, repo, name, '9.0.0')), repoPath: `${repo}/secret/${name}-9.0.0.tgz` };
      await publish(t, await signedBundle(t, t.name('npm-bundle'), '1.0', [visible, hidden]));
      const reader = await user(t, 'npm-reader');
      await permission(t, 'npm-read', { repositories: [repo], users: { [reader.name]: ['read'] }, exclude: ['secret/**'] });
      const doc = packumentOf(await t.http('GET', `${registry(repo)}/${name}`, { auth: reader.auth }));
      expect(Object.keys(doc.versions)).toEqual(['1.0.0']);
      expect(doc['dist-tags'].latest).toBe('1.0.0');
      expect((await t.http('GET', `${registry(repo)}/secret/${name}-9.0.0.tgz`, { auth: reader.auth })).status).toBe(404);
      expect(Object.keys(packumentOf(await t.http('GET', `${registry(repo)}/${name}`)).versions).sort(), 'the admin sees both').toEqual(['1.0.0', '9.0.0']);
    },
  }),
  scenario({
    id: 'packages/npm-broken-tarball-refused',
    title: 'a bundle whose npm tarball has a broken package.json is refused at commit, naming the file, and the packument stays as it was',
    requirements: ['EDGE-PKG-4', 'EDGE-PKG-1'],
    async run(t) {
      const repo = await packageRepo(t, 'npm-local', 'npm');
      const name = 'scn-broken';
      await publish(t, await signedBundle(t, t.name('npm-bundle'), '1.0', [await tarballFile(t, repo, name, '1.0.0')]));
      const before = (await t.http('GET', `${registry(repo)}/${name}`)).text;
      const salt = t.name('npm-content');
      const broken: [string, Buffer][] = [
        ['package.json is not JSON', await tarball({ 'package/package.json': `{"name": "${name}", "version": "2.0.0", ${salt}` })],
        ['no version', await tarball({ 'package/package.json': JSON.stringify({ name, description: salt }) })],
        ['no package.json', await tarball({ 'package/index.js': salt })],
        ['not a gzipped tar', Buffer.from(`not a tarball ${salt}`)],
      ];
      for (const [what, bytes] of broken) {
        await t.step(what, async () => {
          const file = { repoPath: `${repo}/${npmTarballPath(name, `2.0.0-${broken.findIndex(([w]) => w === what)}`)}`, bytes };
          const { id } = await open(t, await signedBundle(t, t.name('npm-bundle'), '1.0', [file]));
          expect((await uploadFile(t, id, file)).status).toBe(201);
          const res = await commit(t, id);
          expect(res.status, res.text).toBe(422);
          expect((res.json() as { errors: unknown[] }).errors[0]).toMatchObject({ code: 'EDP_PACKAGE_INVALID', repo_path: file.repoPath });
          expect((await t.http('GET', `${registry(repo)}/${name}`)).text).toBe(before);
          expect((await t.http('GET', `/artifactory/${file.repoPath}`)).status).toBe(404);
        });
      }
    },
  }),
  scenario({
    id: 'packages/npm-writes-refused',
    title: "npm's publish, unpublish and other writes are refused with the read-only error npm prints, and nothing changes",
    requirements: ['EDGE-PKG-5'],
    async run(t) {
      const repo = await packageRepo(t, 'npm-local', 'npm');
      const before = await snapshot(t, [repo]);
      const publishBody = { name: 'scn-pub', versions: { '1.0.0': { name: 'scn-pub', version: '1.0.0' } }, _attachments: {} };
      expectNpmError(await t.http('PUT', `${registry(repo)}/scn-pub`, { json: publishBody }), 403, 'EDGE_READ_ONLY', READ_ONLY_MESSAGE);
      expectNpmError(await t.http('DELETE', `${registry(repo)}/scn-pub/-rev/1`), 403, 'EDGE_READ_ONLY', READ_ONLY_MESSAGE);
      expectNpmError(await t.http('PUT', `${registry(repo)}/-/package/scn-pub/dist-tags/next`, { json: '1.0.0' }), 403, 'EDGE_READ_ONLY', READ_ONLY_MESSAGE);
      expect(await snapshot(t, [repo])).toEqual(before);
    },
  }),
];
