import type { KeyObject } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import type { Log } from '../log.ts';
import { sameStamp, scanTrustedFolder, stampOf, type FileStamp, type FolderScan, type TrustedEntry } from './trusted-folder.ts';

/**
 * The certificates of the trusted folder, indexed by kid (EDGE-TRUST-3, EDGE-TRUST-11). A
 * change takes effect on the very next request, without a restart, whether or not the folder
 * watcher has fired yet: using a kid first stats its certificate file, so a removed or
 * replaced file stops trusting at once; an unknown kid stats the folder and every file seen
 * last time, so a copied-in or rewritten file is read before the answer. Unknown kids cost
 * nothing to send; they cost the Edge only these stats, and a re-read only when something
 * really changed.
 */
export class TrustedCertificates {
  #byKid = new Map<string, TrustedEntry>();
  #last: FolderScan = { trusted: [], refused: [] };
  #folderStamp: FileStamp | undefined;
  #dirty = false;
  /** A scan that has not started yet; callers arriving meanwhile share it. */
  #queued: Promise<void> | undefined;
  #chain: Promise<void> = Promise.resolve();
  #watcher: FSWatcher | undefined;

  constructor(
    readonly dir: string,
    private readonly log: Log,
    private readonly now: () => number,
  ) {}

  async start(): Promise<void> {
    await this.rescan();
    try {
      this.#watcher = watch(this.dir, () => {
        this.#dirty = true;
        void this.rescan();
      });
      this.#watcher.on('error', (error) => this.#stopWatching(error));
    } catch (error) {
      this.#stopWatching(error);
    }
  }

  close(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
  }

  /** The folder as it is now, trusted and refused files alike. */
  async current(): Promise<FolderScan> {
    await this.rescan();
    return this.#last;
  }

  async keyFor(kid: string): Promise<KeyObject | undefined> {
    if (this.#dirty) await this.rescan();
    const entry = this.#byKid.get(kid);
    if (entry) {
      if (sameStamp(entry.stamp, await currentStamp(entry.file)) && this.#valid(entry)) return entry.publicKey;
      await this.rescan();
      return this.#byKid.get(kid)?.publicKey;
    }
    if (!(await this.#changedSinceScan())) return undefined;
    await this.rescan();
    return this.#byKid.get(kid)?.publicKey;
  }

  async #changedSinceScan(): Promise<boolean> {
    if (!sameStamp(this.#folderStamp, await currentStamp(this.dir))) return true;
    const seen = [...this.#last.trusted, ...this.#last.refused];
    const now = await Promise.all(seen.map((entry) => currentStamp(entry.file)));
    return seen.some((entry, i) => !sameStamp(entry.stamp, now[i]));
  }

  /** Re-reads the folder; scans run one at a time, and one that has not started yet is shared. */
  rescan(): Promise<void> {
    if (this.#queued) return this.#queued;
    const scan = this.#chain.then(() => {
      // From here on, a change may be missed by this scan, so later callers queue a new one.
      this.#queued = undefined;
      return this.#scan();
    });
    this.#queued = scan;
    this.#chain = scan.catch(() => undefined);
    return scan;
  }

  async #scan(): Promise<void> {
    this.#dirty = false;
    let scan: FolderScan = { trusted: [], refused: [] };
    let folderStamp: FileStamp | undefined;
    try {
      // Stamped before reading: a change during the read then shows up as a change next time.
      folderStamp = await stampOf(this.dir);
      scan = await scanTrustedFolder(this.dir, this.now());
    } catch (error) {
      // Failing closed: an unreadable folder trusts no other service until it can be read.
      this.log.error({ err: error, dir: this.dir }, 'cannot read the trusted certificates folder; trusting no other service');
    }
    this.#report(scan);
    this.#last = scan;
    this.#byKid = new Map(scan.trusted.map((entry) => [entry.kid, entry]));
    this.#folderStamp = folderStamp;
  }

  /** EDGE-TRUST-4: says once, not on every scan, which files were refused and why. */
  #report(scan: FolderScan): void {
    const before = new Set(this.#last.refused.map((r) => `${r.file}\0${r.reason}`));
    for (const { file, reason } of scan.refused) {
      if (!before.has(`${file}\0${reason}`)) this.log.warn({ file, reason }, 'trusted certificate refused: it trusts nothing');
    }
    const trustedBefore = new Set(this.#last.trusted.map((t) => `${t.file}\0${t.kid}`));
    const trustedNow = new Set(scan.trusted.map((t) => `${t.file}\0${t.kid}`));
    for (const { file, kid, subject } of scan.trusted) {
      if (!trustedBefore.has(`${file}\0${kid}`)) this.log.info({ file, kid, subject }, 'trusting certificate');
    }
    for (const { file, kid } of this.#last.trusted) {
      if (!trustedNow.has(`${file}\0${kid}`)) this.log.info({ file, kid }, 'no longer trusting certificate');
    }
  }

  #valid(entry: TrustedEntry): boolean {
    const now = this.now();
    return entry.notBefore.getTime() <= now && now <= entry.notAfter.getTime();
  }

  #stopWatching(error: unknown): void {
    this.log.warn({ err: error, dir: this.dir }, 'cannot watch the trusted certificates folder; changes are noticed when tokens arrive');
    this.close();
  }
}

/**
 * A file that cannot even be stat-ed counts as changed: the re-scan that follows logs why and
 * trusts nothing from it, rather than a token request failing with a server error.
 */
async function currentStamp(file: string): Promise<FileStamp | undefined> {
  return stampOf(file).catch(() => undefined);
}
