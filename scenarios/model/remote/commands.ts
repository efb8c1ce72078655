import type fc from 'fast-check';
import type { FaultPlanInput } from '../../../simulator/faults/plan.ts';
import { sha256 } from '../../kit/bundles.ts';
import { expect } from '../../kit/expect.ts';
import { attempt, upstreamGets } from '../../kit/upstream.ts';
import { type CacheModel, type CacheReal, type ReadFault, REMOTE_CONTENTS } from './cache-model.ts';

/** The commands of the smart remote model: change the upstream, read through the Edge (maybe faulted), delete from the cache. */

type Command = fc.AsyncCommand<CacheModel, CacheReal>;

const through = (real: CacheReal, path: string) => `/artifactory/${real.remote}/${real.upstream.root}/${path}`;

export class PutUpstreamCommand implements Command {
  constructor(
    readonly path: string,
    readonly content: number,
  ) {}
  check = () => true;
  async run(model: CacheModel, real: CacheReal): Promise<void> {
    await real.upstream.put(this.path, REMOTE_CONTENTS[this.content] as Buffer);
    model.upstream.set(this.path, this.content);
  }
  toString = () => `upstream put(${this.path}=c${this.content})`;
}

export class DeleteUpstreamCommand implements Command {
  constructor(readonly path: string) {}
  check = (model: Readonly<CacheModel>) => model.upstream.has(this.path);
  async run(model: CacheModel, real: CacheReal): Promise<void> {
    await real.upstream.remove(this.path);
    model.upstream.delete(this.path);
  }
  toString = () => `upstream delete(${this.path})`;
}

function faultRule(fault: Exclude<ReadFault, 'none'>, route: string): FaultPlanInput['rules'][number] {
  const at = { service: 'upstream', direction: 'inbound', route } as const;
  switch (fault) {
    case 'corrupt':
      return { ...at, method: 'GET', fault: { kind: 'corrupt', offset: 512 } };
    case 'truncate':
      return { ...at, method: 'GET', fault: { kind: 'truncate', afterBytes: 512 } };
    case 'reset':
      return { ...at, method: 'GET', fault: { kind: 'reset', afterBytes: 512 } };
    case 'wrong-sha256':
      return { ...at, fault: { kind: 'checksum-header', mode: 'wrong', header: 'x-checksum-sha256' } };
  }
}

/**
 * A download through the Edge, every upstream answer for the path broken by `fault` meanwhile.
 * Cached: the cached version, and the upstream is not asked (EDGE-SR-3). Not cached: the
 * upstream's current bytes, cached (EDGE-SR-4); with a fault, no complete success and nothing
 * cached (EDGE-SR-5, -6); absent upstream: 404 (misses are not remembered in this remote).
 */
export class ReadCommand implements Command {
  constructor(
    readonly path: string,
    readonly fault: ReadFault,
  ) {}
  check = () => true;
  async run(model: CacheModel, real: CacheReal): Promise<void> {
    const { t, upstream } = real;
    const getsBefore = await upstreamGets(upstream, this.path);
    upstream.faultWith(this.fault === 'none' ? [] : [faultRule(this.fault, upstream.route(this.path))]);
    let outcome: Awaited<ReturnType<typeof attempt>>;
    try {
      outcome = await attempt(t, through(real, this.path));
    } finally {
      upstream.faultWith([]);
    }
    const complete200 = outcome.complete && outcome.res.status === 200;
    const body = outcome.complete ? outcome.res.body : undefined;
    // Whatever happens: a complete success carries a version the upstream really served.
    if (complete200)
      expect([...(model.served.get(this.path) ?? []), ...this.#current(model)], 'a complete 200 carries a version the upstream served').toContain(
        sha256(body as Buffer),
      );
    const cached = model.cached.get(this.path);
    const getsAfter = await upstreamGets(upstream, this.path);
    if (cached !== undefined) {
      expect(complete200, `a cached file is served: ${outcome.complete ? outcome.res.status : outcome.error}`).toBe(true);
      expect(sha256(body as Buffer), 'the cached version').toBe(cached);
      expect(getsAfter, 'upstream GETs for a cached file').toBe(getsBefore);
      return;
    }
    const content = model.upstream.get(this.path);
    if (content === undefined) {
      expect(outcome.complete && outcome.res.status, 'an absent file').toBe(404);
      return;
    }
    if (this.fault !== 'none') {
      expect(complete200, 'a faulted fetch is no complete success').toBe(false);
      return;
    }
    expect(complete200, `the fetch: ${outcome.complete ? outcome.res.text.slice(0, 200) : outcome.error}`).toBe(true);
    const sha = model.servedWhole(this.path, content);
    expect(sha256(body as Buffer), "the upstream's bytes").toBe(sha);
    model.cached.set(this.path, sha);
  }
  #current(model: CacheModel): string[] {
    const content = model.upstream.get(this.path);
    return this.fault === 'none' && content !== undefined ? [sha256(REMOTE_CONTENTS[content] as Buffer)] : [];
  }
  toString = () => `read(${this.path}${this.fault === 'none' ? '' : `, ${this.fault}`})`;
}

/** An admin deletes the path from the cache (EDGE-SR-16): 204 when cached; gone from the cache either way. */
export class CacheDeleteCommand implements Command {
  constructor(readonly path: string) {}
  check = (model: Readonly<CacheModel>) => model.cached.has(this.path);
  async run(model: CacheModel, real: CacheReal): Promise<void> {
    const res = await real.t.http('DELETE', through(real, this.path));
    expect(res.status, res.text).toBe(204);
    model.cached.delete(this.path);
  }
  toString = () => `cache delete(${this.path})`;
}
