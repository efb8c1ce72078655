import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PowerLossDisk, PowerSwitch } from '../../test/power-loss-disk.ts';
import { describeContentStoreContract } from './__fixtures__/content.contract.ts';
import type { ContentReferences } from './content.ts';
import type { Disk } from './disk.ts';
import { FileStore } from './filestore.ts';
import { LocalContentStore } from './local-content.ts';

async function localContent(references: ContentReferences, disk?: (root: string) => Promise<Disk>) {
  const dir = await mkdtemp(join(tmpdir(), 'edgeproof-content-'));
  const root = join(dir, 'filestore');
  const files = new FileStore(root, disk && (await disk(root)));
  await files.init();
  return {
    content: new LocalContentStore(files, references),
    damage: (sha256: string, bytes: Buffer) => writeFile(files.pathOf(sha256), bytes),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

describeContentStoreContract('local filestore', (references) => localContent(references));

// The power-loss layer models fsyncs while the power stays on; the filestore keeps every promise through it.
describeContentStoreContract('local filestore on the power-loss disk', (references) =>
  localContent(references, (root) => PowerLossDisk.over(root, new PowerSwitch())),
);
