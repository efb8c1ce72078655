import { signedBundle, type BundleFile } from '../../kit/bundles.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { publish } from '../../kit/transactions.ts';
import { smartRemote, startUpstream, type Upstream, virtualRepo } from '../../kit/upstream.ts';
import { artifactPath, mavenFiles, metadataVersions } from './maven-world.ts';
import { digest, packageRepo } from './package-world.ts';

/**
 * EDGE-MVN-2: the maven-metadata.xml of a Maven smart remote (files on the upstream simulator,
 * which has no metadata of its own) and of a Maven virtual repository over a bundle-fed local
 * repository and such a remote. Listing goes through the package index seam (RepoFiles), which
 * lists a remote's upstream and a virtual's members (EDGE-PKG-9, EDGE-PKG-10).
 */

/**
 * The artifact of a scenario: the upstream's paths are below its scenario folder (`root`), so
 * the group starts there, and a local member holds the same paths.
 */
const artifactOf = (upstream: Upstream) => ({ groupId: `${upstream.root}.scn.members`, artifactId: 'scn-member' });
const metadataOf = (repo: string, upstream: Upstream) => `/artifactory/${repo}/${artifactPath(artifactOf(upstream))}/maven-metadata.xml`;

/** Puts the POM and jar of each version on the upstream; returns them with their paths in a remote over it. */
async function onUpstream(t: ScenarioContext, upstream: Upstream, versions: string[]): Promise<BundleFile[]> {
  const files = versions.flatMap((version) => mavenFiles('x', { ...artifactOf(upstream), version }, Buffer.from(`jar ${version} ${t.name('maven-content')}`)));
  for (const file of files) await upstream.put(file.repoPath.slice(`x/${upstream.root}/`.length), file.bytes);
  return files.map((file) => ({ ...file, repoPath: file.repoPath.slice('x/'.length) }));
}

export const mavenMemberScenarios = [
  scenario({
    id: 'packages/maven-remote-metadata',
    title: "a Maven smart remote's maven-metadata.xml lists the upstream's versions, and its files and their .sha1 download through the remote",
    requirements: ['EDGE-MVN-2', 'EDGE-MVN-5'],
    needs: ['reach-loopback'],
    async run(t) {
      const upstream = await startUpstream(t, 'simulator');
      const files = await onUpstream(t, upstream, ['1.0', '1.10', '1.9']);
      const remote = await smartRemote(t, upstream, { packageType: 'maven' });
      const res = await t.http('GET', metadataOf(remote, upstream));
      expect(res.status, res.text).toBe(200);
      expect(metadataVersions(res.text)).toEqual({ versions: ['1.0', '1.9', '1.10'], latest: '1.10', release: '1.10' });
      for (const file of files) {
        const path = `/artifactory/${remote}/${file.repoPath}`;
        expect((await t.http('GET', path)).body.equals(file.bytes), path).toBe(true);
        expect((await t.http('GET', `${path}.sha1`)).text.trim(), `${path}.sha1`).toBe(digest('sha1', file.bytes));
      }
    },
  }),
  scenario({
    id: 'packages/maven-virtual-metadata',
    title: "a Maven virtual repository's maven-metadata.xml merges its members' versions (a bundle-fed local repository and a smart remote)",
    requirements: ['EDGE-MVN-2', 'EDGE-MVN-3'],
    needs: ['reach-loopback'],
    async run(t) {
      const upstream = await startUpstream(t, 'simulator');
      const local = await packageRepo(t, 'maven-local', 'maven');
      const localFiles = ['1.0', '2.0'].flatMap((version) =>
        mavenFiles(local, { ...artifactOf(upstream), version }, Buffer.from(`jar ${version} ${t.name('maven-content')}`)),
      );
      await publish(t, await signedBundle(t, t.name('maven-bundle'), '1.0', localFiles));
      await onUpstream(t, upstream, ['1.5', '2.0', '3.0-SNAPSHOT']);
      const remote = await smartRemote(t, upstream, { packageType: 'maven' });
      const virtual = await virtualRepo(t, [local, remote], { packageType: 'maven' });
      const res = await t.http('GET', metadataOf(virtual, upstream));
      expect(res.status, res.text).toBe(200);
      expect(metadataVersions(res.text)).toEqual({ versions: ['1.0', '1.5', '2.0', '3.0-SNAPSHOT'], latest: '3.0-SNAPSHOT', release: '2.0' });
      const sha1 = await t.http('GET', `${metadataOf(virtual, upstream)}.sha1`);
      expect(sha1.text.trim()).toBe(digest('sha1', res.body));
    },
  }),
];
