import { z } from 'zod';
import { bundleName, bundleVersion, SHA256_PATTERN } from '../bundle/model.ts';

/**
 * What Distribution asks of the source Artifactory for a signed bundle (our design;
 * simulator/source/README.md): store it (clone its files into the storing repository), then
 * push the clones into an Edge's open EDP transaction. JFrog's calls for both are not public
 * (jfrog-compat.md §3.3, §3.11).
 */
export const SOURCE_STORE = '/artifactory/api/release/bundles/store';
export const SOURCE_PUSH = '/artifactory/api/edp/push';

/** jfrog-compat.md §3.10: where the source keeps bundle clones, as `<repo>/<name>/<version>/<repo>/<path>`. */
export const DEFAULT_STORING_REPO = 'release-bundles';

const props = z.array(z.object({ key: z.string(), values: z.array(z.string()) }));

export const StoreRequest = z.object({
  name: bundleName,
  version: bundleVersion,
  jws: z.string().min(1, 'must be the signed bundle (compact JWS)'),
  artifacts: z
    .array(
      z.object({
        source_repo_path: z.string(),
        target_repo_path: z.string(),
        checksum: z.string().regex(SHA256_PATTERN, 'must be 64 lowercase hex digits (a sha256)'),
        props: props.optional(),
      }),
    )
    .min(1, 'must list at least one artifact'),
});
export type StoreRequest = z.output<typeof StoreRequest>;

export const PushRequest = z.object({
  edge_url: z.string().refine(isHttpUrl, 'must be an http(s) URL such as http://127.0.0.1:8082'),
  // Ids go into a URL path: unreserved characters only, so nothing needs interpreting.
  transaction_id: z.string().regex(/^[A-Za-z0-9._~-]{1,128}$/, 'must be 1-128 letters, digits or . _ ~ -'),
  // Sent as a header: printable ASCII only, or the request could not even be built.
  authorization: z.string().regex(/^[\x20-\x7e]{1,8192}$/, 'must be a header value such as "Basic ..." or "Bearer ..."'),
  name: z.string().min(1),
  version: z.string().min(1),
  files: z.array(z.string()).min(1, 'lists at least one repo_path when given').optional(),
  concurrency: z.int().min(1).max(64).optional(),
  timeout_ms: z.int().min(1).max(600_000).optional(),
});
export type PushRequest = z.output<typeof PushRequest>;

export const FileReport = z.object({
  repo_path: z.string(),
  /** The Edge's HTTP status for the reported call; 0 when no HTTP answer came. */
  status: z.number(),
  code: z.string().optional(),
  message: z.string().optional(),
  /** Body bytes handed to the transport in the reported call (0 for a checksum deploy). */
  bytes_sent: z.number(),
  method: z.enum(['checksum', 'upload']),
});
export type FileReport = z.infer<typeof FileReport>;

export const PushReport = z.object({
  files: z.array(FileReport),
  /** Files whose reported call answered 2xx. */
  transferred_files: z.number(),
  /** Bytes of the uploads that answered 2xx. */
  transferred_bytes: z.number(),
});
export type PushReport = z.infer<typeof PushReport>;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
}
