import { createCipheriv, createHash } from 'node:crypto';
import { expectStatus } from '../../kit/assertions.ts';
import { sha256 } from '../../kit/bundles.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import type { RawResponse } from '../../kit/http.ts';
import { scenario, type Scenario } from '../../kit/scenario.ts';
import { UPSTREAM_KINDS, type Upstream, type UpstreamKind } from '../../kit/upstream.ts';

/** What the smart remote scenarios share: the scenario once per kind of upstream, content, checks. */

/**
 * A pull-through scenario once per kind of upstream (the simulator, another Edge): ids end in
 * `-from-simulator` / `-from-edge`, and the Edge one needs a second Edge.
 */
export function perUpstream(definition: Omit<Scenario, 'run' | 'needs'> & { run(t: ScenarioContext, kind: UpstreamKind): Promise<void> }): Scenario[] {
  return UPSTREAM_KINDS.map((kind) =>
    scenario({
      ...definition,
      id: `${definition.id}-from-${kind}`,
      title: `${definition.title} (upstream: ${kind === 'edge' ? 'another Edge' : 'the upstream simulator'})`,
      needs: kind === 'edge' ? ['reach-loopback', 'more-edges'] : ['reach-loopback'],
      run: (t) => definition.run(t, kind),
    }),
  );
}

/** `size` bytes that depend only on the run's seed and `label`: the same content in a replay. */
export function contentOf(t: ScenarioContext, label: string, size: number): Buffer {
  const key = createHash('sha256').update(`${t.seed}:${label}`).digest();
  return createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32)).update(Buffer.alloc(size));
}

/** Where the Edge serves an upstream file through `remote`. */
export const through = (remote: string, upstream: Pick<Upstream, 'root'>, path: string) => `/artifactory/${remote}/${upstream.root}/${path}`;
/** The storage API address of that file. */
export const storageOf = (remote: string, upstream: Pick<Upstream, 'root'>, path: string) => `/artifactory/api/storage/${remote}/${upstream.root}/${path}`;

/** A complete 200 with exactly `bytes`, carrying their checksums (EDGE-SR-4). */
export function expectServed(res: RawResponse, bytes: Buffer, what = 'the download'): void {
  expect(res.status, `${what}: ${res.text.slice(0, 200)}`).toBe(200);
  expect(res.body.byteLength, `${what}: bytes served`).toBe(bytes.byteLength);
  expect(sha256(res.body), `${what}: content served`).toBe(sha256(bytes));
  expect(res.headers['x-checksum-sha256'], `${what}: X-Checksum-Sha256`).toBe(sha256(bytes));
  expect(res.headers['x-checksum-sha1'], `${what}: X-Checksum-Sha1`).toBe(createHash('sha1').update(bytes).digest('hex'));
}

export { upstreamGets } from '../../kit/upstream.ts';

/** How many exchanges of any kind about `path` reached the upstream (downloads, HEADs, storage API). */
export async function upstreamAsked(upstream: Upstream, path: string): Promise<number> {
  return (await upstream.served(path)).length;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface FolderNames {
  children: string[];
  list: string[];
  html: string[];
}

/** The names `repo/folder` shows three ways: storage info children, `?list` (one level, folders too), the HTML index; each sorted. */
export async function folderNames(t: ScenarioContext, repo: string, folder: string): Promise<FolderNames> {
  const info = (await expectStatus(t.http('GET', `/artifactory/api/storage/${repo}/${folder}`), 200)).json() as { children: { uri: string }[] };
  const list = (await expectStatus(t.http('GET', `/artifactory/api/storage/${repo}/${folder}?list&deep=0&listFolders=1`), 200)).json() as {
    files: { uri: string }[];
  };
  const html = (await expectStatus(t.http('GET', `/artifactory/${repo}/${folder}/`), 200)).text;
  const links = [...html.matchAll(/href="([^"]+)"/g)]
    .map((m) => decodeURIComponent(m[1] as string).replace(/\/$/, ''))
    .filter((h) => !h.startsWith('..') && !h.includes('/'));
  const names = (uris: { uri: string }[]) => uris.map((c) => c.uri.replace(/^\//, '')).sort();
  return { children: names(info.children), list: names(list.files), html: links.sort() };
}

/** Each of the three listings holds exactly `names`. */
export function expectListed(got: FolderNames, names: string[], what: string): void {
  const sorted = [...names].sort();
  expect(got.children, `${what}: storage info children`).toEqual(sorted);
  expect(got.list, `${what}: ?list`).toEqual(sorted);
  expect(got.html, `${what}: the HTML index`).toEqual(sorted);
}
