import { Readable } from 'node:stream';
import type { EdgeError } from '../../../protocol/errors.ts';
import type { StagedContent, StagingFile } from '../../storage/content.ts';
import { declaredBy, looksLikeFolder, verificationFailure, vouchesStrongly, type Declared } from './declared.ts';
import { UpstreamFailure, type UpstreamClient, type UpstreamHead } from './upstream.ts';

/** Bytes a reader takes from the staging file at a time: its memory, whatever the file's size. */
const READ_CHUNK = 64 * 1024;

/** How a finished download is kept: the caller stores the verified bytes (or not) and says so. */
export interface FlightSink {
  /** Staging for the body; its limit refuses content larger than the Edge accepts (EDGE-SR-18). */
  openStaging(): Promise<StagingFile>;
  /** Called with verified bytes only; true when they were cached (committed), false when discarded. */
  keep(staged: StagedContent, declared: Declared): Promise<boolean>;
  maxBytes: number;
}

/** Why a flight found nothing to download: the upstream has no such file (EDGE-SR-8) or it is a folder. */
export class FlightMiss extends Error {
  constructor(readonly folder: boolean) {
    super(folder ? 'a folder' : 'absent upstream');
  }
}

interface Tick {
  promise: Promise<void>;
  resolve: () => void;
}

function tick(): Tick {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * One upstream GET of one file, shared by every request for it (EDGE-SR-7). The body goes into
 * a staging file as it arrives; each request reads its own way through that file, as fast as
 * its client takes it: memory stays a chunk per reader however many there are and however
 * large the file, a slow client holds back no one, and a request that joins late starts from
 * the first byte. Readers get every byte but the last until the staged bytes are verified
 * against what the upstream declared (EDGE-SR-5): a mismatch fails every reader, so no client
 * ever completes a 200 with bytes the Edge would not cache.
 */
export class Flight {
  /** Resolves with the GET's head once it is accepted: readers may start. */
  readonly started: Promise<{ head: UpstreamHead; declared: Declared }>;
  /** Resolves when the bytes are verified (and kept or not), rejects when the download fails. */
  readonly done: Promise<{ cached: boolean }>;
  #staging: StagingFile | undefined;
  #written = 0;
  #verified = false;
  #failure: Error | undefined;
  #tick = tick();
  #readers = 0;
  #settled = false;
  #released = false;

  constructor(
    client: UpstreamClient,
    path: string,
    sink: FlightSink,
    /** What a HEAD before the GET declared; the bytes must match it too. */
    earlier: Declared | undefined,
  ) {
    let started!: (value: { head: UpstreamHead; declared: Declared }) => void;
    let failedToStart!: (error: unknown) => void;
    this.started = new Promise((resolve, reject) => {
      started = resolve;
      failedToStart = reject;
    });
    this.done = this.#run(client, path, sink, earlier, started).then(
      (cached) => {
        this.#verified = true;
        return { cached };
      },
      (error: Error) => {
        this.#failure = error;
        failedToStart(error);
        throw error;
      },
    );
    this.done
      .catch(() => undefined)
      .finally(() => {
        this.#settled = true;
        this.#wake();
        void this.#releaseIfIdle();
      });
    this.started.catch(() => undefined);
  }

  async #run(
    client: UpstreamClient,
    path: string,
    sink: FlightSink,
    earlier: Declared | undefined,
    started: (value: { head: UpstreamHead; declared: Declared }) => void,
  ): Promise<boolean> {
    const answer = await client.send('GET', client.fileUrl(path));
    if (answer.status !== 200 || looksLikeFolder(answer)) {
      await answer.body.dump();
      if (answer.status === 404) throw new FlightMiss(false);
      if (answer.status === 200) throw new FlightMiss(true);
      throw new UpstreamFailure('answer', `GET answered ${answer.status}`);
    }
    const declared = declaredBy(answer);
    // EDGE-SR-18: what cannot be kept is not fetched.
    if (declared.size !== undefined && declared.size > sink.maxBytes) {
      await answer.body.dump();
      throw new UpstreamFailure('answer', `the file is ${declared.size} bytes, more than the ${sink.maxBytes} this Edge accepts`);
    }
    const staging = await sink.openStaging();
    this.#staging = staging;
    started({ head: answer, declared });
    let staged: StagedContent;
    try {
      for await (const chunk of answer.body) {
        await staging.write(chunk);
        this.#written += chunk.length;
        this.#wake();
      }
      staged = await staging.finish();
    } catch (error) {
      // EDGE-SR-6: a broken or stalled body leaves nothing staged.
      await staging.abort();
      throw error;
    }
    const failure = verificationFailure(earlier ? [declared, earlier] : [declared], staged.checksums, staged.size);
    if (failure) {
      await staged.discard();
      throw new UpstreamFailure('answer', `verification failed: ${failure}`);
    }
    if (!vouchesStrongly(declared)) {
      await staged.discard();
      return false;
    }
    return sink.keep(staged, declared);
  }

  /**
   * A new reader from the first byte (EDGE-SR-7); it fails when the download does. Undefined
   * once the flight is over and its last reader gone: the bytes are then read from the cache.
   */
  reader(): Readable | undefined {
    if (this.#released) return undefined;
    this.#readers++;
    const stream = Readable.from(this.#read(), { objectMode: false, highWaterMark: READ_CHUNK });
    stream.once('close', () => {
      this.#readers--;
      void this.#releaseIfIdle();
    });
    return stream;
  }

  async *#read(): AsyncGenerator<Uint8Array> {
    let position = 0;
    for (;;) {
      if (this.#failure) throw this.#failure;
      // EDGE-SR-5: the last byte waits for the verdict.
      const readable = this.#verified ? this.#written : this.#written - 1;
      if (position < readable && this.#staging) {
        const chunk = await this.#staging.readBack(position, Math.min(READ_CHUNK, readable - position));
        position += chunk.length;
        yield chunk;
        continue;
      }
      if (this.#verified) return;
      await this.#tick.promise;
    }
  }

  #wake(): void {
    const current = this.#tick;
    this.#tick = tick();
    current.resolve();
  }

  async #releaseIfIdle(): Promise<void> {
    if (!this.#settled || this.#readers > 0 || this.#released) return;
    this.#released = true;
    await this.#staging?.closeReader();
  }

  /** The error a failed flight ended with, for readers that come after it. */
  get failure(): Error | EdgeError | undefined {
    return this.#failure;
  }
}
