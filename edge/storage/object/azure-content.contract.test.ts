import { afterAll, beforeAll } from 'vitest';
import { startAzureServer, type AzureServer } from '../../../test/azure-server.ts';
import { describeContentStoreContract } from '../__fixtures__/content.contract.ts';
import { azureKit } from './__fixtures__/azure-kit.ts';

let server: AzureServer;
beforeAll(async () => {
  server = await startAzureServer();
}, 30_000);
afterAll(() => server?.stop());

describeContentStoreContract('Azure Blob (Azurite)', (references) => azureKit(server, references));
