import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobName } from '../protocol/wire/oci.ts';
import { singleArch, type BuiltImage } from '../scenarios/kit/oci-images.ts';
import { raw, startEdge, type RunningEdge } from './edge-harness.ts';
import { createRemote, startUpstream, type Upstream } from './smart-remote-kit.ts';

/**
 * EDGE-OCI-4, EDGE-OCI-3 through a smart remote, whose files no commit check has seen: an
 * upstream file named for a digest its bytes do not have is never served as that digest, and
 * a manifest that does not parse is unknown, not a server error.
 */

const REMOTE = 'docker-remote';
let edge: RunningEdge;
let upstream: Upstream;
let image: BuiltImage;

beforeAll(async () => {
  edge = await startEdge();
  upstream = await startUpstream();
  image = await singleArch({ image: 'scn/remote', tag: '1.0', format: 'oci', text: 'remote layer\n' });
  const [manifest, config, layer] = image.files as [BuiltImage['files'][number], BuiltImage['files'][number], BuiltImage['files'][number]];
  await upstream.put(manifest.path, manifest.bytes);
  await upstream.put(config.path, config.bytes);
  // The layer's name says one digest, its bytes another.
  await upstream.put(layer.path, Buffer.from('not the layer the manifest names'));
  await upstream.put('scn/broken/1.0/manifest.json', '{"schemaVersion": 2,');
  const created = await createRemote(edge, REMOTE, upstream.repoUrl, { packageType: 'docker' });
  if (created.status !== 200) throw new Error(`remote: ${created.status} ${created.body}`);
}, 30_000);

afterAll(async () => {
  await edge?.close();
  await upstream?.close();
});

const get = (path: string) => raw(edge.url, 'GET', path, { headers: { authorization: edge.admin } });
const codeOf = (text: string) => (JSON.parse(text) as { errors: { code: string }[] }).errors[0]?.code;

describe('EDGE-OCI-3, EDGE-OCI-4: a Docker smart remote serves only what the layout says', () => {
  it('EDGE-OCI-3, EDGE-OCI-4: the manifest and config pull through; a layer whose bytes are not its digest is BLOB_UNKNOWN', async () => {
    const manifest = await get(`/v2/${REMOTE}/scn/remote/manifests/1.0`);
    expect(manifest.status, manifest.text).toBe(200);
    expect(manifest.headers['docker-content-digest']).toBe(image.digest);
    const config = await get(`/v2/${REMOTE}/scn/remote/blobs/${image.blobs[0]}`);
    expect(config.status, config.text).toBe(200);
    const layer = await get(`/v2/${REMOTE}/scn/remote/blobs/${image.blobs[1]}`);
    expect(layer.status, layer.text).toBe(404);
    expect(codeOf(layer.text)).toBe('BLOB_UNKNOWN');
    // And still not once the Edge has cached the file by its path.
    expect((await get(`/artifactory/${REMOTE}/scn/remote/1.0/${blobName((image.blobs[1] as string).slice(7))}`)).status).toBe(200);
    expect((await get(`/v2/${REMOTE}/scn/remote/blobs/${image.blobs[1]}`)).status).toBe(404);
  });

  it('EDGE-OCI-3: a manifest that does not parse is MANIFEST_UNKNOWN', async () => {
    const res = await get(`/v2/${REMOTE}/scn/broken/manifests/1.0`);
    expect(res.status, res.text).toBe(404);
    expect(codeOf(res.text)).toBe('MANIFEST_UNKNOWN');
  });
});
