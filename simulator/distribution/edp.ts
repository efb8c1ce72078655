import { ApiError, ClientError, EdpClient, NoAnswerError, UnexpectedAnswerError } from '../../protocol/clients/index.ts';
import type { Transaction } from '../../protocol/wire/edp.ts';
import type { SimContext } from '../core/service.ts';
import { noAnswerMessage, peerError } from './http.ts';
import type { Site } from './mission-control.ts';

/**
 * Distribution's side of the Edge Distribution Protocol (docs/protocol.md §3): start a
 * transaction with the signed bundle, read it, commit it, and delete a bundle. Every refusal
 * becomes a `StepFailed` that says which step, who answered, and exactly what they answered,
 * and whether trying again can help.
 */
export interface StepFailure {
  step: string;
  /** Who answered (or did not): "Edge", "source Artifactory", ... */
  party: string;
  /** The HTTP status answered; null when there was no answer. */
  status: number | null;
  code: string | undefined;
  message: string;
  transient: boolean;
}

export class StepFailed extends Error {
  constructor(readonly failure: StepFailure) {
    super(describeFailure(failure));
    this.name = 'StepFailed';
  }
}

/**
 * Failures another attempt can cure: no answer (refused, reset, cut off), 5xx, 408, 429, and
 * the EDP codes of a damaged or unfinished transfer (docs/protocol.md §3): a corrupted or
 * overlong upload (EDP_CHECKSUM_MISMATCH, EDP_SIZE_EXCEEDED), files still missing at commit
 * (EDP_INCOMPLETE), and a transaction that expired or vanished (EDP_TX_CLOSED, EDP_TX_UNKNOWN:
 * starting again opens a new one, or shows the old one COMMITTED). Everything else (bad key,
 * bad signature, missing or invalid repository, immutable bundle, 401/403, ...) fails at once.
 */
const TRANSIENT_CODES = new Set(['EDP_CHECKSUM_MISMATCH', 'EDP_SIZE_EXCEEDED', 'EDP_INCOMPLETE', 'EDP_TX_CLOSED', 'EDP_TX_UNKNOWN']);

export function isTransient(status: number | null, code: string | undefined): boolean {
  if (status === null) return true;
  if (code !== undefined && TRANSIENT_CODES.has(code)) return true;
  return status >= 500 || status === 408 || status === 429;
}

/** "commit (POST /artifactory/...): Edge answered HTTP 409 EDP_INCOMPLETE: <message>". */
export function describeFailure(f: StepFailure): string {
  if (f.status === null) return `${f.step}: no answer from the ${f.party}: ${f.message}`;
  return `${f.step}: ${f.party} answered HTTP ${f.status}${f.code ? ` ${f.code}` : ''}: ${f.message}`;
}

export interface EdgeClient {
  start(jws: string, autoCreateMissingRepositories: boolean): Promise<Transaction>;
  status(id: string): Promise<Transaction>;
  commit(id: string): Promise<void>;
  /** Resolves true when deleted, false when the Edge did not have it (404). */
  deleteBundle(name: string, version: string): Promise<boolean>;
}

/** The Edge's EDP through `ctx.fetch` (so faults and recording see it), each failure a `StepFailed`. */
export function edgeClient(ctx: SimContext, site: Site, authorization: string): EdgeClient {
  const edp = new EdpClient({ url: site.baseUrl, credentials: { authorization }, fetch: ctx.fetch });
  const step = async <T>(name: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      throw stepFailed(name, err);
    }
  };
  return {
    // EDP-TX-3/EDP-TX-4: 201 new, 200 the same bundle's existing transaction (so a retry resumes it).
    start: (jws, autoCreate) =>
      step('start transaction', async () => (await edp.start({ bundle: jws, auto_create_missing_repositories: autoCreate })).transaction),
    status: (id) => step('read transaction', () => edp.status(id)),
    commit: (id) =>
      step('commit', async () => {
        await edp.commit(id);
      }),
    deleteBundle: (name, version) =>
      step('delete bundle', async () => {
        // docs/protocol.md EDP-PUB-5: 204 deleted, 404 EDP_BUNDLE_UNKNOWN.
        try {
          await edp.deleteBundle(name, version);
          return true;
        } catch (err) {
          if (err instanceof ApiError && err.status === 404) return false;
          throw err;
        }
      }),
  };
}

/** "commit (POST /artifactory/...)": a client's failure as the step that failed, quoting what the Edge said. */
function stepFailed(name: string, err: unknown): unknown {
  if (!(err instanceof ClientError)) return err;
  const step = `${name} (${err.method} ${err.path})`;
  if (err instanceof NoAnswerError) {
    return new StepFailed({ step, party: 'Edge', status: null, code: undefined, message: noAnswerMessage(err), transient: true });
  }
  if (err instanceof ApiError) {
    const { code, message } = peerError(err);
    return new StepFailed({ step, party: 'Edge', status: err.status, code, message, transient: isTransient(err.status, code) });
  }
  // The Edge said yes in a shape EDP does not define: retrying would not change it.
  const status = err instanceof UnexpectedAnswerError ? err.status : null;
  const text = err instanceof UnexpectedAnswerError ? err.text : err.message;
  return new StepFailed({ step, party: 'Edge', status, code: undefined, message: `unexpected answer: ${text.slice(0, 200)}`, transient: false });
}
