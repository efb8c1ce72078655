import type { EdgeError } from '../../protocol/errors.ts';
import type { DistributionEvents, DistributionStep } from './events.ts';

/** A refused delivery as the feed keeps it: when, at which step, the EDP code and message, and where. */
export interface RefusalEvent {
  at: string;
  step: DistributionStep;
  code: string;
  message: string;
  txId?: string;
  repoPath?: string;
}

/** How many refusals the feed keeps: enough for an operator to see a burst, bounded so a hostile sender cannot grow it. */
export const REFUSALS_KEPT = 200;

/**
 * EDGE-UI-5: the most recent refused deliveries of this process, newest first, for the UI's
 * bundles page. In memory and per process: the log (EDGE-OPS-5) is the complete record; this
 * answers "what was refused lately" without reading it.
 */
export class RefusalFeed {
  readonly #kept: RefusalEvent[] = [];

  constructor(
    private readonly now: () => number,
    private readonly capacity = REFUSALS_KEPT,
  ) {}

  record(step: DistributionStep, error: EdgeError, where: { txId?: string; repoPath?: string }): void {
    this.#kept.unshift({ at: new Date(this.now()).toISOString(), step, code: error.code, message: error.message, ...where });
    if (this.#kept.length > this.capacity) this.#kept.length = this.capacity;
  }

  recent(): readonly RefusalEvent[] {
    return [...this.#kept];
  }
}

/** `events`, with each refusal also recorded in `feed`. */
export function feedingRefusals(events: DistributionEvents, feed: RefusalFeed): DistributionEvents {
  return {
    ...events,
    refused(step, error, where) {
      events.refused(step, error, where);
      feed.record(step, error, where);
    },
  };
}
