import { createHash } from 'node:crypto';

export interface BodyDigest {
  /** Bytes that passed, i.e. crossed the transport. */
  readonly bytes: number;
  /** SHA-256 (hex) of exactly those bytes. */
  readonly sha256: string;
  /** The body reached its end; false when it was reset, cancelled or never read to the end. */
  readonly complete: boolean;
}

export interface DigestedBody {
  /** The same bytes, passed through unchanged as they are read. */
  readonly body: ReadableStream<Uint8Array>;
  /** The digest so far; final once the body has ended. */
  readonly snapshot: () => BodyDigest;
  /** Settles when the body ends, errors or is cancelled; `error` says why it did not end. */
  readonly settled: Promise<{ readonly digest: BodyDigest; readonly error: unknown }>;
}

/** Digests a body while it streams through, holding no more than the chunk in hand. */
export function digestBody(source: ReadableStream<Uint8Array>): DigestedBody {
  const hash = createHash('sha256');
  let bytes = 0;
  let complete = false;
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      hash.update(chunk);
      bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
    // Runs before the reader sees the end, so a snapshot taken by whoever reacts to it is final.
    flush() {
      complete = true;
    },
  });
  // Digest a copy of the hash state, so the running hash can keep going after a snapshot.
  const snapshot = (): BodyDigest => ({ bytes, sha256: hash.copy().digest('hex'), complete });
  // pipeTo (rather than pipeThrough) because its promise is the one signal of the end, an
  // error on either side, or a cancel by the reader.
  const settled = source.pipeTo(writable).then(
    () => ({ digest: snapshot(), error: undefined }),
    (error: unknown) => ({ digest: snapshot(), error: error ?? new Error('body cancelled') }),
  );
  return { body: readable, snapshot, settled };
}
