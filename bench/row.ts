import { median, withSpread } from './stats.ts';

/** One line of the results table of `npm run bench` (bench/run.ts). */
export interface Row {
  benchmark: string;
  figure: string;
  reference: string;
  /** Median of the per-round ratios (higher is better, unless `reference` says otherwise: fan-out gives wall-time ratios); undefined without a reference. */
  ratio: number | undefined;
  goal: string;
  /** Whether the goal is met; undefined when there is no goal. */
  met: boolean | undefined;
  /** Failures that make the figure meaningless (HTTP errors, wrong bytes). */
  failures: string[];
  /** 0: not sampled. */
  peakRssMib: number;
  raw: unknown;
}

/** Issue #13's goal for a large transfer (GET, upload, EDP ingest): 0.8× its reference. */
export const TRANSFER_GOAL = 0.8;

/**
 * A MiB/s figure against a MiB/s reference measured in the same rounds (`edge[i]` beside
 * `reference[i]`); the ratio is the median of the per-round ratios, judged against `goal` when
 * there is one.
 */
export function throughputRow(
  benchmark: string,
  edge: number[],
  referenceName: string,
  reference: number[],
  failures: string[],
  peakRssMib: number,
  goal: number | undefined,
): Row {
  const ratio = median(edge.map((e, i) => e / (reference[i] as number)));
  return {
    benchmark,
    figure: `${withSpread(edge)} MiB/s`,
    reference: `${referenceName} ${withSpread(reference)} MiB/s`,
    ratio,
    goal: goal === undefined ? '—' : `≥ ${goal}×`,
    met: goal === undefined ? undefined : ratio >= goal,
    failures,
    peakRssMib,
    raw: { edge, reference },
  };
}
