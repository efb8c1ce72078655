import { afterAll, beforeAll } from 'vitest';
import { startAzureServer, type AzureServer } from '../../../test/azure-server.ts';
import { describeContentStoreContract } from '../__fixtures__/content.contract.ts';
import { azureKit } from './__fixtures__/azure-kit.ts';

let server: AzureServer;
beforeAll(async () => {
  server = await startAzureServer();
}, 30_000);
afterAll(() => server?.stop());

// The contract's clock runs an hour ahead, so content it just stored is past the sweep grace (EDGE-CLU-3).
describeContentStoreContract('Azure Blob (Azurite)', (references) => azureKit(server, references, 3600_000));
