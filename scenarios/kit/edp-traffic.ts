import { EDP_BASE } from '../../protocol/wire/edp.ts';
import type { FaultKind, FaultPlan, FaultPlanInput } from '../../simulator/faults/plan.ts';
import { parseFaultPlan } from '../../simulator/faults/plan.ts';
import type { Platform } from '../../simulator/platform.ts';
import type { ScenarioContext } from './context.ts';

/**
 * What the simulators sent Edges over EDP, read from the platform's recorder: the bytes as they
 * crossed the transport (after faults), so a scenario proves what was transferred instead of
 * trusting a counter the simulators keep. And the fault plans scenarios inject, seeded with the
 * scenario's seed so that a replay re-injects the same faults.
 */

export type EdpCallKind = 'start' | 'status' | 'commit' | 'claim' | 'upload';

export interface EdpCall {
  by: 'distribution' | 'source';
  kind: EdpCallKind;
  /** The transaction the call names (none for a start). */
  tx?: string;
  /** The file a claim or upload names. */
  repoPath?: string;
  /** The Edge's status; null when no answer came. */
  status: number | null;
  /** The request body that crossed the wire: bytes, their SHA-256, and whether it reached its end. */
  sent?: { bytes: number; sha256: string; complete: boolean };
  /** The fault the plan applied to this call. */
  fault?: FaultKind;
}

const TRANSACTIONS = `${EDP_BASE}/transactions`;

/** A position in the recorder: calls after it are the ones `edpCalls(platform, mark)` lists. */
export async function mark(platform: Platform): Promise<number> {
  await platform.recorder.settled();
  return platform.recorder.entries().length;
}

/** The EDP transaction calls Distribution and the source made, in the order they began, from `since` on. */
export function edpCalls(platform: Platform, since = 0): EdpCall[] {
  const calls: EdpCall[] = [];
  for (const e of platform.recorder.entries().slice(since)) {
    if (e.direction !== 'outbound' || (e.service !== 'distribution' && e.service !== 'source')) continue;
    if (e.path !== TRANSACTIONS && !e.path.startsWith(`${TRANSACTIONS}/`)) continue;
    const [tx, what, ...rest] = e.path.slice(TRANSACTIONS.length + 1).split('/');
    const kind: EdpCallKind | undefined =
      e.path === TRANSACTIONS
        ? 'start'
        : what === undefined
          ? 'status'
          : what === 'commit'
            ? 'commit'
            : what === 'files'
              ? e.request
                ? 'upload'
                : 'claim'
              : undefined;
    if (!kind || (e.path === TRANSACTIONS && e.method !== 'POST')) continue;
    calls.push({
      by: e.service,
      kind,
      ...(tx ? { tx: decodeURIComponent(tx) } : {}),
      ...(what === 'files' ? { repoPath: rest.map(decodeURIComponent).join('/') } : {}),
      status: e.status,
      ...(e.request ? { sent: { bytes: e.request.bytes, sha256: e.request.sha256, complete: e.request.complete } } : {}),
      ...(e.fault ? { fault: e.fault.kind } : {}),
    });
  }
  return calls;
}

/** The claims and uploads of each file, in order, keyed by repo_path. */
export function fileCalls(calls: readonly EdpCall[]): Record<string, EdpCall[]> {
  const out: Record<string, EdpCall[]> = {};
  for (const call of calls) if (call.repoPath !== undefined) (out[call.repoPath] ??= []).push(call);
  return out;
}

/** The transaction ids the calls name: one id means every call went to the same transaction. */
export function transactionsOf(calls: readonly EdpCall[]): string[] {
  return [...new Set(calls.flatMap((c) => (c.tx === undefined ? [] : [c.tx])))];
}

/** A fault as a plan is written (defaults left out). */
export type FaultInput = FaultPlanInput['rules'][number]['fault'];

/** The route of the source's PUTs of bundle files to an Edge (checksum deploys and uploads alike). */
export const FILE_PUTS = `${TRANSACTIONS}/*/files/**`;

/**
 * A rule on the source's PUTs of files (`route` narrows them, e.g. to one file name). Per file
 * path, the source's PUTs alternate checksum deploy, upload (simulator/source/README.md), so
 * `uploads: [1, 2]` selects the first and second upload of each file.
 */
export function onUploads(fault: FaultInput, uploads: readonly number[], route: string = FILE_PUTS): FaultPlanInput['rules'][number] {
  return { service: 'source', direction: 'outbound', route, method: 'PUT', nth: uploads.map((n) => 2 * n), fault };
}

/**
 * A fault plan seeded with the scenario's seed. Rules choose exchanges by `nth`, never by
 * `probability`: a probability draw is keyed on the path, which holds run-unique names, so only
 * nth-chosen faults are the same when a replay runs under other names.
 */
export function faultPlan(t: ScenarioContext, description: string, rules: FaultPlanInput['rules']): FaultPlan {
  return parseFaultPlan({ seed: t.seed, description, rules });
}
