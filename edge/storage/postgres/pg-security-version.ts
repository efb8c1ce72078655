import pg from 'pg';
import type { PgDb, Sql } from './pg-db.ts';

export type SecurityFamily = 'users' | 'tokens';

const CHANNEL = 'edgeproof_security';
const RECONNECT_MS = [100, 500, 1_000, 2_000, 5_000];

/**
 * EDGE-AUTH-11: `UserStore.version()` and `TokenStore.version()` of a store shared by several
 * processes. Each write to users, permission targets or tokens bumps its family's row in the
 * write's own transaction and NOTIFYs; every store instance LISTENs on a connection of its own
 * and moves its local number on each notification, so another node's revocation reaches this
 * node's caches within the notification's delivery (milliseconds on a healthy connection).
 * While that connection is down nothing can be learnt, so the number moves on every read (no
 * cache is trusted), and once more on each reconnect: the cautious side.
 *
 * A notification is the fast path, not the guarantee: between another node's commit and its
 * delivery here, a cached credential would still pass. So a cache hit is confirmed first
 * (`confirm`): the version rows are read, and a family whose row moved since the last look
 * moves its local number too.
 */
export class SecurityVersions {
  readonly #local: Record<SecurityFamily, number> = { users: 0, tokens: 0 };
  /** The rows as last read by `confirm`: undefined before the first read. */
  readonly #shared: Partial<Record<SecurityFamily, number>> = {};
  #listener: pg.Client | undefined;
  #listening = false;
  #closed = false;
  #failures = 0;
  #retry: NodeJS.Timeout | undefined;

  constructor(private readonly connectionString: string) {}

  /** Starts listening; resolves once the first LISTEN is in place. */
  async start(): Promise<void> {
    await this.#connect();
  }

  version(family: SecurityFamily): number {
    if (!this.#listening) this.#local[family]++;
    return this.#local[family];
  }

  /** EDGE-AUTH-11: every write committed before this call moves `version` (one read of two rows). */
  async confirm(db: PgDb): Promise<void> {
    const rows = await db.read((sql) => sql.query<{ family: string; version: number }>('SELECT family, version FROM security_versions'));
    for (const { family, version } of rows) {
      if (family !== 'users' && family !== 'tokens') continue;
      if (this.#shared[family] === version) continue;
      this.#shared[family] = version;
      this.#local[family]++;
    }
  }

  /** Runs this process's write and moves the number at once (even when it fails), without waiting for its own notification. */
  async around<T>(family: SecurityFamily, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } finally {
      this.#local[family]++;
    }
  }

  /** Inside the write's transaction: the row other nodes read on reconnect, and the notification they LISTEN for. */
  static async bump(sql: Sql, family: SecurityFamily): Promise<void> {
    await sql.run('UPDATE security_versions SET version = version + 1 WHERE family = $1', [family]);
    await sql.query('SELECT pg_notify($1, $2)', [CHANNEL, family]);
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString, connectionTimeoutMillis: 10_000 });
    client.on('notification', (message) => {
      if (message.payload === 'users' || message.payload === 'tokens') this.#local[message.payload]++;
    });
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.#listener = client;
    this.#listening = true;
    this.#failures = 0;
    // Writes made while this instance was not listening were never notified.
    this.#local.users++;
    this.#local.tokens++;
  }

  #lost(client: pg.Client): void {
    if (client !== this.#listener || this.#closed) return;
    this.#listener = undefined;
    this.#listening = false;
    client.end().catch(() => undefined);
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#closed) return;
    const delay = RECONNECT_MS[Math.min(this.#failures++, RECONNECT_MS.length - 1)];
    this.#retry = setTimeout(() => {
      this.#connect().catch(() => this.#scheduleReconnect());
    }, delay);
    this.#retry.unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#listening = false;
    await this.#listener?.end().catch(() => undefined);
  }
}
