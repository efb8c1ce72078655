import type { Readable } from 'node:stream';
import type { Checksums } from '../../protocol/checksums.ts';
import type { EdgeError } from '../../protocol/errors.ts';

export interface IngestLimits {
  /** Bytes beyond this stop the read and fail the ingest. */
  maxBytes: number;
  /** Builds the error thrown when maxBytes is passed (EDGE-IN-6 and EDP-FILE size bounds differ). */
  tooLarge: (maxBytes: number) => EdgeError;
  /**
   * EDGE-DUR-4: the SHA-256 the bytes should have, when known before they arrive (an EDP file's
   * signed checksum): a store may make their place durable while they stream, rather than after.
   * A hint only: what is published is what was hashed.
   */
  expectedSha256?: string;
}

/** Bytes on stable storage, checksummed, not yet visible to any read. */
export interface StagedContent {
  checksums: Checksums;
  size: number;
  /** Makes the bytes readable under their SHA-256 (or drops them if already there). Idempotent. */
  publish(): Promise<void>;
  discard(): Promise<void>;
}

/**
 * Bytes being staged, written in order and readable back while staging goes on: what lets
 * requests that join a smart-remote download late stream the bytes already received
 * (EDGE-SR-7) without holding them in memory. Checksums are known once `finish` returns.
 */
export interface StagingFile {
  /** Bytes written so far. */
  readonly written: number;
  /** Appends a chunk; past `maxBytes` it fails with the limit's error and keeps nothing more. */
  write(chunk: Uint8Array): Promise<void>;
  /** Up to `length` bytes from `position` among those already written. */
  readBack(position: number, length: number): Promise<Uint8Array>;
  /** Syncs the bytes: staged content, not yet visible to any read. */
  finish(): Promise<StagedContent>;
  /** Removes the bytes; nothing is left behind. */
  abort(): Promise<void>;
  /** Gives up reading back (once every reader is done). */
  closeReader(): Promise<void>;
}

/** Inclusive byte offsets, as HTTP ranges count them. */
export interface ByteRange {
  start: number;
  end: number;
}

/** Who holds references to content: the metadata store (files, and files staged by OPEN transactions). */
export interface ContentReferences {
  referencesTo(sha256: string): Promise<number>;
  referencedContent(): Promise<Set<string>>;
}

/**
 * Content-addressed bytes, kept in step with the metadata: content becomes visible only
 * together with the row that references it, and is reclaimed only when no row references it.
 * Routes, services and EDP use only this interface; the local filestore is one implementation
 * (local-content.ts), an object store would be another.
 */
export interface ContentStore {
  /**
   * EDGE-ART-2: streams `source` into staging, computing every checksum as it goes; nothing is
   * read twice. On any failure nothing is left behind.
   */
  stage(source: AsyncIterable<Uint8Array>, limits: IngestLimits): Promise<StagedContent>;
  /** EDGE-SR-7: staging fed chunk by chunk, whose bytes can be read back as they arrive. */
  openStaging(limits: IngestLimits): Promise<StagingFile>;
  /**
   * Publishes staged bytes and records their reference (`record`) as one step. EDGE-DUR-2: the
   * record comes after the bytes are durable; when it fails, unreferenced bytes are removed.
   */
  commit<T>(staged: StagedContent, record: () => Promise<T>): Promise<T>;
  /** Records a new reference to content already held; undefined (nothing recorded) when it is not held. */
  reference<T>(sha256: string, record: () => Promise<T>): Promise<T | undefined>;
  /** EDGE-ART-3: removes each content that has no reference left. */
  release(sha256s: Iterable<string>): Promise<void>;
  has(sha256: string): Promise<boolean>;
  /**
   * EDGE-DUR-3: the bytes of content recorded as `size` bytes long, or the `range` of them. The
   * stream fails, rather than ends, when the stored bytes are not exactly `size` long, so a reader
   * never takes a short body for a whole one.
   */
  read(sha256: string, size: number, range?: ByteRange): Readable;
  /**
   * Start-up reconciliation: removes content no reference names (a crash between publish and
   * record). EDGE-CLU-3: only content older than `olderThanMs` (default 10 minutes): other live
   * processes sharing the store may have published content whose row they are about to write.
   */
  sweep(olderThanMs?: number): Promise<number>;
}
