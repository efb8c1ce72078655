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

/**
 * Digests a body while it streams through, holding no more than the chunk in hand.
 *
 * @note A pull-based stream with a high-water mark of 0, not a TransformStream: a pipe into a
 * TransformStream reads a chunk ahead, so a stage after it would be pulled before the peer has
 * taken the bytes in between. With no read-ahead, each pull here is the transport's own demand,
 * which is what lets a `reset` fault break the connection exactly after its byte count.
 */
export function digestBody(source: ReadableStream<Uint8Array>): DigestedBody {
  const reader = source.getReader();
  const hash = createHash('sha256');
  let bytes = 0;
  let complete = false;
  let settle: (outcome: { digest: BodyDigest; error: unknown }) => void = () => undefined;
  const settled = new Promise<{ digest: BodyDigest; error: unknown }>((resolve) => {
    settle = resolve;
  });
  // Digest a copy of the hash state, so the running hash can keep going after a snapshot.
  const snapshot = (): BodyDigest => ({ bytes, sha256: hash.copy().digest('hex'), complete });
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let next: Awaited<ReturnType<typeof reader.read>>;
        try {
          next = await reader.read();
        } catch (error) {
          settle({ digest: snapshot(), error });
          controller.error(error);
          return;
        }
        if (next.done) {
          complete = true;
          settle({ digest: snapshot(), error: undefined });
          controller.close();
          return;
        }
        hash.update(next.value);
        bytes += next.value.byteLength;
        controller.enqueue(next.value);
      },
      cancel(reason) {
        settle({ digest: snapshot(), error: reason ?? new Error('body cancelled') });
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return { body, snapshot, settled };
}
