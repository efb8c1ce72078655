import type { RunResult } from '../scenarios/index.ts';

/** What a report writer is given besides the result. */
export interface ReportContext {
  /** The output folder as the user named it: replay files are under it, and commands print it. */
  outDir: string;
}

/** Turns a run's result into the text of one file. Pure, so a fixed result gives the same bytes. */
export type Writer = (result: RunResult, context: ReportContext) => string;
