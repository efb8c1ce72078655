import { evaluateDownload } from '../../protocol/wire/download.ts';
import { folderListingHtml } from '../../protocol/wire/folder-listing.ts';
import { headerRecord } from '../../protocol/wire/headers.ts';
import type { FileItem, Item } from './state.ts';

/**
 * The upstream read side: a stored file answered as `evaluateDownload` decides (jfrog-compat.md
 * §1.3: 200, 206, 304 or 416), the same rules as the Edge's, If-Range included. HEAD is
 * answered by Hono from this GET response with the body dropped.
 */
export function fileResponse(request: Request, item: FileItem): Response {
  const download = evaluateDownload(headerRecord(request.headers), item);
  const { status, headers } = download;
  if (status === 416) return new Response(JSON.stringify(download.error.toBody()), { status, headers });
  if (status === 304) return new Response(null, { status, headers });
  const body = status === 206 ? item.bytes.subarray(download.range.start, download.range.end + 1) : item.bytes;
  return new Response(body, { status, headers });
}

/** `GET` on a folder: Artifactory's simple-browsing page listing the children. */
export function folderListing(repo: string, path: string, children: Item[]): Response {
  const html = folderListingHtml(
    repo,
    path,
    children.map((child) => ({ path: child.path, folder: child.kind === 'folder' })),
  );
  return new Response(html, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
}
