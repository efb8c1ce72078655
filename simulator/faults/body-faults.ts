import { FaultNetworkError } from './fault-network-error.ts';
import type { Fault } from './plan.ts';
import { sleep } from './wait.ts';

export type BodyFault = Extract<Fault, { kind: 'corrupt' | 'truncate' | 'reset' | 'bandwidth' | 'slow-close' }>;
type Body = ReadableStream<Uint8Array>;

export interface BodyFaultContext {
  /** Aborts when the exchange is abandoned, so no fault keeps a timer running for nobody. */
  readonly signal: AbortSignal;
  /**
   * Breaks the exchange once the bytes already handed over have reached the peer. A transport
   * with a real connection resets it, and then cancels the body as it notices the closed
   * socket; one without calls `fail`, which errors the body stream: all an in-process peer
   * (or undici sending an outbound request body) can see.
   */
  readonly reset: (fail: () => void) => Promise<void>;
}

/** Wraps a body in the stream that applies `fault` to it; nothing is buffered beyond one chunk. */
export function faultBody(fault: BodyFault, body: Body, context: BodyFaultContext): Body {
  switch (fault.kind) {
    case 'corrupt':
      return body.pipeThrough(corrupt(fault.offset, fault.xor));
    case 'truncate':
      return body.pipeThrough(truncate(fault.afterBytes));
    case 'reset':
      return resetAfter(fault.afterBytes, body, context);
    case 'bandwidth':
      return body.pipeThrough(throttle(fault.bytesPerSecond, context.signal));
    case 'slow-close':
      return body.pipeThrough(new TransformStream({ flush: () => sleep(fault.ms, context.signal) }));
  }
}

function corrupt(offset: number, xor: number): TransformStream<Uint8Array, Uint8Array> {
  let position = 0;
  return new TransformStream({
    transform(chunk, controller) {
      const index = offset - position;
      position += chunk.byteLength;
      if (index < 0 || index >= chunk.byteLength) {
        controller.enqueue(chunk);
        return;
      }
      // Flip a copy: the chunk may be the service's own stored bytes, which must stay intact.
      const flipped = chunk.slice();
      flipped[index] = flipped[index]! ^ xor;
      controller.enqueue(flipped);
    },
  });
}

function truncate(afterBytes: number): TransformStream<Uint8Array, Uint8Array> {
  let remaining = afterBytes;
  return new TransformStream({
    start(controller) {
      if (remaining === 0) controller.terminate();
    },
    transform(chunk, controller) {
      if (chunk.byteLength < remaining) {
        remaining -= chunk.byteLength;
        controller.enqueue(chunk);
        return;
      }
      controller.enqueue(chunk.subarray(0, remaining));
      // Ends the body cleanly here (the queued bytes still flow) and cancels the rest upstream.
      controller.terminate();
    },
  });
}

/**
 * A pull-based stream rather than a TransformStream: erroring a stream discards the chunks still
 * queued in it, and only `pull` with a high-water mark of 0 tells us the consumer has taken the
 * last allowed byte. So the reset comes exactly after byte `afterBytes`, or where the body ends
 * if it is shorter, and always before the body's end is signalled.
 */
function resetAfter(afterBytes: number, body: Body, context: BodyFaultContext): Body {
  const reader = body.getReader();
  let remaining = afterBytes;
  let finished = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = remaining > 0 ? await reader.read() : null;
        if (finished) return;
        if (next !== null && !next.done) {
          const chunk = next.value.byteLength <= remaining ? next.value : next.value.subarray(0, remaining);
          remaining -= chunk.byteLength;
          controller.enqueue(chunk);
          return;
        }
        finished = true;
        const error = new FaultNetworkError(`connection reset after ${afterBytes - remaining} body bytes (fault)`);
        await context.reset(() => controller.error(error));
        await reader.cancel(error);
      },
      cancel(reason) {
        finished = true;
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Releases the body in slices of about a tenth of a second's worth, each no earlier than the
 * rate allows counted from the first byte; fine enough to be smooth, coarse enough not to run
 * a timer per byte.
 */
function throttle(bytesPerSecond: number, signal: AbortSignal): TransformStream<Uint8Array, Uint8Array> {
  const sliceBytes = Math.max(1, Math.floor(bytesPerSecond / 10));
  let startedAt: number | undefined;
  let sent = 0;
  return new TransformStream({
    async transform(chunk, controller) {
      startedAt ??= performance.now();
      for (let at = 0; at < chunk.byteLength; at += sliceBytes) {
        const slice = chunk.subarray(at, at + sliceBytes);
        sent += slice.byteLength;
        const due = startedAt + (sent * 1000) / bytesPerSecond;
        await sleep(Math.max(0, due - performance.now()), signal);
        controller.enqueue(slice);
      }
    },
  });
}
