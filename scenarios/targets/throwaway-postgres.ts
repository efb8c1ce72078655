import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { missingComponent } from './target.ts';

const run = promisify(execFile);

/**
 * A throwaway PostgreSQL for tests and the cluster target: initdb and pg_ctl in a temp directory, on a free loopback
 * port, no Unix socket, no fsync (tests only). Started once per test file; each test takes a
 * database of its own (`createDatabase`), cloned from a template, so tests are isolated and fast.
 * As root the server runs as the `postgres` user (PostgreSQL refuses to run as root).
 */
export interface PostgresServer {
  /** postgres:// URL of a database on the server (default: the `postgres` database). */
  url(database?: string): string;
  /** A fresh database, a copy of `template` (default: template0's empty one); returns its URL. */
  createDatabase(template?: string): Promise<string>;
  /** Runs one statement as the superuser on the `postgres` database. */
  sql(statement: string): Promise<void>;
  stop(): Promise<void>;
}

const MISSING = 'PostgreSQL is not installed: initdb and pg_ctl not found (apt-get install postgresql)';

/** initdb and pg_ctl: Debian keeps them off PATH, under /usr/lib/postgresql/<version>/bin. */
function binaries(): { initdb: string; pgCtl: string } {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const bin = join(root, version, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return { initdb: join(bin, 'initdb'), pgCtl: join(bin, 'pg_ctl') };
  }
  throw new Error(MISSING);
}

/** The one line naming PostgreSQL when its binaries are missing; undefined when they are installed. */
export const postgresMissing = (): string | undefined => missingComponent(binaries);

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** `durable`: fsync and synchronous commit on, as a production server (for benchmarks); tests run without. */
export async function startPostgres(options: { durable?: boolean } = {}): Promise<PostgresServer> {
  const { initdb, pgCtl } = binaries();
  const asRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(join(tmpdir(), 'edgeproof-pg-'));
  const data = join(dir, 'data');
  const runAs = (command: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args));
  if (asRoot) {
    const { uid, gid } = await postgresUser();
    await chown(dir, uid, gid);
  }
  await runAs(initdb, ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--locale=C.UTF-8']);
  const port = await freePort();
  const fast = options.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  const settings = `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories='' -c max_connections=300${fast}`;
  try {
    await runAs(pgCtl, ['-D', data, '-l', join(dir, 'log'), '-o', settings, '-w', '-t', '30', 'start']);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  let count = 0;
  const sql = async (statement: string) => {
    const client = new pg.Client({ connectionString: url() });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  return {
    url,
    sql,
    async createDatabase(template = 'template0') {
      const name = `t${process.pid}_${++count}`;
      await sql(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      return url(name);
    },
    async stop() {
      await runAs(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  try {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: group } = await run('id', ['-g', 'postgres']);
    return { uid: Number(stdout.trim()), gid: Number(group.trim()) };
  } catch {
    throw new Error(`${MISSING}: no 'postgres' user to run it as`);
  }
}
