import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult } from '../scenarios/index.ts';
import { ATTESTATION_FILE, attest, RESULT_FILE } from './attestation.ts';
import { htmlReport } from './html.ts';
import { junitReport } from './junit.ts';
import type { SigningKey } from './keys.ts';
import { markdownReport } from './markdown.ts';
import type { Writer } from './writer.ts';

/** Report writers: each turns a run's result into one file in the output folder (reports/README.md). */

export const REPORT_FORMATS = ['json', 'junit', 'html', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The complete record, every other report is a view of it; the attestation signs its exact bytes. */
const jsonReport: Writer = (result) => `${JSON.stringify(result, null, 2)}\n`;

export const WRITERS: Record<ReportFormat, { file: string; write: Writer }> = {
  json: { file: RESULT_FILE, write: jsonReport },
  junit: { file: 'junit.xml', write: junitReport },
  html: { file: 'report.html', write: htmlReport },
  md: { file: 'summary.md', write: markdownReport },
};

export interface WriteOptions {
  /** Also write `attestation.dsse.json`, signed with this key (and `result.json`, which it attests). */
  signKey?: SigningKey;
}

/** Writes the chosen reports into `outDir`; returns the files written. */
export async function writeReports(result: RunResult, outDir: string, formats: readonly ReportFormat[], options: WriteOptions = {}): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const chosen = options.signKey && !formats.includes('json') ? [...formats, 'json' as const] : formats;
  const written: string[] = [];
  let json: string | undefined;
  for (const format of chosen) {
    const { file, write } = WRITERS[format];
    const text = write(result, { outDir });
    if (format === 'json') json = text;
    await writeFile(join(outDir, file), text);
    written.push(join(outDir, file));
  }
  if (options.signKey && json !== undefined) {
    // The very bytes just written: the subject digest must match the file a verifier reads.
    const envelope = attest(result, Buffer.from(json), options.signKey);
    await writeFile(join(outDir, ATTESTATION_FILE), `${JSON.stringify(envelope, null, 2)}\n`);
    written.push(join(outDir, ATTESTATION_FILE));
  }
  return written;
}

export { ATTESTATION_FILE, RESULT_FILE } from './attestation.ts';
export { KeyError, publicKeyFromPem, signingKeyFromPem, type PublicKey, type SigningKey } from './keys.ts';
export { verifyAttestation, type Verification } from './verify.ts';
export { failureText } from './failure-text.ts';
