import { describe, expect, it } from 'vitest';
import { chunked, patternBytes } from '../__fixtures__/bytes.ts';
import { faultBody, type BodyFault, type BodyFaultContext } from './body-faults.ts';
import { FaultNetworkError } from './fault-network-error.ts';

// The stream mechanics alone, in memory; the transports are exercised in *-faults.test.ts.

const BYTES = patternBytes(3000);

function inMemory(): BodyFaultContext & { resets: number } {
  const context = {
    signal: new AbortController().signal,
    resets: 0,
    reset: async (fail: () => void) => {
      context.resets += 1;
      fail();
    },
  };
  return context;
}

async function read(body: ReadableStream<Uint8Array>): Promise<{ bytes: Uint8Array; error: unknown }> {
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of body) chunks.push(chunk);
    return { bytes: Buffer.concat(chunks), error: null };
  } catch (error) {
    return { bytes: Buffer.concat(chunks), error };
  }
}

function apply(fault: BodyFault, context = inMemory()) {
  return read(faultBody(fault, chunked(BYTES, 1000), context));
}

describe('faultBody', () => {
  it('corrupt past the end of the body changes nothing', async () => {
    expect((await apply({ kind: 'corrupt', offset: 3000, xor: 255 })).bytes).toEqual(Buffer.from(BYTES));
  });

  it('corrupt never touches the source buffer', async () => {
    const source = patternBytes(10);
    const before = Buffer.from(source);
    await read(faultBody({ kind: 'corrupt', offset: 4, xor: 255 }, new Blob([source]).stream(), inMemory()));
    expect(Buffer.from(source)).toEqual(before);
  });

  it('truncate at 0 gives an empty, well-ended body', async () => {
    expect(await apply({ kind: 'truncate', afterBytes: 0 })).toEqual({ bytes: Buffer.alloc(0), error: null });
  });

  it('truncate on a chunk boundary ends right there', async () => {
    expect(await apply({ kind: 'truncate', afterBytes: 2000 })).toEqual({ bytes: Buffer.from(BYTES.subarray(0, 2000)), error: null });
  });

  it('reset past the end of a shorter body breaks it where it ends, before the end is signalled', async () => {
    const context = inMemory();
    const { bytes, error } = await apply({ kind: 'reset', afterBytes: 10_000 }, context);
    expect(bytes).toEqual(Buffer.from(BYTES));
    expect(error).toBeInstanceOf(FaultNetworkError);
    expect(context.resets).toBe(1);
  });

  it('reset leaves it to a transport with a real connection to end the body', async () => {
    let resets = 0;
    const body = faultBody({ kind: 'reset', afterBytes: 1500 }, chunked(BYTES, 1000), {
      signal: new AbortController().signal,
      reset: async () => {
        resets += 1;
      },
    });
    const reader = body.getReader();
    expect((await reader.read()).value?.byteLength).toBe(1000);
    expect((await reader.read()).value?.byteLength).toBe(500);
    expect(resets).toBe(0);
    const next = reader.read();
    await new Promise((resolve) => setImmediate(resolve));
    expect(resets).toBe(1);
    // The socket transport resets the connection and then cancels the body, as node-server does.
    await reader.cancel();
    expect(await next).toEqual({ done: true, value: undefined });
  });

  it('slow-close stops its timer when the exchange is abandoned', async () => {
    const abandon = new AbortController();
    const reading = read(faultBody({ kind: 'slow-close', ms: 60_000 }, chunked(BYTES), { ...inMemory(), signal: abandon.signal }));
    setTimeout(() => abandon.abort(), 20);
    const { bytes, error } = await reading;
    expect(bytes).toEqual(Buffer.from(BYTES));
    expect((error as Error).name).toBe('AbortError');
  });
});
