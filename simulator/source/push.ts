import { z } from 'zod';
import { EdgeError } from '../../protocol/errors.ts';
import type { SimContext } from '../core/service.ts';
import { encodePath } from './http.ts';
import type { BundleArtifact, FileItem, SourceState } from './state.ts';
import { STORING_REPO } from './store.ts';

/**
 * Pushing a stored bundle's files into an Edge's open EDP transaction (our design; README
 * "Pushing a bundle to an Edge"). JFrog's Replicator protocol is not public (jfrog-compat.md
 * §3.11); EDP is (docs/protocol.md §3): for each file, checksum deploy first (EDP-FILE-6), and
 * only on 404 EDP_CONTENT_UNKNOWN the bytes (EDP-FILE-1, EDP-FILE-8). No retries: Distribution
 * owns them, so the report says exactly what each call answered.
 */

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_TIMEOUT_MS = 60_000;

export const pushRequestSchema = z.object({
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

export type PushRequest = z.output<typeof pushRequestSchema>;

export interface FileReport {
  repo_path: string;
  /** The Edge's HTTP status for the reported call; 0 when no HTTP answer came. */
  status: number;
  code?: string;
  message?: string;
  /** Body bytes handed to the transport in the reported call (0 for a checksum deploy). */
  bytes_sent: number;
  method: 'checksum' | 'upload';
}

export interface PushReport {
  files: FileReport[];
  /** Files whose reported call answered 2xx. */
  transferred_files: number;
  /** Bytes of the uploads that answered 2xx. */
  transferred_bytes: number;
}

interface Answer {
  status: number;
  code?: string;
  message?: string;
}

interface PushFile {
  artifact: BundleArtifact;
  content: FileItem;
}

export async function pushBundle(ctx: SimContext, state: SourceState, request: PushRequest): Promise<PushReport> {
  const files = selectFiles(state, request);
  const base = edpBase(request.edge_url);
  const reports: FileReport[] = new Array<FileReport>(files.length);
  await forEachLimited(files.length, request.concurrency ?? DEFAULT_CONCURRENCY, async (index) => {
    const file = files[index] as PushFile;
    const url = `${base}/transactions/${request.transaction_id}/files/${encodePath(file.artifact.repoPath)}`;
    const report = await pushFile(ctx, url, file, request);
    ctx.log(`source: push ${request.name}/${request.version} ${file.artifact.repoPath}: ${report.method} → ${report.status}${report.code ? ` ${report.code}` : ''}`);
    reports[index] = report;
  });
  const ok = (report: FileReport) => report.status >= 200 && report.status < 300;
  return {
    files: reports,
    transferred_files: reports.filter(ok).length,
    transferred_bytes: reports.filter(ok).reduce((sum, report) => sum + report.bytes_sent, 0),
  };
}

/** The bundle's files to push (all, or the requested subset, in that order) with their clones. */
function selectFiles(state: SourceState, request: PushRequest): PushFile[] {
  const bundle = state.bundle(request.name, request.version);
  if (!bundle) throw new EdgeError('NOT_FOUND', `Release bundle ${request.name}/${request.version} is not stored here.`);
  const paths = request.files ?? bundle.artifacts.map((artifact) => artifact.repoPath);
  const seen = new Set<string>();
  return paths.map((path, index) => {
    const artifact = bundle.artifacts.find((a) => a.repoPath === path);
    if (!artifact) throw new EdgeError('INVALID_BODY', `files[${index}] ${JSON.stringify(path)} is not in bundle ${bundle.name}/${bundle.version}.`);
    if (seen.has(path)) throw new EdgeError('INVALID_BODY', `files[${index}] ${JSON.stringify(path)} is listed twice.`);
    seen.add(path);
    const content = state.item(STORING_REPO, artifact.storedPath);
    // The clone is what the signature covers; if it was deleted or replaced, pushing would lie.
    if (content?.kind !== 'file' || content.checksums.sha256 !== artifact.checksum) {
      throw new EdgeError('CONFLICT', `The stored copy ${STORING_REPO}/${artifact.storedPath} is missing or was changed; store the bundle again.`);
    }
    return { artifact, content };
  });
}

async function pushFile(ctx: SimContext, url: string, { artifact, content }: PushFile, request: PushRequest): Promise<FileReport> {
  const timeout = request.timeout_ms ?? DEFAULT_TIMEOUT_MS;
  const common = { authorization: request.authorization, 'x-checksum-sha256': artifact.checksum };
  // EDP-FILE-6: no body; the Edge claims content it already holds.
  const claim = await call(ctx, url, { method: 'PUT', headers: { ...common, 'x-checksum-deploy': 'true' } }, timeout);
  if (!(claim.status === 404 && claim.code === 'EDP_CONTENT_UNKNOWN')) {
    return { repo_path: artifact.repoPath, ...claim, bytes_sent: 0, method: 'checksum' };
  }
  const upload = await call(
    ctx,
    url,
    {
      method: 'PUT',
      headers: { ...common, 'content-type': 'application/octet-stream', 'content-length': String(content.size) },
      body: content.bytes,
    },
    timeout,
  );
  return { repo_path: artifact.repoPath, ...upload, bytes_sent: content.size, method: 'upload' };
}

/**
 * One call through `ctx.fetch` (so faults and recording see it), bounded by a deadline that
 * holds even if a fault layer ignores the abort signal. Never throws: a failed call is an answer
 * with status 0.
 */
async function call(ctx: SimContext, url: string, init: RequestInit, timeoutMs: number): Promise<Answer> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new DeadlineError());
      controller.abort();
    }, timeoutMs);
  });
  let status = 0;
  try {
    const response = await Promise.race([ctx.fetch(new Request(url, { ...init, signal: controller.signal })), deadline]);
    status = response.status;
    const body = await Promise.race([response.text(), deadline]);
    return { status, ...(status >= 200 && status < 300 ? {} : errorOf(body)) };
  } catch (error) {
    if (error instanceof DeadlineError || controller.signal.aborted) return { status, code: 'TIMEOUT', message: `no complete answer within ${timeoutMs} ms` };
    // A status with a failure means the answer started and was then cut off.
    const what = status === 0 ? 'no answer' : 'the answer was cut off';
    return { status, code: 'NETWORK_ERROR', message: `${what}: ${describeError(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

class DeadlineError extends Error {}

/** The Edge's error entry (`{"errors":[{status,message,code}]}`, EDP-TX-2), when it sent one. */
function errorOf(body: string): { code?: string; message?: string } {
  try {
    const parsed: unknown = JSON.parse(body);
    const entry: unknown = (parsed as { errors?: unknown[] } | null)?.errors?.[0];
    if (typeof entry !== 'object' || entry === null) return body ? { message: body.slice(0, 500) } : {};
    const { code, message } = entry as { code?: unknown; message?: unknown };
    return { ...(typeof code === 'string' ? { code } : {}), ...(typeof message === 'string' ? { message } : {}) };
  } catch {
    return body ? { message: body.slice(0, 500) } : {};
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/** `{edge}/artifactory/api/edp/v1` (docs/protocol.md §3); a base ending in /artifactory is accepted too. */
function edpBase(edgeUrl: string): string {
  const base = edgeUrl.replace(/\/+$/, '').replace(/\/artifactory$/, '');
  return `${base}/artifactory/api/edp/v1`;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
}

/** Runs `work(0..count-1)` with at most `limit` calls in flight. */
async function forEachLimited(count: number, limit: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}
