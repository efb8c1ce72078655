import { randomUUID } from 'node:crypto';
import type { JobLeases } from '../metadata.ts';
import type { PgDb } from './pg-db.ts';

/**
 * EDGE-OPS-8: a lease row per job, as SQLite's (sqlite-leases.ts), rather than an
 * advisory lock on a held connection: a lease outlives a broken connection of a live holder
 * (the job goes on; no second node starts it meanwhile) and lapses after `leaseMs` when its
 * holder died. The upsert takes the row only when it lapsed, atomically among nodes. Lease
 * times come from each node's clock, which need agree only to well within `leaseMs`.
 */
/**
 * Lease takings of this process, one after the other in call order: a job asked for first is
 * taken first, as under SQLite's synchronous writes, whichever handle and pooled connection each
 * goes through. (Between processes there is no "first", only the row.)
 */
let taking: Promise<unknown> = Promise.resolve();

function inCallOrder<T>(take: () => Promise<T>): Promise<T> {
  const taken = taking.then(take);
  taking = taken.catch(() => undefined);
  return taken;
}

export class PgLeases implements JobLeases {
  readonly #holder = randomUUID();
  #closed = false;

  constructor(
    private readonly db: PgDb,
    private readonly now: () => number,
  ) {}

  async runExclusive<T>(job: string, run: () => Promise<T>, leaseMs = 10 * 60_000): Promise<T | undefined> {
    const at = this.now();
    const taken = await inCallOrder(() =>
      this.db.write(
        (sql) =>
          sql.run(
            `INSERT INTO leases (job, holder, until) VALUES ($1, $2, $3)
           ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, until = excluded.until WHERE leases.until < $4`,
            [job, this.#holder, at + leaseMs, at],
          ),
        'READ COMMITTED',
      ),
    );
    if (taken === 0) return undefined;
    try {
      return await run();
    } finally {
      if (!this.#closed) {
        await this.db.write((sql) => sql.run('DELETE FROM leases WHERE job = $1 AND holder = $2', [job, this.#holder]), 'READ COMMITTED');
      }
    }
  }

  /** The pool is going away: a job still running keeps its lease until it lapses. */
  closing(): void {
    this.#closed = true;
  }
}
