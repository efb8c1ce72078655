import { signedBundle } from '../../kit/bundles.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import type { RawResponse } from '../../kit/http.ts';
import { npmTarball, npmTarballPath, tarball } from '../../kit/packages.ts';
import { scenario } from '../../kit/scenario.ts';
import { publish } from '../../kit/transactions.ts';
import { attempt, smartRemote, startUpstream, upstreamGets, virtualRepo, type Upstream } from '../../kit/upstream.ts';
import { permission, user } from '../../kit/world.ts';
import { digest, packageRepo, pathOf } from './package-world.ts';

/**
 * EDGE-PKG-9 … EDGE-PKG-11: packuments of npm smart remotes (tarballs on the upstream simulator)
 * and of npm virtual repositories over a bundle-fed local repository and such a remote.
 */

interface Dist {
  tarball: string;
  shasum: string;
  integrity: string;
}
interface Packument {
  'dist-tags': { latest: string };
  versions: Record<string, { dist: Dist }>;
}

const registry = (repo: string) => `/artifactory/api/npm/${repo}`;

/** The packument of `name` in `repo`; undefined on 404. */
async function packumentOf(t: ScenarioContext, repo: string, name: string, auth?: string): Promise<Packument | undefined> {
  const res: RawResponse = await t.http('GET', `${registry(repo)}/${name}`, auth ? { auth } : {});
  if (res.status === 404) return undefined;
  expect(res.status, res.text).toBe(200);
  return res.json() as Packument;
}

/** Versions → the SHA-256 of the bytes each `dist.tarball` downloads, checked against `dist.shasum` and `dist.integrity`; every URL under `repo`'s own registry. */
async function downloads(t: ScenarioContext, repo: string, doc: Packument, auth?: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [version, { dist }] of Object.entries(doc.versions)) {
    const path = pathOf(dist.tarball, '/');
    expect(path.startsWith(`${registry(repo)}/`), `${version}: ${dist.tarball} is under ${registry(repo)}/`).toBe(true);
    const res = await t.http('GET', path, auth ? { auth } : {});
    expect(res.status, `${version}: ${res.text.slice(0, 200)}`).toBe(200);
    expect(digest('sha1', res.body), `${version}: shasum`).toBe(dist.shasum);
    expect(`sha512-${digest('sha512', res.body, 'base64')}`, `${version}: integrity`).toBe(dist.integrity);
    out[version] = digest('sha256', res.body);
  }
  return out;
}

/** The upstream simulator, with `tarballs` (version → bytes) of `name` where Artifactory keeps them. */
async function upstreamWith(t: ScenarioContext, name: string, tarballs: Record<string, Buffer>): Promise<Upstream> {
  const upstream = await startUpstream(t, 'simulator');
  for (const [version, bytes] of Object.entries(tarballs)) await upstream.put(npmTarballPath(name, version), bytes);
  return upstream;
}

const npmRemote = (t: ScenarioContext, upstream: Upstream, config: Record<string, unknown> = {}) => smartRemote(t, upstream, { packageType: 'npm', ...config });

const tgz = (t: ScenarioContext, name: string, version: string, extra: Record<string, unknown> = {}) =>
  npmTarball({ name, version, ...extra }, t.name(`npm-content-${version}`));

