import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult } from '../scenarios/index.ts';

/** Report writers: each turns a run's result into one file in the output folder. */

export const REPORT_FORMATS = ['json', 'junit', 'html', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

type Writer = (result: RunResult) => string;

const WRITERS: Record<ReportFormat, { file: string; write: Writer }> = {
  json: { file: 'result.json', write: (r) => `${JSON.stringify(r, null, 2)}\n` },
  junit: { file: 'junit.xml', write: notYet('junit') },
  html: { file: 'report.html', write: notYet('html') },
  md: { file: 'summary.md', write: notYet('md') },
};

function notYet(format: string): Writer {
  return () => {
    throw new Error(`the ${format} report is not written yet`);
  };
}

/** Writes the chosen reports into `outDir`; returns the files written. */
export async function writeReports(result: RunResult, outDir: string, formats: readonly ReportFormat[]): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const format of formats) {
    const { file, write } = WRITERS[format];
    await writeFile(join(outDir, file), write(result));
    written.push(join(outDir, file));
  }
  return written;
}
