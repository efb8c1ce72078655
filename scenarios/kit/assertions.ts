import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ApiError } from '../../protocol/clients/index.ts';
import type { ScenarioContext } from './context.ts';
import { expect } from './expect.ts';
import type { RawResponse } from './http.ts';

/** Assertions scenarios share: Artifactory's error body, and "refused and nothing changed". */

/** The response's `X-Request-Id`, which every error entry repeats (EDGE-OPS-3). */
export function requestIdOf(res: RawResponse): string {
  const id = res.headers['x-request-id'];
  expect(id, 'X-Request-Id').toMatch(/^\S{1,128}$/);
  return id as string;
}

/** The body with its request id masked: two answers compared as a client would tell them apart. */
export function withoutRequestId(res: RawResponse): string {
  return res.text.replaceAll(requestIdOf(res), '<request id>');
}

/**
 * Artifactory's error body, exactly: `{"errors":[{status,message,code,requestId}]}`, plus the
 * members `extra` names (EDP refusals add `kid`, `alg`, `field`, ...).
 */
export function expectError(res: RawResponse, status: number, code: string, message: string | RegExp, extra: Record<string, unknown> = {}): void {
  expect(res.status, res.text).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
  expect(res.json()).toEqual({
    errors: [{ status, code, message: typeof message === 'string' ? message : expect.stringMatching(message), requestId: requestIdOf(res), ...extra }],
  });
}

export async function expectStatus(res: Promise<RawResponse>, status: number): Promise<RawResponse> {
  const done = await res;
  expect(done.status, done.text).toBe(status);
  return done;
}

/** The value `read` gives, or the status of the refusal it met: for reads a snapshot compares. */
export async function valueOrStatus<T>(read: () => Promise<T>): Promise<T | number> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ApiError) return error.status;
    throw error;
  }
}

/**
 * What a client (and, on targets that show it, the disk) can see of the Edge: every repository
 * with its configuration, every item with its checksums and properties, and every blob. Two
 * equal snapshots mean nothing changed.
 *
 * `scope` (repository keys or `repo/folder` paths) narrows the configurations and items to
 * those places, for scenarios that compare after every one of many requests on a shared Edge
 * whose size they do not know; the repository list and the blobs stay whole.
 */
export async function snapshot(t: ScenarioContext, scope?: readonly string[]): Promise<unknown> {
  const { artifactory } = t.clients();
  const repos = await artifactory.repositories();
  const places = scope ?? repos.map(({ key }) => key);
  const propertiesOf = (repoPath: string) => valueOrStatus(() => artifactory.properties(repoPath));
  // Read side by side: scenarios take a snapshot around every refusal they check.
  const listed = await Promise.all(
    places.map(async (place) => {
      // A scoped folder's own properties count too; a missing one is recorded as its status.
      const own = place.includes('/') ? [[place, await propertiesOf(place)] as const] : [];
      const list = await valueOrStatus(() => artifactory.fileList(place, { deep: true, listFolders: true }));
      if (typeof list === 'number') return own;
      const files = await Promise.all(
        list.files.map(async (file) => [`${place}${file.uri}`, { ...file, properties: await propertiesOf(`${place}${file.uri}`) }] as const),
      );
      return [...own, ...files];
    }),
  );
  const items = Object.fromEntries(listed.flat());
  const keys = [...new Set(places.map((place) => place.split('/')[0] as string))];
  const configs = await Promise.all(keys.map((key) => valueOrStatus(() => artifactory.repository(key))));
  const dataDir = t.edge.dataDir;
  return { repos, configs, items, ...(dataDir ? { blobs: await filesUnder(join(dataDir, 'filestore')) } : {}) };
}

/**
 * Files the Edge staged and left behind (`filestore/_tmp` of edgeproof's data directory), on
 * targets that show their disk; none to see elsewhere.
 */
export async function leftoverStagedFiles(t: ScenarioContext): Promise<string[]> {
  const dataDir = t.edge.dataDir;
  return dataDir ? (await filesUnder(join(dataDir, 'filestore'))).filter((f) => f.startsWith('_tmp/')) : [];
}

/** Every file below `root`, as sorted relative paths. */
export async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else out.push(relative(root, full));
    }
  };
  await walk(root);
  return out.sort();
}

/** Reads what else a request could change (users, tokens, trusted keys, ...), for the comparison. */
type Extra = () => Promise<unknown>;

const nothingElse: Extra = async () => undefined;

/** The snapshot, and what `also` reads. */
async function stateOf(t: ScenarioContext, also: Extra): Promise<unknown> {
  return { edge: await snapshot(t), also: await also() };
}

/** The answer passes `check`, and neither the API nor (where visible) the disk shows any change. */
export async function expectUnchanged(
  t: ScenarioContext,
  send: () => Promise<RawResponse>,
  check: (res: RawResponse) => void,
  also = nothingElse,
): Promise<RawResponse> {
  const before = await stateOf(t, also);
  const res = await send();
  check(res);
  expect(await stateOf(t, also), 'what the Edge holds after the request').toEqual(before);
  return res;
}

/**
 * The request is refused as expected and neither the API nor (where visible) the disk shows any
 * change. `more` is either what else to compare (a function reading it) or more members the
 * error entry must have (EDP refusals add `kid`, `field`, ...).
 */
export async function expectRefusedUnchanged(
  t: ScenarioContext,
  send: () => Promise<RawResponse>,
  status: number,
  code: string,
  message: string | RegExp,
  more: Extra | Record<string, unknown> = nothingElse,
): Promise<RawResponse> {
  const also = typeof more === 'function' ? (more as Extra) : nothingElse;
  const extra = typeof more === 'function' ? {} : more;
  return (await baseline(t, also)).refused(send, status, code, message, extra);
}

export interface Baseline {
  /** `send` is refused as expected, and the Edge is still as it was when the baseline was taken. */
  refused(send: () => Promise<RawResponse>, status: number, code: string, message: string | RegExp, extra?: Record<string, unknown>): Promise<RawResponse>;
}

/**
 * For a run of refusals one after another: one snapshot before the first, one after each. As
 * strong as a snapshot before and after every refusal (nothing happens in between), at half
 * the reads.
 */
export async function baseline(t: ScenarioContext, also = nothingElse): Promise<Baseline> {
  const before = await stateOf(t, also);
  return {
    async refused(send, status, code, message, extra = {}) {
      const res = await send();
      expectError(res, status, code, message, extra);
      expect(await stateOf(t, also), 'what the Edge holds after the refusal').toEqual(before);
      return res;
    },
  };
}

/**
 * `res` is a refusal with `status` in Artifactory's error body (`entry` pins more of it, such
 * as the code) and the Edge still looks as `before`, a snapshot taken before the request.
 */
export async function expectRefusedAsBefore(
  t: ScenarioContext,
  before: unknown,
  res: RawResponse,
  status: number,
  entry: Record<string, unknown> = {},
): Promise<void> {
  expect(res.status, res.text).toBe(status);
  expect(res.json()).toMatchObject({ errors: [{ status, ...entry }] });
  expect(await snapshot(t), 'the Edge changed').toEqual(before);
}
