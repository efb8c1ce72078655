import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distribute, makeBundle, trustFixtureKey } from './bundle-kit.ts';
import {
  clientHome,
  dockerEngineProblem,
  dockerLogin,
  dockerPull,
  dockerRemove,
  imageRef,
  skopeoCopy,
  skopeoInspect,
  type RegistryLogin,
} from './docker-client-kit.ts';
import { multiArch, singleArch, type BuiltImage } from '../scenarios/kit/oci-images.ts';
import { clientsOf, startEdge, type RunningEdge } from './edge-harness.ts';
import { createRemote, startUpstream, type Upstream } from './smart-remote-kit.ts';
import { putPermission, putUser } from './trust-fixtures.ts';

/**
 * EDGE-OCI-9: the real registry clients pull from an Edge whose Docker repository got its images
 * in a signed release bundle, laid out as Artifactory stores them: `skopeo` (inspect, copy with
 * every blob's digest verified) and `docker pull` after `docker login` (token flow: 401 with a
 * Bearer challenge, the token endpoint, then the pull with the token). Images: a Docker v2 and
 * an OCI single-arch image, and a multi-arch manifest list. The same through a smart remote
 * whose upstream (the upstream simulator) holds the layout's files, and through a virtual
 * repository over both (EDGE-OCI-10).
 */

const REPO = 'docker-local';
const REMOTE = 'docker-remote';
const VIRTUAL = 'docker';
const USER = 'docker-user';
const PASSWORD = `${USER}-password-1`;
const engineProblem = await dockerEngineProblem();

let edge: RunningEdge;
let home: string;
let login: RegistryLogin;
let v2: BuiltImage;
let oci: BuiltImage;
let multi: Awaited<ReturnType<typeof multiArch>>;
let upstream: Upstream;
let remoteImage: BuiltImage;
let remoteMulti: Awaited<ReturnType<typeof multiArch>>;

beforeAll(async () => {
  edge = await startEdge();
  home = await clientHome();
  await trustFixtureKey(edge);
  await clientsOf(edge).artifactory.createRepository(REPO, { rclass: 'local', packageType: 'docker' });
  await putUser(edge.url, edge.admin, USER, { email: `${USER}@example.com` });
  await putPermission(edge.url, edge.admin, 'docker-readers', { repositories: [REPO], actions: { users: { [USER]: ['read'] } } });
  v2 = await singleArch({ image: 'edgeproof/hello', tag: '1.0', format: 'docker', text: 'hello from a Docker v2 image\n' });
  oci = await singleArch({ image: 'edgeproof/hello', tag: '1.0-oci', format: 'oci', text: 'hello from an OCI image\n' });
  multi = await multiArch('edgeproof/multi', 'latest', 'docker', ['amd64', 'arm64']);
  const files = [...v2.files, ...oci.files, ...multi.files].map((file) => ({ repoPath: `${REPO}/${file.path}`, bytes: file.bytes }));
  await distribute(edge, await makeBundle('docker-set', '1.0', files));
  login = { url: edge.url, repo: REPO, user: USER, password: PASSWORD };

  // The upstream holds the layout's files; the Edge's remote pulls them through as clients ask.
  upstream = await startUpstream();
  remoteImage = await singleArch({ image: 'edgeproof/upstream', tag: '2.0', format: 'oci', text: 'hello from the upstream\n' });
  remoteMulti = await multiArch('edgeproof/upstream-multi', '2.0', 'oci', ['amd64', 'arm64']);
  for (const file of [...remoteImage.files, ...remoteMulti.files]) await upstream.put(file.path, file.bytes);
  const created = await createRemote(edge, REMOTE, upstream.repoUrl, { packageType: 'docker' });
  if (created.status !== 200) throw new Error(`remote: ${created.status} ${created.body}`);
  await clientsOf(edge).artifactory.createRepository(VIRTUAL, { rclass: 'virtual', packageType: 'docker', repositories: [REPO, REMOTE] });
  // A smart remote asks its upstream only for callers who may cache what it brings (EDGE-SR-17).
  await putPermission(edge.url, edge.admin, 'docker-cachers', { repositories: [REMOTE, VIRTUAL], actions: { users: { [USER]: ['read', 'write'] } } });
}, 60_000);

afterAll(async () => {
  if (home) {
    if (!engineProblem) for (const ref of pulled) await dockerRemove(home, ref);
    await rm(home, { recursive: true, force: true });
  }
  await edge?.close();
  await upstream?.close();
});

const through = (repo: string): RegistryLogin => ({ ...login, repo });

const pulled: string[] = [];

