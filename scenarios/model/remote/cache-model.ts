import { sha256 } from '../../kit/bundles.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import type { Upstream } from '../../kit/upstream.ts';

/**
 * The model of a smart remote's cache and its upstream: what the upstream holds now, what the
 * Edge has cached (the checksum of the version it verified), and every version the upstream ever
 * served at each path. Pure; the commands predict the Edge's answers from it.
 */

/** Contents the upstream may hold: none empty, so every fault below (at byte 512) changes something. */
export const REMOTE_CONTENTS: readonly Buffer[] = [
  Buffer.alloc(1024, 'smart remote model one '),
  Buffer.alloc(40_000, 'smart remote model two '),
  Buffer.alloc(3000, 'smart remote model three '),
];

export const REMOTE_PATHS: readonly string[] = ['a.bin', 'd/b.bin', 'd/e/c.bin'];

/** What breaks the upstream's answers to the downloads of one read. */
export const READ_FAULTS = ['none', 'corrupt', 'truncate', 'reset', 'wrong-sha256'] as const;
export type ReadFault = (typeof READ_FAULTS)[number];

export class CacheModel {
  /** path → content index the upstream holds now. */
  readonly upstream = new Map<string, number>();
  /** path → sha256 of the version the Edge cached. */
  readonly cached = new Map<string, string>();
  /** path → sha256 of every version the upstream ever sent complete and unfaulted. */
  readonly served = new Map<string, Set<string>>();

  /** The upstream served `content` at `path`, whole and true. */
  servedWhole(path: string, content: number): string {
    const sha = sha256(REMOTE_CONTENTS[content] as Buffer);
    this.served.set(path, new Set([...(this.served.get(path) ?? []), sha]));
    return sha;
  }
}

/** The Edge side: the scenario, its upstream and the smart remote of this run. */
export interface CacheReal {
  t: ScenarioContext;
  upstream: Upstream;
  remote: string;
}
