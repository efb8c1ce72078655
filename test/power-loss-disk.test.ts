import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PowerLossDisk, PowerSwitch } from './power-loss-disk.ts';

/** The test layer itself: it must forget exactly what POSIX lets a power cut forget. */
describe('PowerLossDisk', () => {
  let anchor: string;
  let root: string;
  let power: PowerSwitch;
  let disk: PowerLossDisk;

  beforeEach(async () => {
    anchor = await mkdtemp(join(tmpdir(), 'edgeproof-powerloss-'));
    root = join(anchor, 'filestore');
    await writeFile(join(anchor, 'metadata.db'), "not the layer's");
    power = new PowerSwitch();
    disk = await PowerLossDisk.over(root, power);
    await disk.mkdir(root);
    await disk.syncDir(anchor);
  });
  afterEach(() => rm(anchor, { recursive: true, force: true }));

  async function tree(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) {
          out[`${relative(anchor, full)}/`] = '';
          await walk(full);
        } else out[relative(anchor, full)] = await readFile(full, 'utf8');
      }
    };
    await walk(anchor);
    return out;
  }

  async function file(path: string, text: string, opts: { sync: boolean }): Promise<void> {
    const f = await disk.createFile(join(root, path));
    await f.write([Buffer.from(text)]);
    if (opts.sync) await f.sync();
    await f.close();
  }

  const lose = async () => {
    power.cut();
    await disk.restoreDurableState();
    return tree();
  };

  it('forgets a synced file whose directory entry was never synced', async () => {
    await file('a', 'bytes', { sync: true });
    expect(await lose()).toEqual({ 'filestore/': '', 'metadata.db': "not the layer's" });
  });

  it('keeps the entry but not the bytes when only the directory was synced', async () => {
    await file('a', 'bytes', { sync: false });
    await disk.syncDir(root);
    expect((await lose())['filestore/a']).toBe('');
  });

  it('reverts bytes written after the last sync', async () => {
    const f = await disk.createFile(join(root, 'a'));
    await f.write([Buffer.from('first')]);
    await f.sync();
    await disk.syncDir(root);
    await f.write([Buffer.from(' and more')]);
    await f.close();
    expect((await lose())['filestore/a']).toBe('first');
  });

  it('a rename is durable only once the target directory is synced; the source keeps the old name until its own sync', async () => {
    await disk.mkdir(join(root, 'tmp'));
    await disk.mkdir(join(root, 'blobs'));
    await disk.syncDir(root);
    await file('tmp/t', 'blob', { sync: true });
    await disk.syncDir(join(root, 'tmp'));
    await disk.rename(join(root, 'tmp/t'), join(root, 'blobs/b'));
    const unsynced = await tree();
    expect(unsynced['filestore/blobs/b']).toBe('blob');
    await disk.syncDir(join(root, 'blobs'));
    const after = await lose();
    expect(after['filestore/blobs/b']).toBe('blob');
    expect(after['filestore/tmp/t']).toBe('blob');
  });

  it('forgets a new directory, and all it holds, until its parent is synced', async () => {
    await disk.mkdir(join(root, 'ab'));
    await file('ab/x', 'x', { sync: true });
    await disk.syncDir(join(root, 'ab'));
    expect(await lose()).toEqual({ 'filestore/': '', 'metadata.db': "not the layer's" });
  });

  it('brings back an unlinked file until its directory is synced', async () => {
    await file('a', 'kept', { sync: true });
    await disk.syncDir(root);
    await disk.unlink(join(root, 'a'));
    expect((await lose())['filestore/a']).toBe('kept');
  });

  it('forgets the filestore itself when the data directory was not synced after creating it', async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'edgeproof-powerloss-'));
    try {
      const layer = await PowerLossDisk.over(join(fresh, 'filestore'), new PowerSwitch());
      await layer.mkdir(join(fresh, 'filestore'));
      await layer.syncDir(join(fresh, 'filestore'));
      await layer.restoreDurableState();
      expect(await readdir(fresh)).toEqual([]);
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });

  it('takes what was there before it as durable', async () => {
    await file('old', 'old bytes', { sync: true });
    await disk.syncDir(root);
    const again = await PowerLossDisk.over(root, new PowerSwitch());
    await again.restoreDurableState();
    expect((await tree())['filestore/old']).toBe('old bytes');
  });

  it('counts points only once armed and fails the cut operation and every later one', async () => {
    await file('before', 'x', { sync: true });
    expect(power.log).toEqual([]);
    power.arm(3);
    const f = await disk.createFile(join(root, 'a'));
    await f.write([Buffer.from('a')]);
    await expect(f.sync()).rejects.toThrow('power is off: fsync filestore/a');
    await expect(disk.syncDir(root)).rejects.toThrow('power is off');
    await f.close();
    expect(power.log).toEqual(['create filestore/a', 'write filestore/a']);
    expect(power.cutBy).toBe('fsync filestore/a');
  });

  it('fails one chosen operation with a disk error and keeps the power on', async () => {
    power.failOnce((op) => op === 'fsync dir filestore');
    await expect(disk.syncDir(root)).rejects.toThrow('disk error: fsync dir filestore');
    await disk.syncDir(root);
    expect(power.off).toBe(false);
  });
});