describe('EDGE-OCI-9: skopeo from an Edge (content from a signed bundle)', () => {
  it('EDGE-OCI-9, EDGE-OCI-3: skopeo inspect finds the tag and its digest, Docker v2 and OCI', async () => {
    for (const [tag, image] of [
      ['1.0', v2],
      ['1.0-oci', oci],
    ] as const) {
      const summary = (await skopeoInspect(home, login, 'edgeproof/hello', tag)) as { Digest: string; Architecture: string; Layers: string[] };
      expect(summary.Digest).toBe(image.digest);
      expect(summary.Architecture).toBe('amd64');
      expect(summary.Layers).toEqual(image.blobs.slice(1));
    }
    const raw = await skopeoInspect(home, login, 'edgeproof/hello', oci.digest, true);
    expect(raw).toEqual(JSON.parse(oci.manifest.toString()));
  }, 60_000);

  it('EDGE-OCI-9, EDGE-OCI-4: skopeo copy fetches manifest and blobs, every digest verified', async () => {
    const dest = join(home, 'copy-v2');
    const files = await skopeoCopy(home, login, 'edgeproof/hello', '1.0', dest);
    const hexes = v2.blobs.map((digest) => digest.slice('sha256:'.length));
    expect(files).toEqual(['manifest.json', 'version', ...hexes].sort());
    expect(await readFile(join(dest, 'manifest.json'))).toEqual(v2.manifest);
  }, 60_000);

  it('EDGE-OCI-9, EDGE-OCI-3: skopeo copy --all of a multi-arch list takes every platform', async () => {
    const dest = join(home, 'copy-multi');
    const files = await skopeoCopy(home, login, 'edgeproof/multi', 'latest', dest, true);
    expect(await readFile(join(dest, 'manifest.json'))).toEqual(multi.manifest);
    for (const platform of multi.platforms) expect(files).toContain(`${platform.digest.slice('sha256:'.length)}.manifest.json`);
  }, 60_000);
});

describe('EDGE-OCI-10: skopeo through a smart remote and a virtual repository', () => {
  it('EDGE-OCI-10: skopeo copy through the smart remote pulls the manifest and blobs from the upstream layout', async () => {
    const dest = join(home, 'copy-remote');
    const files = await skopeoCopy(home, through(REMOTE), 'edgeproof/upstream', '2.0', dest);
    expect(files).toEqual(['manifest.json', 'version', ...remoteImage.blobs.map((d) => d.slice('sha256:'.length))].sort());
    expect(await readFile(join(dest, 'manifest.json'))).toEqual(remoteImage.manifest);
    // Cached now: served again with the upstream down.
    expect(await upstream.count('GET', 'edgeproof/upstream/2.0/manifest.json')).toBe(1);
  }, 60_000);

  it('EDGE-OCI-10: skopeo copy --all of a multi-arch list through the remote', async () => {
    const files = await skopeoCopy(home, through(REMOTE), 'edgeproof/upstream-multi', '2.0', join(home, 'copy-remote-multi'), true);
    for (const platform of remoteMulti.platforms) expect(files).toContain(`${platform.digest.slice('sha256:'.length)}.manifest.json`);
  }, 60_000);

  it('EDGE-OCI-10: the virtual serves the local image and the remote one', async () => {
    // skopeo's summary lists the tags too: the virtual merges its members' (RepoFiles).
    const local = (await skopeoInspect(home, through(VIRTUAL), 'edgeproof/hello', '1.0')) as { Digest: string; RepoTags: string[] };
    expect(local.Digest).toBe(v2.digest);
    expect(local.RepoTags).toEqual(['1.0', '1.0-oci']);
    const remote = (await skopeoInspect(home, through(VIRTUAL), 'edgeproof/upstream', '2.0')) as { RepoTags: string[] };
    expect(remote.RepoTags).toEqual(['2.0']);
    const files = await skopeoCopy(home, through(VIRTUAL), 'edgeproof/upstream', '2.0', join(home, 'copy-virtual'));
    expect(files).toContain('manifest.json');
  }, 60_000);
});

describe.skipIf(engineProblem !== undefined)(
  `EDGE-OCI-9: docker pull from an Edge${engineProblem ? ` (skipped: no Docker engine: ${engineProblem})` : ''}`,
  () => {
    it('EDGE-OCI-9, EDGE-OCI-1: docker login, then pull of a Docker v2, an OCI and a multi-arch image', async () => {
      expect(await dockerLogin(home, login)).toContain('Login Succeeded');
      for (const [image, tag, built] of [
        ['edgeproof/hello', '1.0', v2],
        ['edgeproof/hello', '1.0-oci', oci],
        ['edgeproof/multi', 'latest', multi.platforms[0] as BuiltImage],
      ] as const) {
        const ref = imageRef(login, image, tag);
        await dockerRemove(home, ref);
        pulled.push(ref);
        const { output, id } = await dockerPull(home, ref);
        expect(output).toContain('Downloaded newer image');
        // The engine names an image by its config's digest: the bytes the Edge served are the bundle's.
        expect(id).toBe(built.blobs[0]);
      }
    }, 180_000);

    it('EDGE-OCI-10: docker pull through the smart remote and through the virtual', async () => {
      await dockerLogin(home, login);
      for (const [repo, image, tag, built] of [
        [REMOTE, 'edgeproof/upstream-multi', '2.0', remoteMulti.platforms[0] as BuiltImage],
        [VIRTUAL, 'edgeproof/upstream', '2.0', remoteImage],
        [VIRTUAL, 'edgeproof/hello', '1.0-oci', oci],
      ] as const) {
        const ref = imageRef(through(repo), image, tag);
        await dockerRemove(home, ref);
        pulled.push(ref);
        expect((await dockerPull(home, ref)).id).toBe(built.blobs[0]);
      }
    }, 180_000);
  },
);
