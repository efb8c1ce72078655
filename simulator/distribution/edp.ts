import { z } from 'zod';
import type { SimContext } from '../core/service.ts';
import { call, jsonOf, NoAnswer, peerError, type Answer } from './http.ts';
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

const txFile = z.object({ repo_path: z.string(), checksum: z.string(), size: z.number(), state: z.string() });
const transaction = z.object({ id: z.string(), state: z.string(), files: z.array(txFile) });

export type Transaction = z.infer<typeof transaction>;

export interface EdgeClient {
  start(jws: string, autoCreateMissingRepositories: boolean): Promise<Transaction>;
  status(id: string): Promise<Transaction>;
  commit(id: string): Promise<void>;
  /** Resolves true when deleted, false when the Edge did not have it (404). */
  deleteBundle(name: string, version: string): Promise<boolean>;
}

export function edgeClient(ctx: SimContext, site: Site, authorization: string): EdgeClient {
  const edp = `/artifactory/api/edp/v1`;
  const send = async (step: string, method: string, path: string, json?: unknown): Promise<{ answer: Answer; label: string }> => {
    const label = `${step} (${method} ${path})`;
    try {
      return { answer: await call(ctx, method, `${site.baseUrl}${path}`, { authorization, json }), label };
    } catch (err) {
      if (!(err instanceof NoAnswer)) throw err;
      throw new StepFailed({ step: label, party: 'Edge', status: null, code: undefined, message: err.message, transient: true });
    }
  };
  const refused = (label: string, answer: Answer): StepFailed => {
    const { code, message } = peerError(answer);
    return new StepFailed({ step: label, party: 'Edge', status: answer.status, code, message, transient: isTransient(answer.status, code) });
  };
  const txOf = (label: string, answer: Answer): Transaction => {
    const parsed = transaction.safeParse(jsonOf(answer));
    if (parsed.success) return parsed.data;
    // The Edge said yes in a shape EDP does not define: retrying would not change it.
    throw new StepFailed({ step: label, party: 'Edge', status: answer.status, code: undefined, message: `unexpected answer: ${answer.text.slice(0, 200)}`, transient: false });
  };

  return {
    async start(jws, autoCreate) {
      // EDP-TX-3/EDP-TX-4: 201 new, 200 the same bundle's existing transaction (so a retry resumes it).
      const { answer, label } = await send('start transaction', 'POST', `${edp}/transactions`, { bundle: jws, auto_create_missing_repositories: autoCreate });
      if (answer.status !== 201 && answer.status !== 200) throw refused(label, answer);
      return txOf(label, answer);
    },
    async status(id) {
      const { answer, label } = await send('read transaction', 'GET', `${edp}/transactions/${encodeURIComponent(id)}`);
      if (answer.status !== 200) throw refused(label, answer);
      return txOf(label, answer);
    },
    async commit(id) {
      const { answer, label } = await send('commit', 'POST', `${edp}/transactions/${encodeURIComponent(id)}/commit`);
      if (answer.status !== 200) throw refused(label, answer);
    },
    async deleteBundle(name, version) {
      // docs/protocol.md EDP-PUB-5: 204 deleted, 404 EDP_BUNDLE_UNKNOWN.
      const { answer, label } = await send('delete bundle', 'DELETE', `/artifactory/api/release/bundles/${encodeURIComponent(name)}/${encodeURIComponent(version)}`);
      if (answer.status === 204) return true;
      if (answer.status === 404) return false;
      throw refused(label, answer);
    },
  };
}
