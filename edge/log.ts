import { pino, type Logger, type LoggerOptions } from 'pino';

/**
 * What the Edge's services log through: pino's calls, so they work with the Edge's logger and
 * with Fastify's (a pino logger too) without knowing the web framework.
 */
export type Log = Pick<Logger, 'info' | 'warn' | 'error'>;

/**
 * EDGE-OPS-4: the Edge's logger: JSON lines, or readable text when stdout is a terminal (a
 * person watching rather than a collector). Secrets never reach it by design; the redaction
 * below is the net under that.
 */
export async function createLogger(
  level: string,
  pretty = process.stdout.isTTY === true,
  destination: NodeJS.WritableStream = process.stdout,
): Promise<Logger> {
  const options: LoggerOptions = {
    level,
    redact: { paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', '*.headers.authorization'], censor: '[redacted]' },
  };
  if (!pretty) return destination === process.stdout ? pino(options) : pino(options, destination);
  // Loaded only for a terminal: JSON output, the usual case, does not pay for it.
  const { default: pinoPretty } = await import('pino-pretty');
  return pino(
    options,
    pinoPretty({
      destination,
      colorize: destination === process.stdout,
      sync: true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
      // A request line reads like a classic access log; its other fields follow on the same line.
      messageFormat: '{msg}{if method} {method} {path} {status}{end}',
    }),
  );
}
