import type { SimContext } from '../core/service.ts';
import { NoAnswerError } from '../../protocol/clients/index.ts';
import type { Transaction } from '../../protocol/wire/edp.ts';
import { edgeClient, isTransient, StepFailed, describeFailure, type EdgeClient } from './edp.ts';
import { describeAnswer, isSuccess, noAnswerMessage, peerError, type Answer } from './http.ts';
import type { Site } from './mission-control.ts';
import type { RetryPolicy } from './options.ts';
import { pushResultOf, type SourceClient } from './source.ts';
import type { FileError, SiteProgress } from './tracker.ts';

/**
 * One site's part of a distribution (jfrog-compat.md §3.11, docs/protocol.md §3): start the
 * transaction with the stored JWS, have the source push the files the Edge is MISSING, re-read
 * the transaction, commit. Transient failures are retried with backoff on the SAME transaction:
 * starting again with the same bundle answers the open one (EDP-TX-4), whose PRESENT files are
 * not sent again (EDP-TX-10), so each retry resumes where the last attempt stopped.
 */
export interface SiteJob {
  site: Site;
  authorization: string;
  progress: SiteProgress;
}

export interface DeliverJob extends SiteJob {
  name: string;
  version: string;
  jws: string;
  autoCreateMissingRepositories: boolean;
}

export async function deliverToSite(ctx: SimContext, source: SourceClient, retry: RetryPolicy, job: DeliverJob): Promise<void> {
  const edge = edgeClient(ctx, job.site, job.authorization);
  await withRetries(job.progress, retry, () => deliverOnce(edge, source, job));
}

/** Deleting a bundle from one site (§3.8); an Edge that does not have it has nothing to delete. */
export async function deleteFromSite(ctx: SimContext, retry: RetryPolicy, job: SiteJob & { name: string; version: string }): Promise<void> {
  const edge = edgeClient(ctx, job.site, job.authorization);
  await withRetries(job.progress, retry, async () => {
    await edge.deleteBundle(job.name, job.version);
  });
}

async function deliverOnce(edge: EdgeClient, source: SourceClient, job: DeliverJob): Promise<void> {
  const { progress } = job;
  progress.fileErrors = [];
  let tx = await edge.start(job.jws, job.autoCreateMissingRepositories);
  count(progress, tx);
  // A commit whose answer was lost: the Edge already published this very bundle.
  if (tx.state === 'COMMITTED') return;

  const missing = tx.files.filter((f) => f.state !== 'PRESENT').map((f) => f.repo_path);
  if (missing.length > 0) {
    progress.filesInProgress = missing;
    try {
      progress.fileErrors = await push(source, job, tx.id, missing);
    } finally {
      progress.filesInProgress = [];
    }
    tx = await edge.status(tx.id);
    count(progress, tx);
    if (tx.state === 'COMMITTED') return;
    // A file the Edge refused is the real cause; committing would only say EDP_INCOMPLETE.
    const stillMissing = new Set(tx.files.filter((f) => f.state !== 'PRESENT').map((f) => f.repo_path));
    const refused = progress.fileErrors.find((e) => stillMissing.has(e.repo_path));
    if (refused) {
      throw new StepFailed({
        step: `upload of ${refused.repo_path} (pushed by the source Artifactory)`,
        party: 'Edge',
        status: refused.status === 0 ? null : refused.status,
        code: refused.code,
        message: refused.message,
        transient: isTransient(refused.status === 0 ? null : refused.status, refused.code),
      });
    }
  }
  // With nothing refused, anything still missing is the Edge's to report (EDP_INCOMPLETE).
  await edge.commit(tx.id);
  progress.distributedFiles = progress.totalFiles;
  progress.distributedBytes = progress.totalBytes;
}

/** `POST {source}/artifactory/api/edp/push` → the files the Edge refused. */
async function push(source: SourceClient, job: DeliverJob, transactionId: string, files: string[]): Promise<FileError[]> {
  const step = 'push files (POST /artifactory/api/edp/push)';
  let answer: Answer;
  try {
    answer = await source.push({
      edge_url: job.site.baseUrl,
      transaction_id: transactionId,
      authorization: job.authorization,
      name: job.name,
      version: job.version,
      files,
    });
  } catch (err) {
    if (!(err instanceof NoAnswerError)) throw err;
    throw new StepFailed({ step, party: 'source Artifactory', status: null, code: undefined, message: noAnswerMessage(err), transient: true });
  }
  if (answer.status !== 200) {
    const { code, message } = peerError(answer);
    throw new StepFailed({ step, party: 'source Artifactory', status: answer.status, code, message, transient: isTransient(answer.status, code) });
  }
  const result = pushResultOf(answer);
  if (!result) {
    throw new StepFailed({
      step,
      party: 'source Artifactory',
      status: 200,
      code: undefined,
      message: `unexpected answer: ${describeAnswer(answer)}`,
      transient: false,
    });
  }
  // Any non-2xx per-file status is a refusal; 0 means the Edge did not answer the source at all.
  return result.files
    .filter((f) => !isSuccess(f.status))
    .map((f) => ({ repo_path: f.repo_path, status: f.status, ...(f.code ? { code: f.code } : {}), message: f.message ?? '' }));
}

/** What the Edge holds, as its transaction says. */
function count(progress: SiteProgress, tx: Transaction): void {
  const held = tx.state === 'COMMITTED' ? tx.files : tx.files.filter((f) => f.state === 'PRESENT');
  progress.distributedFiles = held.length;
  progress.distributedBytes = held.reduce((sum, f) => sum + f.size, 0);
}

async function withRetries(progress: SiteProgress, retry: RetryPolicy, attempt: () => Promise<void>): Promise<void> {
  for (let n = 1; ; n++) {
    progress.attempts = n;
    try {
      await attempt();
      progress.status = 'Completed';
      progress.generalError = undefined;
      return;
    } catch (err) {
      if (!(err instanceof StepFailed)) throw err;
      const { failure } = err;
      if (!failure.transient || n > retry.retries) {
        progress.status = 'Failed';
        progress.generalError = describeFailure(failure) + (failure.transient ? ` (gave up after ${n} attempts)` : '');
        return;
      }
      await retry.sleep(retry.backoffMs(n));
    }
  }
}
