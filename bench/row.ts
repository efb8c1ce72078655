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
