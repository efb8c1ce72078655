import { EdgeError } from '../../protocol/errors.ts';
import type { SimContext } from '../core/service.ts';
import { ApiError, EdpClient, NoAnswerError, UnexpectedAnswerError, type FileAnswer } from '../../protocol/clients/index.ts';
import type { FileReport, PushReport, PushRequest } from '../../protocol/wire/source-bundles.ts';
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
  // Through ctx.fetch, so faults and recording see every call.
  const edge = new EdpClient({ url: request.edge_url, credentials: { authorization: request.authorization }, fetch: ctx.fetch });
  const reports: FileReport[] = new Array<FileReport>(files.length);
  await forEachLimited(files.length, request.concurrency ?? DEFAULT_CONCURRENCY, async (index) => {
    const file = files[index] as PushFile;
    const report = await pushFile(edge, file, request);
    ctx.log(
      `source: push ${request.name}/${request.version} ${file.artifact.repoPath}: ${report.method} → ${report.status}${report.code ? ` ${report.code}` : ''}`,
    );
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

async function pushFile(edge: EdpClient, { artifact, content }: PushFile, request: PushRequest): Promise<FileReport> {
  const timeout = request.timeout_ms ?? DEFAULT_TIMEOUT_MS;
  const { transaction_id: id } = request;
  // EDP-FILE-6: no body; the Edge claims content it already holds.
  const claim = await bounded(timeout, (signal) => edge.claimFile(id, artifact.repoPath, artifact.checksum, { signal }));
  if (!(claim.status === 404 && claim.code === 'EDP_CONTENT_UNKNOWN')) {
    return { repo_path: artifact.repoPath, ...claim, bytes_sent: 0, method: 'checksum' };
  }
  const upload = await bounded(timeout, (signal) =>
    edge.uploadFile(id, artifact.repoPath, content.bytes, { sha256: artifact.checksum, size: content.size }, { signal }),
  );
  return { repo_path: artifact.repoPath, ...upload, bytes_sent: content.size, method: 'upload' };
}

/**
 * One call, bounded by a deadline that holds even if a fault layer ignores the abort signal.
 * Never throws: what the Edge answered, or why no (complete) answer came.
 */
async function bounded(timeoutMs: number, call: (signal: AbortSignal) => Promise<FileAnswer>): Promise<Answer> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new DeadlineError());
      controller.abort();
    }, timeoutMs);
  });
  try {
    const { created } = await Promise.race([call(controller.signal), deadline]);
    return { status: created ? 201 : 200 };
  } catch (error) {
    if (error instanceof DeadlineError || controller.signal.aborted)
      return { status: 0, code: 'TIMEOUT', message: `no complete answer within ${timeoutMs} ms` };
    if (error instanceof ApiError) {
      // The Edge's error entry (EDP-TX-2) when it sent one, else the start of what it said.
      const message = error.errors?.[0]?.message ?? (error.text === '' ? undefined : error.text.slice(0, 500));
      return { status: error.status, ...(error.code ? { code: error.code } : {}), ...(message === undefined ? {} : { message }) };
    }
    // A status with a failure means the answer started and was then cut off.
    if (error instanceof NoAnswerError) return { status: error.status ?? 0, code: 'NETWORK_ERROR', message: error.message };
    if (error instanceof UnexpectedAnswerError) return { status: error.status, code: 'UNEXPECTED_ANSWER', message: error.message };
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

class DeadlineError extends Error {}

/** Runs `work(0..count-1)` with at most `limit` calls in flight. */
async function forEachLimited(count: number, limit: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}
