import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ByteRange } from '../content.ts';
import type { ListedObject, ObjectBackend, ObjectBytes } from './object-backend.ts';

export interface S3Settings {
  endpoint?: string | undefined;
  region: string;
  bucket: string;
  /** Prepended to every key: `edge/` keeps the Edge's objects apart from others in the bucket. */
  prefix: string;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  forcePathStyle: boolean;
}

/**
 * EDGE-BIN-1: bounded memory whatever the body's size: multipart parts of 8 MiB, two in flight,
 * so an upload holds about 16 MiB (S3's minimum part is 5 MiB).
 */
export const S3_PART_BYTES = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

export class S3Backend implements ObjectBackend {
  readonly where: string;
  readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    // Versions are pinned (package-lock.json); the SDK's notice about its future releases needing Node 22 is not the operator's to act on.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.where = `s3://${settings.bucket}/${settings.prefix}${settings.endpoint ? ` at ${settings.endpoint}` : ''}`;
    const credentials =
      settings.accessKeyId && settings.secretAccessKey ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } : undefined;
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      ...(credentials ? { credentials } : {}),
      // The Edge computes its own checksums while streaming; S3-compatible servers differ on the SDK's optional CRCs.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
      // A blackholed endpoint refuses the start in seconds, not at the OS's connect timeout.
      requestHandler: { connectionTimeout: 10_000 },
    });
  }

  #key(key: string): string {
    return this.settings.prefix + key;
  }

  async check(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.settings.bucket }));
  }

  async put(key: string, body: Readable): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.settings.bucket, Key: this.#key(key), Body: body },
      partSize: S3_PART_BYTES,
      queueSize: PARTS_IN_FLIGHT,
      // A failed multipart upload is aborted, so no part is kept (nor billed).
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } finally {
      body.destroy();
    }
  }

  async size(key: string): Promise<number | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.#key(key) }));
      return head.ContentLength;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async copy(from: string, to: string): Promise<void> {
    const source = `${this.settings.bucket}/${this.#key(from)}`.split('/').map(encodeURIComponent).join('/');
    await this.client.send(new CopyObjectCommand({ Bucket: this.settings.bucket, Key: this.#key(to), CopySource: source }));
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.#key(key) }));
  }

  async *list(prefix: string): AsyncGenerator<ListedObject> {
    const pages = paginateListObjectsV2({ client: this.client }, { Bucket: this.settings.bucket, Prefix: this.#key(prefix) });
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        yield { key: object.Key.slice(this.settings.prefix.length), size: object.Size ?? 0, modifiedMs: object.LastModified?.getTime() ?? 0 };
      }
    }
  }

  async get(key: string, range?: ByteRange): Promise<ObjectBytes | undefined> {
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.#key(key), ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
      );
      const total = range ? Number(/\/(\d+)$/.exec(answer.ContentRange ?? '')?.[1] ?? Number.NaN) : (answer.ContentLength ?? Number.NaN);
      return { total, body: answer.Body as Readable };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      // A range past the stored bytes: the object is shorter than recorded; its size tells by how much.
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 416) {
        const total = await this.size(key);
        return total === undefined ? undefined : { total, body: Readable.from([]) };
      }
      throw error;
    }
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 404 || error.name === 'NoSuchKey' || error.name === 'NotFound');
}
