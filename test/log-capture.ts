import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

/** Test support: an Edge logger whose lines the test reads, each as written and parsed. */
export interface LogCapture {
  logger: Logger;
  /** Every line as written. */
  lines: string[];
  records(): Record<string, unknown>[];
  /** Waits for the first line that `match` accepts (lines are written when a response closes). */
  waitFor(match: (record: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>>;
}

export function captureLog(level = 'info'): LogCapture {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((line) => line !== ''),
      );
      done();
    },
  });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    logger: pino({ level }, stream),
    lines,
    records,
    async waitFor(match, what) {
      for (let waited = 0; waited < 5_000; waited += 10) {
        const found = records().find(match);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`no log line ${what}; lines:\n${lines.join('\n')}`);
    },
  };
}
