import { ApiError } from '../../protocol/clients/index.ts';
import type { Transaction } from '../../protocol/wire/edp.ts';
import { requestIdOf, snapshot } from './assertions.ts';
import { seededBytes } from './bodies.ts';
import { commit, start, uploadFile, type BundleFile, type SignedBundle } from './bundles.ts';
import type { ScenarioContext } from './context.ts';
import { expect } from './expect.ts';
import type { RawResponse } from './http.ts';
import { localRepo } from './world.ts';

/**
 * EDP transactions as scenarios drive them directly, playing Distribution and the source:
 * content no other run holds, transactions that are cleaned up whatever they became, and the
 * refusal checks (EDP-TX-2's error body, and nothing changed, transactions included).
 */

/** The repositories each scenario's bundles target: where a refused call could have written. */
const targets = new WeakMap<ScenarioContext, string[]>();

/** Makes the Edge trust the fixture signing key, and creates a local repository bundles can target; returns its key. */
export async function bundleTarget(t: ScenarioContext, base = 'edp-local'): Promise<string> {
  await t.installTrust();
  const key = await localRepo(t, base);
  targets.set(t, [...(targets.get(t) ?? []), key]);
  return key;
}

/** A file at `repoPath` whose bytes no other scenario or run holds (`size` seeded bytes, or a short text). */
export function freshFile(t: ScenarioContext, repoPath: string, size?: number): BundleFile {
  const tag = `${repoPath} ${t.name('content')}`;
  return { repoPath, bytes: size === undefined ? Buffer.from(tag) : seededBytes(tag, size) };
}

export interface Opened {
  id: string;
  transaction: Transaction;
  res: RawResponse;
}

/**
 * Opens a transaction for `bundle` (201 expected) and makes sure it leaves nothing behind: still
 * OPEN at the end, it is aborted; COMMITTED, its bundle is deleted.
 */
export async function open(t: ScenarioContext, bundle: SignedBundle, extra: Record<string, unknown> = {}): Promise<Opened> {
  const res = await start(t, bundle.jws, extra);
  expect(res.status, res.text).toBe(201);
  const transaction = res.json() as Transaction;
  cleanUpTransaction(t, transaction.id);
  return { id: transaction.id, transaction, res };
}

/**
 * Starts, sends what is MISSING and commits `bundle` with the exact calls scenarios check; unlike
 * `distribute`, a scenario may delete the bundle itself (the clean-up then finds it gone).
 * Returns the transaction id.
 */
export async function publish(t: ScenarioContext, bundle: SignedBundle): Promise<string> {
  const { id, transaction } = await open(t, bundle);
  const missing = new Set(transaction.files.filter((f) => f.state === 'MISSING').map((f) => f.repo_path));
  for (const file of bundle.files.filter((f) => missing.has(f.repoPath))) expect((await uploadFile(t, id, file)).status, file.repoPath).toBe(201);
  const res = await commit(t, id);
  expect(res.status, res.text).toBe(200);
  return id;
}

/** Registers the clean-up of a transaction this scenario started some other way. */
export function cleanUpTransaction(t: ScenarioContext, id: string): void {
  t.defer(async () => {
    const { edp } = t.clients();
    const tx = await edp.status(id);
    if (tx.state === 'OPEN') await edp.abort(id);
    if (tx.state === 'COMMITTED') await ignoreUnknown(edp.deleteBundle(tx.name, tx.version));
  });
}

/** A deletion that finds the thing already gone is done. */
async function ignoreUnknown(deletion: Promise<unknown>): Promise<void> {
  try {
    await deletion;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
}

/** The transaction as `GET /transactions/{id}` shows it. */
export async function statusOf(t: ScenarioContext, id: string): Promise<Transaction> {
  return t.clients().edp.status(id);
}

/** Each file's state, in bundle order. */
export async function fileStates(t: ScenarioContext, id: string): Promise<string[]> {
  return (await statusOf(t, id)).files.map((f) => f.state);
}

/**
 * What the Edge holds, as far as the protocol is concerned: the snapshot (narrowed to the
 * scenario's target repositories when it made them with `bundleTarget`, so that it stays
 * affordable on a large shared Edge; the repository list and the blobs stay whole), every
 * transaction with its file states (not `expires_at`, which activity may legitimately move),
 * and the release bundles.
 */
export async function edpState(t: ScenarioContext): Promise<unknown> {
  const { edp } = t.clients();
  const [edge, transactions, bundles] = await Promise.all([snapshot(t, targets.get(t)), edp.transactions(), edp.bundles()]);
  return { edge, transactions: transactions.map(({ expires_at: _moves, ...tx }) => tx), bundles };
}

/**
 * EDP-TX-2: Artifactory's error body with one entry carrying the status, the EDP code, a
 * message and the request id, plus `details` where the protocol names more members.
 */
export function expectEdpError(res: RawResponse, status: number, code: string | RegExp, details: Record<string, unknown> = {}): void {
  expect(res.status, res.text).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
  const { errors } = res.json() as { errors: unknown[] };
  expect(errors, res.text).toHaveLength(1);
  const codeMatch = typeof code === 'string' ? code : expect.stringMatching(code);
  expect(errors[0], res.text).toMatchObject({ status, code: codeMatch, message: expect.stringMatching(/\S/), requestId: requestIdOf(res), ...details });
}

export interface RefusalSeries {
  /** The call is refused with `code`, and the Edge is as it was when the series began. */
  send(call: () => Promise<RawResponse>, status: number, code: string | RegExp, details?: Record<string, unknown>): Promise<RawResponse>;
  /** `POST /transactions` with `jws` (and `extra` body members) is refused so. */
  start(jws: string, status: number, code: string, details?: Record<string, unknown>, extra?: Record<string, unknown>): Promise<RawResponse>;
}

/**
 * Refusals in a row, each compared with the state taken once before the first: every one of
 * them must leave the Edge exactly as it was.
 */
export async function refusalSeries(t: ScenarioContext): Promise<RefusalSeries> {
  const before = await edpState(t);
  const send: RefusalSeries['send'] = async (call, status, code, details = {}) => {
    const res = await call();
    expectEdpError(res, status, code, details);
    expect(await edpState(t), `${String(code)}: the refused call changed the Edge`).toEqual(before);
    return res;
  };
  return { send, start: (jws, status, code, details, extra) => send(() => start(t, jws, extra), status, code, details) };
}
