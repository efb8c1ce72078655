import { READ_ONLY_MESSAGE } from '../../../protocol/errors.ts';
import { blobName, DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST } from '../../../protocol/wire/oci.ts';
import { commit, signedBundle, uploadFile, type BundleFile } from '../../kit/bundles.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import type { RawResponse } from '../../kit/http.ts';
import { multiArch, singleArch, type BuiltImage, type LayoutFile } from '../../kit/oci-images.ts';
import { scenario } from '../../kit/scenario.ts';
import { open, publish } from '../../kit/transactions.ts';
import { permission, user } from '../../kit/world.ts';
import { digest, packageRepo } from './package-world.ts';

/** EDGE-OCI-1 … EDGE-OCI-8: the registry API over Artifactory's layout, for images a bundle delivered. */

const v2 = (repo: string) => `/v2/${repo}`;
const api = (repo: string) => `/artifactory/api/docker/${repo}/v2`;

/** A Docker repository holding `images`, delivered in one signed bundle. */
async function dockerRepo(t: ScenarioContext, images: { files: LayoutFile[] }[]): Promise<string> {
  const repo = await packageRepo(t, 'docker-local', 'docker');
  const files: BundleFile[] = images.flatMap((image) => image.files.map((file) => ({ repoPath: `${repo}/${file.path}`, bytes: file.bytes })));
  if (files.length > 0) await publish(t, await signedBundle(t, t.name('docker-bundle'), '1.0', files));
  return repo;
}

/** An image name unique to the run (image names are lower case). */
const imageName = (t: ScenarioContext, base: string) => `scn/${t.name(base).toLowerCase()}`;

/** The registry's error body: the spec's code first, Artifactory's status kept. */
function expectRegistryError(res: RawResponse, status: number, code: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers['docker-distribution-api-version']).toBe('registry/2.0');
  if (res.text === '') return; // HEAD
  const entry = (res.json() as { errors: { code: string; message: string; status: number }[] }).errors[0];
  expect(entry, res.text).toMatchObject({ code, status });
  expect(typeof entry?.message).toBe('string');
}

