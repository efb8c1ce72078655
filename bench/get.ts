import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';

export interface Got {
  status: number;
  bytes: number;
  seconds: number;
  /** The body ended normally (not cut short). */
  complete: boolean;
  /** SHA-256 of the body, when asked for. */
  sha256?: string;
}

/**
 * One GET read to the end through node:http, timed from the request to the last byte. Hashing
 * is optional: it costs a core's worth of CPU that the server under test would otherwise get.
 */
export async function getAll(url: string, options: { authorization?: string; hash?: boolean } = {}): Promise<Got> {
  const t0 = performance.now();
  const hash = options.hash ? createHash('sha256') : undefined;
  const headers = options.authorization ? { authorization: options.authorization } : {};
  const res = await new Promise<IncomingMessage>((resolve, reject) => httpRequest(url, { headers }, resolve).on('error', reject).end());
  let bytes = 0;
  let complete = false;
  res.on('end', () => {
    complete = true;
  });
  try {
    for await (const chunk of res) {
      bytes += chunk.length;
      hash?.update(chunk);
    }
  } catch {
    complete = false;
  }
  const got: Got = { status: res.statusCode ?? 0, bytes, seconds: (performance.now() - t0) / 1000, complete };
  if (hash) got.sha256 = hash.digest('hex');
  return got;
}
