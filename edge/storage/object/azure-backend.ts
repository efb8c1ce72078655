import { Readable } from 'node:stream';
import { BlobServiceClient, type ContainerClient, RestError } from '@azure/storage-blob';
import { inFlight } from '../../in-flight.ts';
import type { ByteRange } from '../content.ts';
import type { ListedObject, ObjectBackend, ObjectBytes } from './object-backend.ts';

/** EDGE-BIN-6: blocks of 4 MiB, two in flight: an upload holds about 8 MiB whatever its size. */
export const AZURE_BLOCK_BYTES = 4 * 1024 * 1024;
const BLOCKS_IN_FLIGHT = 2;
const REMOVALS_IN_FLIGHT = 16;

/**
 * EDGE-BIN-6: Azure Blob block blobs. `put` stages blocks and commits the block list last, so
 * a blob appears whole or not at all; uncommitted blocks of a failed upload are never listed
 * and the service discards them.
 */
export class AzureBackend implements ObjectBackend {
  readonly where: string;
  readonly container: ContainerClient;

  constructor(connectionString: string, containerName: string) {
    // Named by account and container only: the connection string holds the account key.
    const account = /(?:^|;)AccountName=([^;]+)/i.exec(connectionString)?.[1] ?? 'unknown account';
    this.where = `azure://${account}/${containerName}`;
    const service = BlobServiceClient.fromConnectionString(connectionString, { retryOptions: { maxTries: 3, maxRetryDelayInMs: 2_000 } });
    this.container = service.getContainerClient(containerName);
  }

  async check(): Promise<void> {
    await this.container.getProperties();
  }

  async put(key: string, body: Readable): Promise<void> {
    try {
      await this.container.getBlockBlobClient(key).uploadStream(body, AZURE_BLOCK_BYTES, BLOCKS_IN_FLIGHT);
    } finally {
      body.destroy();
    }
  }

  /** A blob still being copied into is not there yet. */
  async size(key: string): Promise<number | undefined> {
    try {
      const properties = await this.container.getBlobClient(key).getProperties();
      return properties.copyStatus === 'pending' ? undefined : properties.contentLength;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Copy Blob (asynchronous, within the account) has no 5 GiB limit to work around, unlike S3's CopyObject. */
  async copy(from: string, to: string): Promise<void> {
    const poller = await this.container.getBlobClient(to).beginCopyFromURL(this.container.getBlobClient(from).url, { intervalInMs: 100 });
    const done = await poller.pollUntilDone();
    if (done.copyStatus !== 'success') throw new Error(`copy of ${from} to ${to} ended ${done.copyStatus}`);
  }

  /** Blocks never committed by a block list are discarded by Azure itself after a week. */
  async abortStaleUploads(): Promise<void> {}

  async remove(key: string): Promise<void> {
    await this.container.getBlobClient(key).deleteIfExists();
  }

  /** One request per blob, a few at a time (a blob batch would need the account's batch endpoint, which emulators differ on). */
  async removeAll(keys: readonly string[]): Promise<void> {
    await inFlight(keys, REMOVALS_IN_FLIGHT, (key) => this.remove(key));
  }

  async *list(prefix: string): AsyncGenerator<ListedObject> {
    for await (const blob of this.container.listBlobsFlat({ prefix })) {
      yield { key: blob.name, size: blob.properties.contentLength ?? 0, modifiedMs: blob.properties.lastModified.getTime() };
    }
  }

  async get(key: string, range?: ByteRange): Promise<ObjectBytes | undefined> {
    try {
      const answer = range
        ? await this.container.getBlobClient(key).download(range.start, range.end - range.start + 1)
        : await this.container.getBlobClient(key).download();
      const total = Number(/\/(\d+)$/.exec(answer.contentRange ?? '')?.[1] ?? answer.contentLength ?? Number.NaN);
      return { total, body: (answer.readableStreamBody as Readable | undefined) ?? Readable.from([]) };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      // A range past the stored bytes: the blob is shorter than recorded; its size tells by how much.
      if (error instanceof RestError && error.statusCode === 416) {
        const total = await this.size(key);
        return total === undefined ? undefined : { total, body: Readable.from([]) };
      }
      throw error;
    }
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof RestError && error.statusCode === 404;
}
