import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distribute, makeBundle, trustFixtureKey } from './bundle-kit.ts';
import { clientsOf, startEdge, type RunningEdge } from './edge-harness.ts';
import type { MavenRepository } from '../fixtures/packages/maven/settings.ts';
import { buildMavenFiles, GROUP, mavenPackageSet, mavenResolve, runCompiled } from './maven-client-kit.ts';
import { createRemote, startUpstream, type Upstream } from './smart-remote-kit.ts';
import { putPermission, putUser } from './trust-fixtures.ts';

/**
 * EDGE-MVN-8: the real `mvn` resolves from an Edge with `settings.xml` credentials, sent only
 * after the Basic challenge (EDGE-MVN-1): `dependency:get` of an artifact with a dependency and a
 * project build whose dependency is a version range (so Maven reads the computed
 * maven-metadata.xml, EDGE-MVN-2), with strict checksums (the `.sha1` files, EDGE-MVN-5): for
 * files a signed bundle delivered, pulled through a smart remote from the upstream simulator, and
 * through a virtual repository over both.
 */

const LOCAL = 'maven-local';
const REMOTE = 'maven-remote';
const VIRTUAL = 'maven-virtual';
const USER = 'maven-user';
const PASSWORD = `${USER}-password-1`;
const GROUP_PATH = GROUP.replace(/\./g, '/');

let edge: RunningEdge;
let upstream: Upstream;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'edgeproof-mvn-'));
  // The upstream also has app 1.7: the remote resolves [1.0,2.0) to it, and so does a virtual
  // over both, which it can only do from the members' merged metadata.
  const files = await buildMavenFiles(work, mavenPackageSet(['1.0', '1.5', '1.7', '2.0']));
  const upstreamOnly = (path: string) => path.includes('/edgeproof-app/1.7/');
  edge = await startEdge();
  upstream = await startUpstream();
  await trustFixtureKey(edge);
  const { artifactory } = clientsOf(edge);
  await artifactory.createRepository(LOCAL, { rclass: 'local', packageType: 'maven' });
  await distribute(
    edge,
    await makeBundle(
      'maven-set',
      '1.0',
      files.filter((f) => !upstreamOnly(f.path)).map((f) => ({ repoPath: `${LOCAL}/${f.path}`, bytes: f.bytes })),
    ),
  );
  for (const file of files) await upstream.put(file.path, file.bytes);
  const remote = await createRemote(edge, REMOTE, upstream.repoUrl, { packageType: 'maven' });
  expect(remote.status, remote.body).toBe(200);
  await artifactory.createRepository(VIRTUAL, { rclass: 'virtual', packageType: 'maven', repositories: [LOCAL, REMOTE] });
  await putUser(edge.url, edge.admin, USER, { email: `${USER}@example.com` });
  await putPermission(edge.url, edge.admin, 'maven-readers', { repositories: [LOCAL, VIRTUAL], actions: { users: { [USER]: ['read'] } } });
  // Pulling a file into a remote's cache is Artifactory's "Deploy/Cache" right.
  await putPermission(edge.url, edge.admin, 'maven-cachers', { repositories: [REMOTE], actions: { users: { [USER]: ['read', 'write'] } } });
}, 120_000);

afterAll(async () => {
  await edge?.close();
  await upstream?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const repository = (key: string): MavenRepository => ({ id: `edge-${key}`, url: `${edge.art}/${key}`, username: USER, password: PASSWORD });

/** Resolves from `key` and checks what landed in the local repository and what the build compiled against. */
async function resolveFrom(key: string, app: string): Promise<void> {
  const dir = join(work, `consumer-${key}`);
  const mvn = await mavenResolve(dir, repository(key));
  // The versions whose jar Maven downloaded (it may read other versions' POMs while it chooses).
  const held = async (artifactId: string) => {
    const versions = (await readdir(join(mvn.localRepo, GROUP_PATH, artifactId)).catch(() => [])).filter((n) => /^\d/.test(n));
    const withJar = await Promise.all(
      versions.map(async (v) => (await readdir(join(mvn.localRepo, GROUP_PATH, artifactId, v))).includes(`${artifactId}-${v}.jar`)),
    );
    return versions.filter((_, i) => withJar[i]).sort();
  };
  expect(await held('edgeproof-tool'), 'dependency:get fetched the tool').toEqual(['1.0']);
  expect(await held('edgeproof-dep'), 'and its dependency').toEqual(['1.2']);
  expect(await held('edgeproof-app'), `the range [1.0,2.0) resolved to ${app} from maven-metadata.xml`).toEqual([app]);
  const jar = (artifactId: string, version: string) => `${GROUP_PATH}/${artifactId}/${version}/${artifactId}-${version}.jar`;
  expect(await runCompiled(mvn, dir, [jar('edgeproof-app', app), jar('edgeproof-dep', '1.2')])).toBe(`app ${app} dep 1.2`);
}

describe('EDGE-MVN-8: mvn resolves from an Edge', () => {
  it('EDGE-MVN-8, EDGE-MVN-1, EDGE-MVN-2: dependency:get and a project build, for files a signed bundle delivered', async () => {
    await resolveFrom(LOCAL, '1.5');
  }, 180_000);

  it('EDGE-MVN-8: the same through a smart remote from the upstream simulator', async () => {
    await resolveFrom(REMOTE, '1.7');
  }, 180_000);

  it('EDGE-MVN-8, EDGE-MVN-2: the same through a virtual repository over both, from their merged maven-metadata.xml', async () => {
    await resolveFrom(VIRTUAL, '1.7');
  }, 180_000);
});