export const npmMemberScenarios = [
  scenario({
    id: 'packages/npm-remote-packument',
    title: "a smart remote's packument lists the upstream's tarballs, with URLs on the remote that download them and cache them",
    requirements: ['EDGE-PKG-9', 'EDGE-PKG-3'],
    needs: ['reach-loopback'],
    async run(t) {
      const name = '@scn/remote-lib';
      const tarballs = { '1.0.0': await tgz(t, name, '1.0.0'), '1.1.0': await tgz(t, name, '1.1.0', { dependencies: { 'scn-dep': '^1.0.0' } }) };
      const upstream = await upstreamWith(t, name, tarballs);
      const other = npmTarballPath('scn-other-lib', '1.0.0');
      await upstream.put(other, await tgz(t, 'scn-other-lib', '1.0.0'));
      const remote = await npmRemote(t, upstream);
      const doc = await packumentOf(t, remote, '@scn%2fremote-lib');
      expect(await upstreamGets(upstream, other), "another package's tarball is not fetched for this packument").toBe(0);
      expect(doc?.['dist-tags'].latest).toBe('1.1.0');
      expect(await downloads(t, remote, doc as Packument)).toEqual({
        '1.0.0': digest('sha256', tarballs['1.0.0']),
        '1.1.0': digest('sha256', tarballs['1.1.0']),
      });
      await t.step('the tarballs are cached: the upstream may go away', async () => {
        await upstream.down();
        const again = await packumentOf(t, remote, '@scn%2fremote-lib');
        expect(Object.keys(again?.versions ?? {}).sort()).toEqual(['1.0.0', '1.1.0']);
        expect((await t.http('GET', `/artifactory/${remote}/${upstream.root}/${npmTarballPath(name, '1.0.0')}`)).status).toBe(200);
      });
    },
  }),
  scenario({
    id: 'packages/npm-remote-index-follows-cache',
    title:
      'a smart remote that lists only its cache has a version in its packument from the moment it caches the tarball; a reader who may not cache sees the cache only',
    requirements: ['EDGE-PKG-9', 'EDGE-PKG-2'],
    needs: ['reach-loopback'],
    async run(t) {
      const name = 'scn-cached-lib';
      const tarballs = { '1.0.0': await tgz(t, name, '1.0.0'), '2.0.0': await tgz(t, name, '2.0.0') };
      const upstream = await upstreamWith(t, name, tarballs);
      const cacheOnly = await npmRemote(t, upstream, { listRemoteFolderItems: false });
      expect(await packumentOf(t, cacheOnly, name), 'nothing cached yet').toBeUndefined();
      expect((await t.http('GET', `/artifactory/${cacheOnly}/${upstream.root}/${npmTarballPath(name, '2.0.0')}`)).status).toBe(200);
      expect(Object.keys((await packumentOf(t, cacheOnly, name))?.versions ?? {})).toEqual(['2.0.0']);

      const listing = await npmRemote(t, upstream);
      const reader = await user(t, 'npm-remote-reader');
      await permission(t, 'npm-remote-read', { repositories: [listing], users: { [reader.name]: ['read'] } });
      expect(await packumentOf(t, listing, name, reader.auth), 'a reader who may not cache: only the cache, which is empty').toBeUndefined();
      expect((await t.http('GET', `/artifactory/${listing}/${upstream.root}/${npmTarballPath(name, '1.0.0')}`)).status).toBe(200);
      const doc = await packumentOf(t, listing, name, reader.auth);
      expect(Object.keys(doc?.versions ?? {})).toEqual(['1.0.0']);
      expect(await downloads(t, listing, doc as Packument, reader.auth)).toEqual({ '1.0.0': digest('sha256', tarballs['1.0.0']) });
    },
  }),
  scenario({
    id: 'packages/npm-remote-broken-tarball',
    title: "an upstream tarball whose package.json is missing or broken is never a version of a smart remote's packument",
    requirements: ['EDGE-PKG-11'],
    needs: ['reach-loopback'],
    async run(t) {
      const name = 'scn-remote-broken';
      const salt = t.name('npm-content');
      const upstream = await upstreamWith(t, name, {
        '1.0.0': await tgz(t, name, '1.0.0'),
        '2.0.0': await tarball({ 'package/package.json': `{"name": "${name}", "version": "2.0.0", ${salt}` }),
        '3.0.0': await tarball({ 'package/index.js': salt }),
        '4.0.0': Buffer.from(`not a tarball ${salt}`),
      });
      const remote = await npmRemote(t, upstream);
      for (const round of ['first', 'second']) {
        const doc = await packumentOf(t, remote, name);
        expect(Object.keys(doc?.versions ?? {}), `${round} packument`).toEqual(['1.0.0']);
        expect(doc?.['dist-tags'].latest).toBe('1.0.0');
      }
    },
  }),
  scenario({
    id: 'packages/npm-remote-checksum-mismatch',
    title:
      'a tarball the upstream sends with other bytes than it declares is refused and not cached, the packument without it, until a download brings the true bytes',
    requirements: ['EDGE-PKG-11', 'EDGE-PKG-9'],
    needs: ['reach-loopback'],
    async run(t) {
      const name = 'scn-remote-corrupt';
      const good = await tgz(t, name, '1.0.0');
      const bad = await tgz(t, name, '2.0.0');
      const upstream = await upstreamWith(t, name, { '1.0.0': good, '2.0.0': bad });
      // The first GET of 2.0.0 from now on gets bytes other than the checksums the upstream declares.
      const corruptOnce = () =>
        upstream.faultWith([
          {
            service: 'upstream',
            direction: 'inbound',
            route: upstream.route(npmTarballPath(name, '2.0.0')),
            method: 'GET',
            nth: 1,
            fault: { kind: 'corrupt', offset: bad.length - 30 },
          },
        ]);
      corruptOnce();
      const remote = await npmRemote(t, upstream, { listRemoteFolderItems: false, assumedOfflinePeriodSecs: 0 });
      const path = `${registry(remote)}/${upstream.root}/${npmTarballPath(name, '2.0.0')}`;
      expect((await t.http('GET', `/artifactory/${remote}/${upstream.root}/${npmTarballPath(name, '1.0.0')}`)).status).toBe(200);
      const before = await t.http('GET', `${registry(remote)}/${name}`);
      expect(Object.keys((before.json() as Packument).versions)).toEqual(['1.0.0']);
      const first = await attempt(t, path);
      expect(first.complete && first.res.status === 200, 'no complete 200 with bytes the upstream did not vouch for').toBe(false);
      expect((await t.http('GET', `${registry(remote)}/${name}`)).text, 'the packument is unchanged').toBe(before.text);

      const listing = await npmRemote(t, upstream, { assumedOfflinePeriodSecs: 0 });
      corruptOnce();
      const withFault = await packumentOf(t, listing, name);
      expect(Object.keys(withFault?.versions ?? {}), 'the corrupt download is left out of the answer').toEqual(['1.0.0']);
      const healed = await packumentOf(t, listing, name);
      expect(await downloads(t, listing, healed as Packument)).toEqual({ '1.0.0': digest('sha256', good), '2.0.0': digest('sha256', bad) });
    },
  }),
  scenario({
    id: 'packages/npm-virtual-packument',
    title:
      "a virtual's packument merges its members' (a bundle-fed local repository first, then a smart remote), the first member winning per version, with URLs on the virtual",
    requirements: ['EDGE-PKG-10'],
    needs: ['reach-loopback'],
    async run(t) {
      const name = 'scn-virtual-lib';
      const local = await packageRepo(t, 'npm-local', 'npm');
      const localFiles = { '1.0.0': await tgz(t, name, '1.0.0'), '2.0.0': await tgz(t, name, '2.0.0') };
      await publish(
        t,
        await signedBundle(
          t,
          t.name('npm-bundle'),
          '1.0',
          Object.entries(localFiles).map(([version, bytes]) => ({ repoPath: `${local}/${npmTarballPath(name, version)}`, bytes })),
        ),
      );
      // The upstream's 2.0.0 has other bytes, at another path: the local one wins by version.
      const upstreamFiles = { '2.0.0': await tgz(t, name, '2.0.0', { description: 'upstream' }), '3.0.0': await tgz(t, name, '3.0.0') };
      const upstream = await startUpstream(t, 'simulator');
      await upstream.put(`elsewhere/${name}-2.0.0.tgz`, upstreamFiles['2.0.0']);
      await upstream.put(npmTarballPath(name, '3.0.0'), upstreamFiles['3.0.0']);
      const remote = await npmRemote(t, upstream);
      const virtual = await virtualRepo(t, [remote, local], { packageType: 'npm' });
      const doc = await packumentOf(t, virtual, name);
      expect(doc?.['dist-tags'].latest).toBe('3.0.0');
      expect(await downloads(t, virtual, doc as Packument)).toEqual({
        '1.0.0': digest('sha256', localFiles['1.0.0']),
        '2.0.0': digest('sha256', localFiles['2.0.0']),
        '3.0.0': digest('sha256', upstreamFiles['3.0.0']),
      });
    },
  }),
];
