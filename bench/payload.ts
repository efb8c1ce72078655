const MiB = 1024 * 1024;

/**
 * Deterministic bytes generated as they are streamed (never held whole): a seeded block with a
 * counter stamped into each MiB, so no two MiB repeat and the same seed gives the same bytes in
 * every process (a reference server can hold the very bytes the Edge serves).
 */
export async function* payload(bytes: number, seed = 1): AsyncGenerator<Buffer> {
  const block = Buffer.alloc(MiB);
  for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((Math.imul(i + 1, 2654435761) ^ seed) >>> 0, i);
  for (let sent = 0, i = 0; sent < bytes; i++) {
    const chunk = Buffer.from(block.subarray(0, Math.min(MiB, bytes - sent)));
    chunk.writeUInt32LE(i, 0);
    sent += chunk.length;
    yield chunk;
  }
}
