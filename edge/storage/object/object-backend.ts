import type { Readable } from 'node:stream';
import type { ByteRange } from '../content.ts';

/** Keys one `removeAll` takes: S3's DeleteObjects accepts at most 1,000. */
export const REMOVE_BATCH = 1000;

/** An object as a listing shows it; keys are relative to the store's prefix. */
export interface ListedObject {
  key: string;
  size: number;
  modifiedMs: number;
}

/** The bytes of an object, or of a range of them, and the whole object's size as the server says. */
export interface ObjectBytes {
  total: number;
  body: AsyncIterable<Uint8Array>;
}

/**
 * The few calls an object store (S3, Azure Blob) answers that a content store needs. An object
 * appears whole or not at all under its key (the stores' own promise): `put` of a large body
 * goes in parts that are committed in one last call.
 */
export interface ObjectBackend {
  /** Where the objects are, for messages: never a secret. */
  readonly where: string;
  /** Refuses when the bucket or container cannot be reached. */
  check(): Promise<void>;
  /** Streams `body` to `key`, in parts of bounded size; on any error nothing is left under `key`. */
  put(key: string, body: Readable): Promise<void>;
  size(key: string): Promise<number | undefined>;
  /** Server-side copy of an object of `size` bytes: `to` appears whole, or nothing is left. */
  copy(from: string, to: string, size: number): Promise<void>;
  /** Gives up uploads in parts begun before `cutoffMs` and never finished, whose parts the store would keep. */
  abortStaleUploads(cutoffMs: number): Promise<void>;
  remove(key: string): Promise<void>;
  /** Removes every key given (at most REMOVE_BATCH), in as few requests as the store allows; no error for keys not there. */
  removeAll(keys: readonly string[]): Promise<void>;
  list(prefix: string): AsyncIterable<ListedObject>;
  /** Undefined when there is no such object. */
  get(key: string, range?: ByteRange): Promise<ObjectBytes | undefined>;
}
