import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FetchOutcome, UpstreamMemory } from '../../storage/metadata.ts';
import { FlightMiss, type Flight } from './flight.ts';
import { UpstreamFailure } from './upstream.ts';

/** How long a claim holds without renewal: a holder killed mid-download delays the others this long at most. */
const CLAIM_MS = 10_000;
/** How long an ended claim keeps its outcome for the requests that waited on it. */
const OUTCOME_MS = 10_000;
/** Waits between looks at another process's claim: quick at first, then at most four a second. */
const POLL_MS = [10, 20, 40, 80, 160, 250];

/**
 * EDGE-SR-7, EDGE-HA-5: the one upstream GET of a file among every process sharing the store.
 * Within a process requests share a `Flight` (late joiners stream its spooled bytes); across
 * processes the download is claimed in the store first. A process that finds another's live
 * claim waits for the file to appear in the cache — or for the claim's outcome (a miss, an
 * unreachable upstream) — and answers from that; a claim whose holder died lapses and is taken
 * over. The holder renews its claim while the download runs, however long it takes.
 */
export class SharedFetches {
  readonly #holder = randomUUID();
  readonly #pending = new Map<string, Promise<Flight | undefined>>();

  constructor(
    private readonly memory: UpstreamMemory,
    private readonly now: () => number,
    /** Whether the file is in the cache now. */
    private readonly cached: (repo: string, path: string) => Promise<boolean>,
  ) {}

  /**
   * The flight this process runs for the file (started by `start` once claimed), or undefined
   * when another process cached it meanwhile. Rejects as the other process's download ended.
   */
  flight(repo: string, path: string, start: () => Flight): Promise<Flight | undefined> {
    const key = `${repo}\0${path}`;
    const pending = this.#pending.get(key);
    if (pending) return pending;
    const claimed = this.#claim(repo, path, start);
    this.#pending.set(key, claimed);
    void claimed
      .catch(() => undefined)
      .finally(() => {
        if (this.#pending.get(key) === claimed) this.#pending.delete(key);
      });
    return claimed;
  }

  async #claim(repo: string, path: string, start: () => Flight): Promise<Flight | undefined> {
    let waitingOn: string | undefined;
    for (let round = 0; ; round++) {
      const at = this.now();
      const claim = await this.memory.claimFetch(repo, path, this.#holder, at + CLAIM_MS, at, waitingOn);
      if (claim.taken) return this.#hold(repo, path, start());
      if (claim.outcome !== null) {
        // The download waited on is over; a file it did not cache is fetched here.
        if (claim.outcome === 'cached' && (await this.cached(repo, path))) return undefined;
        failureOf(claim.outcome);
        waitingOn = undefined;
        continue;
      }
      waitingOn = claim.holder;
      if (await this.cached(repo, path)) return undefined;
      await sleep(POLL_MS[Math.min(round, POLL_MS.length - 1)]);
    }
  }

  /** Keeps the claim while the flight runs, then leaves its outcome for those who waited. */
  #hold(repo: string, path: string, flight: Flight): Flight {
    const renew = setInterval(() => {
      void this.memory.renewFetch(repo, path, this.#holder, this.now() + CLAIM_MS).catch(() => undefined);
    }, CLAIM_MS / 3);
    renew.unref();
    void flight.done
      .then(
        ({ cached }): FetchOutcome => (cached ? 'cached' : 'discarded'),
        (error: unknown) => outcomeOf(error),
      )
      .then((outcome) => {
        clearInterval(renew);
        return this.memory.endFetch(repo, path, this.#holder, outcome, this.now() + OUTCOME_MS);
      })
      .catch(() => undefined);
    return flight;
  }
}

function outcomeOf(error: unknown): FetchOutcome {
  if (error instanceof FlightMiss) return error.folder ? 'folder' : 'missed';
  if (error instanceof UpstreamFailure && error.kind === 'connect') return 'unreachable';
  return 'failed';
}

/** Throws what another process's download ended with; returns for outcomes that leave the file to fetch here. */
function failureOf(outcome: FetchOutcome): void {
  if (outcome === 'missed') throw new FlightMiss(false);
  if (outcome === 'folder') throw new FlightMiss(true);
  if (outcome === 'unreachable') throw new UpstreamFailure('connect', 'another node could not reach the upstream');
  if (outcome === 'failed') throw new UpstreamFailure('answer', "another node's download of the file failed");
}
