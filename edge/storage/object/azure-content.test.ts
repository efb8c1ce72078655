import { afterAll, beforeAll } from 'vitest';
import { startAzureServer, type AzureServer } from '../../../test/azure-server.ts';
import { describeObjectStore } from './__fixtures__/object-store.suite.ts';
import { azureKit } from './__fixtures__/azure-kit.ts';
import { AZURE_BLOCK_BYTES } from './azure-backend.ts';

let server: AzureServer;
beforeAll(async () => {
  server = await startAzureServer();
}, 30_000);
afterAll(() => server?.stop());

describeObjectStore('Azure Blob (Azurite)', AZURE_BLOCK_BYTES, async (references) => {
  const kit = await azureKit(server, references);
  return {
    ...kit,
    names: kit.blobNames,
    /** The committed blocks of the staging blob: the upload's size bound made visible. */
    partsUploaded: async () => {
      const [staging] = (await kit.blobNames()).filter((name) => name.startsWith('_staging/'));
      if (!staging) return 0;
      const list = await kit.backend.container.getBlockBlobClient(staging).getBlockList('committed');
      return (list.committedBlocks ?? []).filter((block) => block.size <= AZURE_BLOCK_BYTES).length;
    },
    requests: () => kit.requests,
  };
});
