import { createHash } from 'node:crypto';

/**
 * The HTTP exchanges a scenario had with the Edge, as reports and replay files show them:
 * enough to see what was sent and answered without holding artifacts in memory. Bodies keep
 * their first `BODY_PREVIEW_BYTES` (as UTF-8 when they are text) plus length and SHA-256.
 */

export const BODY_PREVIEW_BYTES = 4096;

export interface BodyRecord {
  length: number;
  sha256: string;
  /** The first bytes, as text (binary bytes are shown base64, prefixed `base64:`). */
  preview: string;
  truncated: boolean;
}

export interface Exchange {
  /** 1-based, in the order requests were sent. */
  seq: number;
  /** The step the request belongs to (`t.step`), when any. */
  step?: string;
  method: string;
  /** From the server root, exactly as sent. */
  path: string;
  /** Request headers; credentials are reduced to their scheme. */
  requestHeaders: Record<string, string>;
  requestBody?: BodyRecord;
  /** 0 when no answer came (`error` says why). */
  status: number;
  responseHeaders: Record<string, string>;
  responseBody?: BodyRecord;
  durationMs: number;
  error?: string;
}

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-jfrog-art-api', 'x-gpg-passphrase']);

export function redactHeaders(headers: Record<string, string | string[] | number | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    const lower = name.toLowerCase();
    out[lower] = SECRET_HEADERS.has(lower) ? `${text.split(' ')[0] ?? ''} <redacted>`.trim() : text;
  }
  return out;
}

/** Hashes a body while keeping its first bytes: fed chunk by chunk as the bytes pass. */
export class BodyTap {
  readonly #hash = createHash('sha256');
  readonly #head: Buffer[] = [];
  #headBytes = 0;
  #length = 0;

  add(chunk: Uint8Array): void {
    this.#hash.update(chunk);
    this.#length += chunk.byteLength;
    if (this.#headBytes < BODY_PREVIEW_BYTES) {
      const take = Buffer.from(chunk.subarray(0, BODY_PREVIEW_BYTES - this.#headBytes));
      this.#head.push(take);
      this.#headBytes += take.byteLength;
    }
  }

  record(): BodyRecord {
    const head = Buffer.concat(this.#head);
    return { length: this.#length, sha256: this.#hash.digest('hex'), preview: preview(head), truncated: this.#length > head.byteLength };
  }
}

export function bodyRecord(bytes: Uint8Array | string): BodyRecord {
  const tap = new BodyTap();
  tap.add(typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
  return tap.record();
}

function preview(head: Buffer): string {
  const text = head.toString('utf8');
  // Replacement characters or control bytes other than whitespace: not text.
  const binary = [...text].some((c) => c === '\ufffd' || (c < ' ' && c !== '\t' && c !== '\n' && c !== '\r'));
  return binary ? `base64:${head.toString('base64')}` : text;
}

/** One line per exchange, as the terminal and the Markdown summary print them. */
export function exchangeLine(e: Exchange): string {
  return `${e.method} ${e.path} → ${e.status || `no answer (${e.error ?? 'error'})`}`;
}
