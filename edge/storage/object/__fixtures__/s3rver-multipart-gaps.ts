import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { bypass, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import type { S3Server } from '../../../../test/s3-server.ts';

/**
 * The three multipart calls s3rver 3.7.1 does not answer (read in its lib/routes.js: a PUT with
 * `uploadId` and `x-amz-copy-source` is NotImplemented, a DELETE with `uploadId` is 405, a GET
 * of `?uploads` is NotImplemented), answered in process by msw in front of it, for the large-
 * object paths of EDGE-BIN-7 only:
 *   - UploadPartCopy: the source range is read from s3rver (a ranged GET) and sent back to it as
 *     that part (a plain UploadPart), so the parts and the completed object are s3rver's own;
 *   - AbortMultipartUpload and ListMultipartUploads: on s3rver's files, where it keeps an
 *     upload's parts until completion (`<bucket>/._S3rver_uploads/<uploadId>/`, its `key` file).
 * Every other request goes to s3rver untouched. `failPart` refuses that part of every copy, as
 * a server error S3 may answer, to check what a copy failing midway leaves behind.
 */
export function s3rverMultipartGaps(server: S3Server) {
  const state = { failPart: 0, partsCopied: 0, aborted: 0 };
  const uploadsOf = (bucket: string) => join(server.directory, bucket, '._S3rver_uploads');
  const xml = (body: string, status = 200) =>
    new HttpResponse(`<?xml version="1.0" encoding="UTF-8"?>${body}`, { status, headers: { 'Content-Type': 'application/xml' } });
  const fake = setupServer(
    http.put(`${server.endpoint}/:bucket/*`, async ({ request }) => {
      const url = new URL(request.url);
      const source = request.headers.get('x-amz-copy-source');
      if (!url.searchParams.has('uploadId') || !source) return undefined;
      if (Number(url.searchParams.get('partNumber')) === state.failPart) {
        return xml('<Error><Code>InternalError</Code><Message>injected: the part copy failed</Message></Error>', 500);
      }
      const range = request.headers.get('x-amz-copy-source-range') ?? '';
      const read = await fetch(bypass(`${server.endpoint}/${decodeURIComponent(source).replace(/^\//, '')}`, { headers: { Range: range } }));
      if (read.status !== 206) return xml(`<Error><Code>InvalidRange</Code><Message>${read.status}</Message></Error>`, 416);
      const part = await fetch(bypass(request.url, { method: 'PUT', body: await read.arrayBuffer() }));
      state.partsCopied++;
      return xml(`<CopyPartResult><LastModified>${new Date().toISOString()}</LastModified><ETag>${part.headers.get('etag')}</ETag></CopyPartResult>`);
    }),
    http.delete(`${server.endpoint}/:bucket/*`, async ({ request, params }) => {
      const uploadId = new URL(request.url).searchParams.get('uploadId');
      if (!uploadId) return undefined;
      state.aborted++;
      await rm(join(uploadsOf(String(params.bucket)), uploadId), { recursive: true, force: true });
      return new HttpResponse(null, { status: 204 });
    }),
    http.get(`${server.endpoint}/:bucket`, async ({ request, params }) => {
      const url = new URL(request.url);
      if (!url.searchParams.has('uploads')) return undefined;
      const bucket = String(params.bucket);
      const uploads = await openUploads(uploadsOf(bucket), url.searchParams.get('prefix') ?? '');
      const entries = uploads.map((u) => `<Upload><Key>${u.key}</Key><UploadId>${u.uploadId}</UploadId><Initiated>${u.initiated}</Initiated></Upload>`);
      return xml(`<ListMultipartUploadsResult><Bucket>${bucket}</Bucket><IsTruncated>false</IsTruncated>${entries.join('')}</ListMultipartUploadsResult>`);
    }),
  );
  return {
    state,
    /** The multipart uploads s3rver holds for `bucket`: begun, neither completed nor aborted. */
    uploads: (bucket: string) => openUploads(uploadsOf(bucket), ''),
    listen: () => fake.listen({ onUnhandledRequest: 'bypass' }),
    close: () => fake.close(),
  };
}

async function openUploads(dir: string, prefix: string): Promise<{ key: string; uploadId: string; initiated: string }[]> {
  const ids = await readdir(dir).catch(() => [] as string[]);
  const uploads = await Promise.all(
    ids.map(async (uploadId) => ({
      uploadId,
      key: await readFile(join(dir, uploadId, 'key'), 'utf8'),
      initiated: (await stat(join(dir, uploadId))).mtime.toISOString(),
    })),
  );
  return uploads.filter((u) => u.key.startsWith(prefix));
}
