import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAll, type WritableFile } from './disk.ts';
import { WriteBehind } from './write-behind.ts';

const gathering = (gather: number, syncEvery = Number.MAX_SAFE_INTEGER) => ({ gather, syncEvery });

/** A file whose writes complete when the test says so. */
function heldFile() {
  const writes: { bytes: string; finish: (error?: Error) => void }[] = [];
  const syncs: { afterBytes: number; finish: (error?: Error) => void }[] = [];
  let written = 0;
  const file: WritableFile = {
    write: (chunks) =>
      new Promise<void>((resolve, reject) => {
        const bytes = Buffer.concat(chunks).toString();
        writes.push({
          bytes,
          finish: (error) => {
            if (error) return reject(error);
            written += bytes.length;
            resolve();
          },
        });
      }),
    sync: () =>
      new Promise<void>((resolve, reject) => {
        syncs.push({ afterBytes: written, finish: (error) => (error ? reject(error) : resolve()) });
      }),
    close: async () => undefined,
  };
  return { file, writes, syncs };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('WriteBehind (issue #13, decision 0030)', () => {
  it('gathers appends into one write, and keeps one write in flight while the caller goes on', async () => {
    const { file, writes } = heldFile();
    const writer = new WriteBehind(file, gathering(4));
    await writer.append(Buffer.from('ab'));
    expect(writes).toHaveLength(0);
    await writer.append(Buffer.from('cd'));
    expect(writes.map((w) => w.bytes)).toEqual(['abcd']);
    // The first write is still in flight: the next appends are taken, not blocked.
    await writer.append(Buffer.from('ef'));
    let second = false;
    const filling = writer.append(Buffer.from('gh')).then(() => (second = true));
    await settled();
    expect(second).toBe(false);
    expect(writes).toHaveLength(1);
    writes[0]?.finish();
    await filling;
    expect(writes.map((w) => w.bytes)).toEqual(['abcd', 'efgh']);
    expect(writer.onDisk).toBe(4);
  });

  it('serves the bytes not on disk yet from memory, from the write in flight and from those gathered', async () => {
    const { file, writes } = heldFile();
    const writer = new WriteBehind(file, gathering(4));
    for (const part of ['ab', 'cd', 'ef']) await writer.append(Buffer.from(part));
    expect(writer.onDisk).toBe(0);
    expect(Buffer.from(writer.held(1, 10)).toString()).toBe('b');
    expect(Buffer.from(writer.held(2, 10)).toString()).toBe('cd');
    expect(Buffer.from(writer.held(4, 1)).toString()).toBe('e');
    expect(writer.held(6, 10)).toHaveLength(0);
    writes[0]?.finish();
    await settled();
    expect(writer.onDisk).toBe(4);
    expect(Buffer.from(writer.held(4, 10)).toString()).toBe('ef');
  });

  it('EDGE-DUR-5: a failed write fails the next append and drain, and is never an unhandled rejection', async () => {
    const { file, writes } = heldFile();
    const writer = new WriteBehind(file, gathering(2));
    await writer.append(Buffer.from('ab'));
    writes[0]?.finish(new Error('EIO'));
    await settled();
    await expect(writer.append(Buffer.from('cd'))).rejects.toThrow('EIO');
    await expect(writer.drain()).rejects.toThrow('EIO');
    await expect(writer.settle()).resolves.toBeUndefined();
    expect(writes).toHaveLength(1);
  });

  it('drain writes what is gathered and waits for it; settle waits out the write in flight', async () => {
    const { file, writes } = heldFile();
    const writer = new WriteBehind(file, gathering(100));
    await writer.append(Buffer.from('xyz'));
    let drained = false;
    const draining = writer.drain().then(() => (drained = true));
    await settled();
    expect(writes.map((w) => w.bytes)).toEqual(['xyz']);
    expect(drained).toBe(false);
    let done = false;
    const settling = writer.settle().then(() => (done = true));
    await settled();
    expect(done).toBe(false);
    writes[0]?.finish();
    await Promise.all([draining, settling]);
    expect(writer.onDisk).toBe(3);
  });
});

describe('WriteBehind: fsyncs behind the writes', () => {
  it('starts an fsync each syncEvery bytes written, one at a time, and drain waits for it', async () => {
    const { file, writes, syncs } = heldFile();
    const writer = new WriteBehind(file, gathering(2, 4));
    await writer.append(Buffer.from('ab'));
    const second = writer.append(Buffer.from('cd'));
    writes[0]?.finish();
    await second;
    await settled();
    expect(syncs).toHaveLength(0);
    writes[1]?.finish();
    await settled();
    expect(syncs.map((s) => s.afterBytes)).toEqual([4]);
    // Another 4 bytes while that fsync runs start no second one.
    await writer.append(Buffer.from('ef'));
    const fourth = writer.append(Buffer.from('gh'));
    writes[2]?.finish();
    await fourth;
    writes[3]?.finish();
    await settled();
    expect(writer.onDisk).toBe(8);
    expect(syncs).toHaveLength(1);
    let drained = false;
    const draining = writer.drain().then(() => (drained = true));
    await settled();
    expect(drained).toBe(false);
    syncs[0]?.finish();
    await draining;
  });

  it('EDGE-DUR-5: a failed fsync behind the writes fails the next append and drain (the kernel may not report it twice)', async () => {
    const { file, writes, syncs } = heldFile();
    const writer = new WriteBehind(file, gathering(2, 2));
    await writer.append(Buffer.from('ab'));
    writes[0]?.finish();
    await settled();
    syncs[0]?.finish(new Error('EIO on fsync'));
    await settled();
    await expect(writer.append(Buffer.from('cd'))).rejects.toThrow('EIO on fsync');
    await expect(writer.drain()).rejects.toThrow('EIO on fsync');
    await expect(writer.settle()).resolves.toBeUndefined();
  });
});

describe('appendAll', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edgeproof-append-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes every chunk in order', async () => {
    const handle = await open(join(dir, 'f'), 'wx');
    await appendAll(handle, [Buffer.from('one '), Buffer.alloc(0), Buffer.from('two')]);
    await appendAll(handle, [Buffer.from(' three')]);
    await handle.close();
    expect(await readFile(join(dir, 'f'), 'utf8')).toBe('one two three');
  });

  it('goes on after a short write, and fails when no byte can be written', async () => {
    const written: string[] = [];
    const short = (limit: number) =>
      ({
        writev: async (chunks: Uint8Array[]) => {
          const bytes = Buffer.concat(chunks).subarray(0, limit);
          written.push(bytes.toString());
          return { bytesWritten: bytes.length, buffers: chunks };
        },
      }) as unknown as Parameters<typeof appendAll>[0];
    await appendAll(short(3), [Buffer.from('ab'), Buffer.from('cdefg')]);
    expect(written).toEqual(['abc', 'def', 'g']);
    await expect(appendAll(short(0), [Buffer.from('x')])).rejects.toMatchObject({ code: 'ENOSPC' });
  });
});
