import { distribute, sha256, signedBundle } from '../../kit/bundles.ts';
import { NotApplicable, type ScenarioContext } from '../../kit/context.ts';
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

/** Creates a repository of a class an Edge may refuse; a 400 means this Edge does not hold the kind. */
async function createOrNotApplicable(t: ScenarioContext, base: string, config: Record<string, unknown>, kind: string): Promise<string> {
  const key = t.name(base);
  const res = await t.http('PUT', `/artifactory/api/repositories/${key}`, { json: config });
  if (res.status === 400) throw new NotApplicable(`the Edge does not hold ${kind} repositories: ${res.text.slice(0, 200)}`);
  if (res.status !== 200 && res.status !== 201) throw new Error(`creating the ${kind} repository ${key} answered ${res.status}: ${res.text.slice(0, 200)}`);
  t.defer(() => t.clients().artifactory.deleteRepository(key));
  return key;
}

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
        { repoPath: `${key}/org/app/1.0/app-1.0.pom`, bytes: Buffer.from('<project/>\n') },
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
      const key = await createOrNotApplicable(
        t,
        'ro-remote',
        // Never fetched from: the scenario only writes, and every write must be refused first.
        {
          rclass: 'remote',
          packageType: 'generic',
          url: 'http://127.0.0.1:9/artifactory/api/generic/generic-local',
          contentSynchronisation: { enabled: true },
        },
        'smart remote',
      );
      return { key, file: seedFile, folder: folderOf(seedFile) };
    },
  },
  {
    name: 'virtual',
    title: 'a virtual repository over a local one',
    async setUp(t, seedFile) {
      const member = await localRepo(t, 'ro-member');
      const key = await createOrNotApplicable(t, 'ro-virtual', { rclass: 'virtual', packageType: 'generic', repositories: [member] }, 'virtual');
      return { key, file: seedFile, folder: folderOf(seedFile), related: [member] };
    },
  },
];
