import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  type ListMultipartUploadsCommandOutput,
  paginateListObjectsV2,
  S3Client,
  S3ServiceException,
  UploadPartCopyCommand,
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
/** S3 takes at most 10,000 parts in a multipart upload. */
const MAX_PARTS = 10_000;
const MiB = 1024 * 1024;

/**
 * EDGE-BIN-7: the part size that lets the largest body the Edge accepts fit in S3's 10,000 parts.
 * 8 MiB parts stop at 80 GiB; an operator who raises the limits past that gets larger parts
 * (whole MiB), and memory grows with them (two parts in flight), rather than a failure at part 10,001.
 */
export function s3PartBytesFor(largestBodyBytes: number): number {
  return Math.max(S3_PART_BYTES, Math.ceil(largestBodyBytes / MAX_PARTS / MiB) * MiB);
}
const PARTS_IN_FLIGHT = 2;
const GiB = 1024 * MiB;

/** Sizes an S3 deployment may need other than the defaults; tests lower them to exercise the large-object paths with small objects. */
export interface S3Tuning {
  /** Bytes in a part of a streamed upload (default S3_PART_BYTES; S3 wants at least 5 MiB). */
  partBytes?: number;
  /** Objects larger than this are copied in parts: a single CopyObject takes at most 5 GiB (the default). */
  copyThresholdBytes?: number;
  /** Bytes of the source each part of such a copy covers (default 512 MiB: 10,000 parts reach S3's 5 TiB limit). */
  copyPartBytes?: number;
}

export class S3Backend implements ObjectBackend {
  readonly where: string;
  readonly client: S3Client;

  readonly #partBytes: number;
  readonly #copyThreshold: number;
  readonly #copyPartBytes: number;

  constructor(
    private readonly settings: S3Settings,
    tuning: S3Tuning = {},
  ) {
    this.#partBytes = tuning.partBytes ?? S3_PART_BYTES;
    this.#copyThreshold = tuning.copyThresholdBytes ?? 5 * GiB;
    this.#copyPartBytes = tuning.copyPartBytes ?? GiB / 2;
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
      // EDGE-BIN-7: any body larger than one part goes multipart, so PutObject's 5 GiB limit never applies.
      partSize: this.#partBytes,
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

  async copy(from: string, to: string, size: number): Promise<void> {
    const source = `${this.settings.bucket}/${this.#key(from)}`.split('/').map(encodeURIComponent).join('/');
    if (size <= this.#copyThreshold) {
      await this.client.send(new CopyObjectCommand({ Bucket: this.settings.bucket, Key: this.#key(to), CopySource: source }));
    } else {
      await this.#copyInParts(source, this.#key(to), size);
    }
  }

  /**
   * EDGE-BIN-7: a copy past CopyObject's 5 GiB limit, as a multipart upload whose parts are
   * ranges of the source copied server-side (UploadPartCopy). The object appears whole at the
   * final CompleteMultipartUpload or not at all: on any failure the upload is aborted, once every
   * part in flight has settled, so none of its parts is kept (nor billed).
   */
  async #copyInParts(source: string, key: string, size: number): Promise<void> {
    const target = { Bucket: this.settings.bucket, Key: key };
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand(target));
    const ranges = Array.from({ length: Math.ceil(size / this.#copyPartBytes) }, (_, i) => ({
      PartNumber: i + 1,
      range: `bytes=${i * this.#copyPartBytes}-${Math.min(size, (i + 1) * this.#copyPartBytes) - 1}`,
    }));
    const parts: { PartNumber: number; ETag: string | undefined }[] = [];
    let failed = false;
    let next = 0;
    const copier = async () => {
      while (!failed && next < ranges.length) {
        const { PartNumber, range } = ranges[next++] as (typeof ranges)[number];
        try {
          const copied = await this.client.send(new UploadPartCopyCommand({ ...target, UploadId, PartNumber, CopySource: source, CopySourceRange: range }));
          parts.push({ PartNumber, ETag: copied.CopyPartResult?.ETag });
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    try {
      const settled = await Promise.allSettled(Array.from({ length: PARTS_IN_FLIGHT }, copier));
      const refusal = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (refusal) throw refusal.reason;
      parts.sort((a, b) => a.PartNumber - b.PartNumber);
      await this.client.send(new CompleteMultipartUploadCommand({ ...target, UploadId, MultipartUpload: { Parts: parts } }));
    } catch (error) {
      await this.client.send(new AbortMultipartUploadCommand({ ...target, UploadId })).catch(() => undefined);
      throw error;
    }
  }

  /**
   * EDGE-BIN-7: multipart uploads begun before `cutoffMs` and never completed nor aborted (a
   * process killed mid-upload or mid-copy, an abort that failed) are aborted, so their parts do
   * not stay in the bucket, invisible and billed. A server that cannot list uploads (s3rver)
   * has none to abort that this could find.
   */
  async abortStaleUploads(cutoffMs: number): Promise<void> {
    try {
      let page: { KeyMarker?: string | undefined; UploadIdMarker?: string | undefined } | undefined = {};
      while (page) {
        const listed: ListMultipartUploadsCommandOutput = await this.client.send(
          new ListMultipartUploadsCommand({ Bucket: this.settings.bucket, Prefix: this.settings.prefix, ...page }),
        );
        for (const upload of listed.Uploads ?? []) {
          if (!upload.Key || !upload.UploadId || (upload.Initiated?.getTime() ?? 0) > cutoffMs) continue;
          await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.settings.bucket, Key: upload.Key, UploadId: upload.UploadId }));
        }
        page = listed.IsTruncated ? { KeyMarker: listed.NextKeyMarker, UploadIdMarker: listed.NextUploadIdMarker } : undefined;
      }
    } catch (error) {
      if (!(error instanceof S3ServiceException && error.name === 'NotImplemented')) throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.#key(key) }));
  }

  /** EDGE-BIN-8: one DeleteObjects for the lot; a key the store could not delete fails the call. */
  async removeAll(keys: readonly string[]): Promise<void> {
    if (!keys.length) return;
    const command = new DeleteObjectsCommand({ Bucket: this.settings.bucket, Delete: { Objects: keys.map((key) => ({ Key: this.#key(key) })), Quiet: true } });
    // S3 requires an integrity header on DeleteObjects; the SDK sends a CRC32, which AWS takes but
    // S3-compatible servers (MinIO, Ceph) refuse for want of Content-MD5 (aws-sdk-js-v3#6920):
    // the MD5 of the body goes along, signed with the rest.
    type Step = (args: { request: unknown }) => Promise<unknown>;
    const contentMd5 =
      (next: Step): Step =>
      async (args) => {
        const request = args.request as { headers?: Record<string, string>; body?: unknown };
        if (request.headers && typeof request.body === 'string') request.headers['content-md5'] = createHash('md5').update(request.body).digest('base64');
        return next(args);
      };
    // The stack's generic handler types are the SDK's internals (@smithy/types, not a dependency here).
    command.middlewareStack.addRelativeTo(contentMd5 as never, { relation: 'before', toMiddleware: 'httpSigningMiddleware', name: 'deleteObjectsContentMd5' });
    const answer = await this.client.send(command);
    const [first] = answer.Errors ?? [];
    if (first) throw new Error(`${answer.Errors?.length} of ${keys.length} objects not deleted at ${this.where}, ${first.Key}: ${first.Code} ${first.Message}`);
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
