import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { AzureServer } from '../../../../test/azure-server.ts';
import type { ContentReferences } from '../../content.ts';
import { FileStore } from '../../filestore.ts';
import { AzureBackend } from '../azure-backend.ts';
import { ObjectContentStore } from '../object-content.ts';

let containers = 0;

/** An Azure Blob content store on a new container of `server`; `clockAheadMs` as in s3-kit.ts. */
export async function azureKit(server: AzureServer, references: ContentReferences, clockAheadMs = 0) {
  const backend = new AzureBackend(server.connectionString, `container-${++containers}`);
  await backend.container.create();
  // Each backend call sends at least one request: counting the calls bounds the requests from below.
  const requests: string[] = [];
  const counted = new Proxy(backend, {
    get: (target, property, receiver) => {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        requests.push(String(property));
        return value.apply(target, args);
      };
    },
  });
  const dir = await mkdtemp(join(tmpdir(), 'edgeproof-azure-'));
  const spool = new FileStore(join(dir, 'spool'));
  await spool.init();
  return {
    dir,
    backend,
    requests,
    content: new ObjectContentStore(counted, references, spool, () => Date.now() + clockAheadMs),
    /** Every blob in the container: what "leaves nothing" is checked against. */
    blobNames: async () => {
      const names: string[] = [];
      for await (const blob of backend.container.listBlobsFlat()) names.push(blob.name);
      return names;
    },
    damage: (sha256: string, bytes: Buffer) => backend.put(ObjectContentStore.keyOf(sha256), Readable.from([bytes])),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