export const dockerScenarios = [
  scenario({
    id: 'packages/docker-ping-and-token',
    title: 'the registry ping challenges anonymous callers to fetch a token from the realm, which then authenticates the pull API',
    requirements: ['EDGE-OCI-1', 'EDGE-OCI-6'],
    async run(t) {
      const repo = await dockerRepo(t, []);
      for (const [ping, realmPath] of [
        ['/v2/', '/artifactory/api/docker/v2/token'],
        [`${api(repo)}/`, `/artifactory/api/docker/${repo}/v2/token`],
      ] as const) {
        const anonymous = await t.http('GET', ping, { auth: null });
        expectRegistryError(anonymous, 401, 'UNAUTHORIZED');
        const challenge = String(anonymous.headers['www-authenticate']);
        const realm = /^Bearer realm="([^"]+)",service="([^"]+)"$/.exec(challenge);
        expect(realm, challenge).not.toBeNull();
        expect(new URL(realm?.[1] ?? 'x:').pathname).toBe(realmPath);
        const signedIn = await t.http('GET', ping);
        expect(signedIn.status, signedIn.text).toBe(200);
        expect(signedIn.json()).toEqual({});
        expect(signedIn.headers['docker-distribution-api-version']).toBe('registry/2.0');
      }
      const reader = await user(t, 'docker-reader');
      const tokenRes = await t.http('GET', `/artifactory/api/docker/${repo}/v2/token?service=edge&scope=repository:${repo}/x:pull`, { auth: reader.auth });
      expect(tokenRes.status, tokenRes.text).toBe(200);
      const token = tokenRes.json() as { token: string; access_token: string; expires_in: number };
      expect(token.token.length).toBeGreaterThan(20);
      expect(token.access_token).toBe(token.token);
      expect(token.expires_in).toBeGreaterThan(0);
      expect((await t.http('GET', '/v2/', { auth: `Bearer ${token.token}` })).status).toBe(200);
      const bad = await t.http('GET', '/v2/', { auth: 'Bearer not-a-token' });
      expectRegistryError(bad, 401, 'UNAUTHORIZED');
      expect(String(bad.headers['www-authenticate'])).toMatch(/^Bearer realm=/);
      // The token endpoint wants credentials, not a token: its challenge is Basic.
      const noCredentials = await t.http('GET', `/artifactory/api/docker/${repo}/v2/token`, { auth: null });
      expect(noCredentials.status).toBe(401);
      expect(String(noCredentials.headers['www-authenticate'])).toMatch(/^Basic /);
      // A pull request without credentials is challenged with its repository's realm.
      const pull = await t.http('GET', `${v2(repo)}/scn/none/manifests/1.0`, { auth: null });
      if (pull.status === 401) expect(String(pull.headers['www-authenticate'])).toContain(`/artifactory/api/docker/${repo}/v2/token`);
    },
  }),
  scenario({
    id: 'packages/docker-manifests',
    title: 'manifests answer by tag and by digest, GET and HEAD, with their media type, digest and length, in both URL forms',
    requirements: ['EDGE-OCI-2', 'EDGE-OCI-3', 'EDGE-OCI-6'],
    async run(t) {
      const name = imageName(t, 'img');
      const docker = await singleArch({ image: name, tag: '1.0', format: 'docker', text: t.name('docker-layer') });
      const oci = await singleArch({ image: name, tag: '1.0-oci', format: 'oci', text: t.name('oci-layer') });
      const multi = await multiArch(`${name}-multi`, 'latest', 'oci', ['amd64', 'arm64'], t.name('multi-layer'));
      const repo = await dockerRepo(t, [docker, oci, multi]);
      const cases: [string, string, BuiltImage][] = [
        [name, '1.0', docker],
        [name, docker.digest, docker],
        [name, '1.0-oci', oci],
        [name, oci.digest, oci],
        [`${name}-multi`, 'latest', multi],
        [`${name}-multi`, multi.digest, multi],
        [`${name}-multi`, (multi.platforms[1] as BuiltImage).digest, multi.platforms[1] as BuiltImage],
      ];
      for (const [image, reference, built] of cases) {
        for (const base of [v2(repo), api(repo)]) {
          await t.step(`${base}/${image}/manifests/${reference}`, async () => {
            const path = `${base}/${image}/manifests/${reference}`;
            const res = await t.http('GET', path, { headers: { accept: [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, '*/*'].join(', ') } });
            expect(res.status, res.text).toBe(200);
            expect(res.body.equals(built.manifest)).toBe(true);
            expect(res.headers['content-type']).toBe(built.mediaType);
            expect(res.headers['docker-content-digest']).toBe(built.digest);
            expect(res.headers['x-artifactory-docker-registry']).toBe(repo);
            const head = await t.http('HEAD', path);
            expect(head.status).toBe(200);
            expect(head.headers['content-length']).toBe(String(built.manifest.length));
            expect(head.headers['docker-content-digest']).toBe(built.digest);
          });
        }
      }
      expectRegistryError(await t.http('GET', `${v2(repo)}/${name}/manifests/2.0`), 404, 'MANIFEST_UNKNOWN');
      expectRegistryError(await t.http('GET', `${v2(repo)}/${name}/manifests/.INVALID_MANIFEST_NAME`), 404, 'MANIFEST_UNKNOWN');
      expectRegistryError(await t.http('GET', `${v2(repo)}/${name}/manifests/sha256:${'0'.repeat(64)}`), 404, 'MANIFEST_UNKNOWN');
      expectRegistryError(await t.http('GET', `${v2(repo)}/${name}/manifests/sha256:totallywrong`), 400, 'DIGEST_INVALID');
      expectRegistryError(await t.http('GET', `${v2(repo)}/scn/no-such-image/manifests/1.0`), 404, 'MANIFEST_UNKNOWN');
      const generic = await packageRepo(t, 'generic-local', 'generic');
      expectRegistryError(await t.http('GET', `${v2(generic)}/${name}/manifests/1.0`), 404, 'NAME_UNKNOWN');
    },
  }),
  scenario({
    id: 'packages/docker-blobs',
    title: 'blobs answer by digest with their digest and length, byte ranges, and BLOB_UNKNOWN when absent',
    requirements: ['EDGE-OCI-4', 'EDGE-OCI-6'],
    async run(t) {
      const name = imageName(t, 'blob');
      const image = await singleArch({ image: name, tag: '1.0', format: 'oci', text: t.name('blob-layer') });
      const repo = await dockerRepo(t, [image]);
      for (const blob of image.blobs) {
        const bytes = (image.files.find((file) => file.path.endsWith(blobName(blob.slice('sha256:'.length)))) as LayoutFile).bytes;
        const path = `${v2(repo)}/${name}/blobs/${blob}`;
        const res = await t.http('GET', path);
        expect(res.status, res.text).toBe(200);
        expect(`sha256:${digest('sha256', res.body)}`).toBe(blob);
        expect(res.headers['docker-content-digest']).toBe(blob);
        const head = await t.http('HEAD', `${api(repo)}/${name}/blobs/${blob}`);
        expect(head.status).toBe(200);
        expect(head.headers['content-length']).toBe(String(bytes.length));
        const range = await t.http('GET', path, { headers: { range: 'bytes=1-4' } });
        expect(range.status).toBe(206);
        expect(range.body.equals(bytes.subarray(1, 5))).toBe(true);
      }
      const helloWorld = `sha256:${digest('sha256', Buffer.from('hello world'))}`;
      expectRegistryError(await t.http('GET', `${v2(repo)}/${name}/blobs/${helloWorld}`), 404, 'BLOB_UNKNOWN');
      expectRegistryError(await t.http('HEAD', `${v2(repo)}/${name}/blobs/${helloWorld}`), 404, 'BLOB_UNKNOWN');
      // A blob of another image is not this image's.
      expectRegistryError(await t.http('GET', `${v2(repo)}/scn/other/blobs/${image.blobs[0]}`), 404, 'BLOB_UNKNOWN');
    },
  }),
  scenario({
    id: 'packages/docker-tags-and-referrers',
    title: 'the tag list is sorted and paginated with a Link header; referrers list the manifests whose subject is the digest',
    requirements: ['EDGE-OCI-5', 'EDGE-OCI-2'],
    async run(t) {
      const name = imageName(t, 'tags');
      const images = [];
      for (const tag of ['b', '1.0', 'a', 'latest']) images.push(await singleArch({ image: name, tag, format: 'oci', text: `${t.name('tag-layer')} ${tag}` }));
      const subject = images[0] as BuiltImage;
      const artifact = referrer(name, subject);
      const repo = await dockerRepo(t, [...images, artifact]);
      const list = await t.http('GET', `${v2(repo)}/${name}/tags/list`);
      expect(list.status, list.text).toBe(200);
      expect(list.json()).toEqual({ name, tags: ['1.0', 'a', 'b', 'latest', 'sig'] });
      const first = await t.http('GET', `${v2(repo)}/${name}/tags/list?n=2`);
      expect((first.json() as { tags: string[] }).tags).toEqual(['1.0', 'a']);
      expect(String(first.headers.link)).toBe(`</v2/${repo}/${name}/tags/list?n=2&last=a>; rel="next"`);
      const next = await t.http('GET', `${api(repo)}/${name}/tags/list?n=2&last=a`);
      expect((next.json() as { tags: string[] }).tags).toEqual(['b', 'latest']);
      const last = await t.http('GET', `${v2(repo)}/${name}/tags/list?n=5&last=latest`);
      expect((last.json() as { tags: string[] }).tags).toEqual(['sig']);
      expect(last.headers.link).toBeUndefined();
      expect((await t.http('GET', `${v2(repo)}/${name}/tags/list?n=0`)).json()).toEqual({ name, tags: [] });
      expectRegistryError(await t.http('GET', `${v2(repo)}/scn/no-such-image/tags/list`), 404, 'NAME_UNKNOWN');

      const referrers = await t.http('GET', `${v2(repo)}/${name}/referrers/${subject.digest}`);
      expect(referrers.status, referrers.text).toBe(200);
      expect(referrers.headers['content-type']).toBe(OCI_INDEX);
      expect(referrers.json()).toEqual({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [{ mediaType: OCI_MANIFEST, digest: artifact.digest, size: artifact.manifest.length, artifactType: 'application/vnd.example.signature' }],
      });
      const none = await t.http('GET', `${v2(repo)}/${name}/referrers/${artifact.digest}`);
      expect((none.json() as { manifests: unknown[] }).manifests).toEqual([]);
    },
  }),
  scenario({
    id: 'packages/docker-readable-only',
    title: 'the registry shows a user only the images whose files they may read (EDGE-AUTH-5)',
    requirements: ['EDGE-OCI-2'],
    async run(t) {
      const name = imageName(t, 'seen');
      const visible = await singleArch({ image: name, tag: '1.0', format: 'oci', text: t.name('seen-layer') });
      const hidden = await singleArch({ image: name, tag: 'secret', format: 'oci', text: t.name('hidden-layer') });
      const repo = await dockerRepo(t, [visible, hidden]);
      const reader = await user(t, 'docker-reader');
      await permission(t, 'docker-read', { repositories: [repo], users: { [reader.name]: ['read'] }, exclude: [`${name}/secret/**`] });
      const as = { auth: reader.auth };
      expect((await t.http('GET', `${v2(repo)}/${name}/tags/list`, as)).json()).toEqual({ name, tags: ['1.0'] });
      expect((await t.http('GET', `${v2(repo)}/${name}/manifests/1.0`, as)).status).toBe(200);
      expectRegistryError(await t.http('GET', `${v2(repo)}/${name}/manifests/secret`, as), 404, 'MANIFEST_UNKNOWN');
      expectRegistryError(await t.http('GET', `${v2(repo)}/${name}/manifests/${hidden.digest}`, as), 404, 'MANIFEST_UNKNOWN');
      expectRegistryError(await t.http('GET', `${v2(repo)}/${name}/blobs/${hidden.blobs[1]}`, as), 404, 'BLOB_UNKNOWN');
      expect((await t.http('GET', `${v2(repo)}/${name}/tags/list`)).json(), 'the admin sees both').toEqual({ name, tags: ['1.0', 'secret'] });
    },
  }),
  scenario({
    id: 'packages/docker-bad-layout-refused',
    title: 'a bundle with a broken manifest, a manifest missing a blob, or a blob misnamed for its digest is refused at commit, naming the file',
    requirements: ['EDGE-OCI-7', 'EDGE-OCI-5'],
    async run(t) {
      const name = imageName(t, 'bad');
      const good = await singleArch({ image: name, tag: '1.0', format: 'oci', text: t.name('good-layer') });
      const repo = await dockerRepo(t, [good]);
      const before = (await t.http('GET', `${v2(repo)}/${name}/tags/list`)).text;
      const broken = await singleArch({ image: name, tag: '2.0', format: 'oci', text: t.name('broken-layer') });
      const [manifest, config, layer] = broken.files as [LayoutFile, LayoutFile, LayoutFile];
      const cases: [string, LayoutFile[], string][] = [
        ['a manifest that is not JSON', [{ path: manifest.path, bytes: Buffer.from(`{"schemaVersion": 2, ${t.name('salt')}`) }, config, layer], manifest.path],
        [
          'a manifest with no layers',
          [{ path: manifest.path, bytes: Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, salt: t.name('salt') })) }],
          manifest.path,
        ],
        ['a manifest whose layer is missing', [manifest, config], manifest.path],
        ['a blob whose content is not its digest', [manifest, config, { path: layer.path, bytes: Buffer.from(t.name('not-the-layer')) }], layer.path],
      ];
      for (const [what, files, culprit] of cases) {
        await t.step(what, async () => {
          const bundleFiles = files.map((file) => ({ repoPath: `${repo}/${file.path}`, bytes: file.bytes }));
          const { id } = await open(t, await signedBundle(t, t.name('docker-bundle'), '1.0', bundleFiles));
          // 200: content an earlier case uploaded is already there.
          for (const file of bundleFiles) expect([200, 201]).toContain((await uploadFile(t, id, file)).status);
          const res = await commit(t, id);
          expect(res.status, res.text).toBe(422);
          expect((res.json() as { errors: unknown[] }).errors[0]).toMatchObject({ code: 'EDP_PACKAGE_INVALID', repo_path: `${repo}/${culprit}` });
          expect((await t.http('GET', `${v2(repo)}/${name}/tags/list`)).text).toBe(before);
          expectRegistryError(await t.http('GET', `${v2(repo)}/${name}/manifests/2.0`), 404, 'MANIFEST_UNKNOWN');
        });
      }
    },
  }),
  scenario({
    id: 'packages/docker-push-refused',
    title: 'every push is refused with DENIED and the read-only message; anonymous pushes are challenged',
    requirements: ['EDGE-OCI-8', 'EDGE-OCI-6'],
    async run(t) {
      const repo = await dockerRepo(t, []);
      const pushes: [string, string][] = [
        ['POST', `${v2(repo)}/scn/pushed/blobs/uploads/`],
        ['PATCH', `${v2(repo)}/scn/pushed/blobs/uploads/some-session`],
        ['PUT', `${api(repo)}/scn/pushed/blobs/uploads/some-session?digest=sha256:${'1'.repeat(64)}`],
        ['PUT', `${v2(repo)}/scn/pushed/manifests/1.0`],
        ['DELETE', `${v2(repo)}/scn/pushed/manifests/sha256:${'2'.repeat(64)}`],
      ];
      for (const [method, path] of pushes) {
        const body = method === 'DELETE' ? {} : { headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from('layer bytes') };
        const res = await t.http(method, path, body);
        expectRegistryError(res, 403, 'DENIED');
        expect((res.json() as { errors: { message: string }[] }).errors[0]?.message).toBe(READ_ONLY_MESSAGE);
        expectRegistryError(await t.http(method, path, { auth: null }), 401, 'UNAUTHORIZED');
      }
    },
  }),
];

/** An OCI artifact (a signature, say) whose `subject` is `subject`, stored as tag `sig` of the image. */
function referrer(image: string, subject: BuiltImage): { files: LayoutFile[]; digest: string; manifest: Buffer } {
  const config = Buffer.from('{}');
  const configHex = digest('sha256', config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: 'application/vnd.example.signature',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: `sha256:${configHex}`, size: config.length },
      layers: [],
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.manifest.length },
    }),
  );
  return {
    files: [
      { path: `${image}/sig/manifest.json`, bytes: manifest },
      { path: `${image}/sig/${blobName(configHex)}`, bytes: config },
    ],
    digest: `sha256:${digest('sha256', manifest)}`,
    manifest,
  };
}
