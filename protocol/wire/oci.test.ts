import { describe, expect, it } from 'vitest';
import { DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, layoutOf, nextLink, OCI_INDEX, OCI_MANIFEST, ociErrorBody, parseManifest, tagPage } from './oci.ts';

const hex = (c: string) => c.repeat(64);
const bytes = (doc: unknown) => Buffer.from(JSON.stringify(doc));

describe('the OCI wire helpers', () => {
  it('EDGE-OCI-3, EDGE-OCI-7: a manifest says its media type and what it references; foreign layers are not required', () => {
    const image = {
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST,
      config: { digest: `sha256:${hex('a')}`, size: 2 },
      layers: [
        { digest: `sha256:${hex('b')}`, size: 3 },
        { digest: `sha256:${hex('c')}`, size: 4, urls: ['https://example.com/layer'] },
      ],
    };
    expect(parseManifest(bytes(image))).toEqual({ mediaType: DOCKER_MANIFEST, index: false, references: [hex('a'), hex('b')] });
    const list = { schemaVersion: 2, mediaType: DOCKER_MANIFEST_LIST, manifests: [{ digest: `sha256:${hex('d')}`, size: 5 }] };
    expect(parseManifest(bytes(list))).toEqual({ mediaType: DOCKER_MANIFEST_LIST, index: true, references: [hex('d')] });
    // OCI may leave mediaType out: the shape says which.
    const { mediaType: _, ...bare } = image;
    expect(parseManifest(bytes({ ...bare, layers: [] }))).toMatchObject({ mediaType: OCI_MANIFEST });
    expect(parseManifest(bytes({ schemaVersion: 2, manifests: [] }))).toMatchObject({ mediaType: OCI_INDEX, index: true });
    const subject = { ...image, mediaType: OCI_MANIFEST, artifactType: 'application/x-sig', subject: { digest: `sha256:${hex('e')}`, size: 1 } };
    expect(parseManifest(bytes(subject))).toMatchObject({ subject: hex('e'), artifactType: 'application/x-sig' });
  });

  it('EDGE-OCI-7: what is not a manifest says why', () => {
    expect(parseManifest(Buffer.from('{"schemaVersion": 2,'))).toEqual({ invalid: 'it is not JSON' });
    expect(parseManifest(bytes({ schemaVersion: 1, config: {}, layers: [] }))).toHaveProperty('invalid');
    expect(parseManifest(bytes({ schemaVersion: 2, mediaType: OCI_MANIFEST }))).toHaveProperty('invalid', expect.stringContaining('config'));
    expect(parseManifest(bytes({ schemaVersion: 2, mediaType: 'text/plain', config: { digest: `sha256:${hex('a')}`, size: 1 }, layers: [] }))).toHaveProperty(
      'invalid',
      expect.stringContaining("media type 'text/plain'"),
    );
    expect(parseManifest(bytes({ schemaVersion: 2, config: { digest: 'sha512:abc', size: 1 }, layers: [] }))).toHaveProperty(
      'invalid',
      expect.stringContaining('sha512:abc'),
    );
  });

  it('EDGE-OCI-2: where a path sits in the layout', () => {
    expect(layoutOf('library/nginx/1.25/manifest.json')).toEqual({ kind: 'manifest', image: 'library/nginx', folder: '1.25', list: false });
    expect(layoutOf('app/latest/list.manifest.json')).toEqual({ kind: 'manifest', image: 'app', folder: 'latest', list: true });
    expect(layoutOf(`app/sha256__${hex('f')}/sha256__${hex('1')}`)).toEqual({ kind: 'blob', image: 'app', folder: `sha256__${hex('f')}`, sha256: hex('1') });
    expect(layoutOf('app/1.0/sha256__short')).toEqual({ kind: 'other' });
    expect(layoutOf('1.0/manifest.json')).toEqual({ kind: 'other' });
  });

  it('EDGE-OCI-5: tag pages are sorted, resume after `last`, and say when more remain', () => {
    const tags = ['b', '1.0', 'a', 'latest'];
    expect(tagPage(tags, undefined, undefined)).toEqual({ tags: ['1.0', 'a', 'b', 'latest'], more: false });
    expect(tagPage(tags, 2, undefined)).toEqual({ tags: ['1.0', 'a'], more: true });
    expect(tagPage(tags, 2, 'a')).toEqual({ tags: ['b', 'latest'], more: false });
    expect(tagPage(tags, 0, undefined)).toEqual({ tags: [], more: false });
    expect(nextLink('/v2/r/i/tags/list', 2, 'a b')).toBe('</v2/r/i/tags/list?n=2&last=a%20b>; rel="next"');
  });

  it("EDGE-OCI-6: the Edge's refusals take the spec's codes, the Edge's own kept in detail", () => {
    const body = (status: number, code: string) => ({ errors: [{ status, code, message: 'm' }] });
    expect(ociErrorBody(body(404, 'MANIFEST_UNKNOWN')).errors[0]).toEqual({ status: 404, code: 'MANIFEST_UNKNOWN', message: 'm' });
    expect(ociErrorBody(body(404, 'NOT_FOUND')).errors[0]).toMatchObject({ code: 'NAME_UNKNOWN', detail: { edgeCode: 'NOT_FOUND' } });
    expect(ociErrorBody(body(401, 'TOKEN_EXPIRED')).errors[0]).toMatchObject({ code: 'UNAUTHORIZED', detail: { edgeCode: 'TOKEN_EXPIRED' } });
    expect(ociErrorBody(body(403, 'EDGE_READ_ONLY')).errors[0]).toMatchObject({ code: 'DENIED', detail: { edgeCode: 'EDGE_READ_ONLY' } });
    expect(ociErrorBody(body(400, 'BAD_REPO_KEY')).errors[0]).toMatchObject({ code: 'NAME_INVALID' });
    expect(ociErrorBody(body(400, 'BAD_REQUEST')).errors[0]).toEqual({ status: 400, code: 'BAD_REQUEST', message: 'm' });
  });
});
