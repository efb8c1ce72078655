import { distribute, sha256, signedBundle } from '../../kit/bundles.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { smartRemote, startUpstream, virtualRepo } from '../../kit/upstream.ts';
import { localRepo } from '../../kit/world.ts';

/**
 * The kinds of repository an Edge can hold besides `artifactory-edge-uploads`, each set up for a
 * scenario. JFrog's Edge holds local, smart remote and virtual repositories (jfrog-compat.md §6);
 * a kind the Edge refuses to create (400) makes the scenario not applicable, never passed.
 */

export interface HeldRepository {
  key: string;
  /** A file path in it: stored there when the kind holds content, else a path that exists in the uploads repository. */
  file: string;
  /** The folder holding `file`. */
  folder: string;
  /** A property key `file` carries, when it carries any. */
  property?: string;
  /** The SHA-256 of content stored in this repository, when it holds any. */
  ownSha256?: string;
  /** Other repositories set up with it (a virtual's members), which a write must not change either. */
  related?: string[];
  /** An admin may delete from it: a smart remote's cache (EDGE-SR-16). */
  adminDeletes?: boolean;
}

export interface RepositoryKind {
  /** Kebab case: scenario ids end with it. */
  name: string;
  /** How failure messages name it. */
  title: string;
  /** `seedFile` is a path stored in the uploads repository (relative to it). */
  setUp(t: ScenarioContext, seedFile: string): Promise<HeldRepository>;
}

const folderOf = (path: string) => path.slice(0, path.lastIndexOf('/'));

export const REPOSITORY_KINDS: readonly RepositoryKind[] = [
  {
    name: 'local',
    title: 'an empty local repository',
    async setUp(t, seedFile) {
      const key = await localRepo(t, 'ro-local');
      return { key, file: seedFile, folder: folderOf(seedFile) };
    },
  },
  {
    name: 'bundle-target',
    title: "a release bundle's target repository with published content",
    async setUp(t) {
      const key = await localRepo(t, 'ro-bundle', { packageType: 'maven' });
      const app = Buffer.from(`published by ${key}\n`);
      const files = [
        { repoPath: `${key}/org/app/1.0/app-1.0.jar`, bytes: app, props: [{ key: 'release', values: ['1.0'] }] },
        // A POM of the artifact its path names: an inconsistent one is refused (EDGE-MVN-7).
        {
          repoPath: `${key}/org/app/1.0/app-1.0.pom`,
          bytes: Buffer.from('<project><groupId>org</groupId><artifactId>app</artifactId><version>1.0</version></project>\n'),
        },
      ];
      await t.installTrust();
      await distribute(t, await signedBundle(t, t.name('ro-bundle'), '1.0', files));
      return { key, file: 'org/app/1.0/app-1.0.jar', folder: 'org/app/1.0', property: 'release', ownSha256: sha256(app) };
    },
  },
  {
    name: 'smart-remote',
    title: 'a smart remote repository',
    async setUp(t, seedFile) {
      // The upstream holds a file at the seed's path; downloading it through the remote caches it.
      const upstream = await startUpstream(t, 'simulator');
      const file = `${upstream.root}/${seedFile}`;
      const bytes = Buffer.from(`cached by a smart remote for ${upstream.root}\n`);
      await upstream.put(seedFile, bytes);
      const key = await smartRemote(t, upstream);
      const res = await t.http('GET', `/artifactory/${key}/${file}`);
      if (res.status !== 200) throw new Error(`caching ${file} through ${key} answered ${res.status}: ${res.text.slice(0, 200)}`);
      return { key, file, folder: folderOf(file), ownSha256: sha256(bytes), adminDeletes: true };
    },
  },
  {
    name: 'virtual',
    title: 'a virtual repository over a local one',
    async setUp(t, seedFile) {
      const member = await localRepo(t, 'ro-member');
      const key = await virtualRepo(t, [member]);
      return { key, file: seedFile, folder: folderOf(seedFile), related: [member] };
    },
  },
];
