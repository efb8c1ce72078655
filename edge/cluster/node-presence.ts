import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MetaStore } from '../storage/metadata.ts';
import { writeFileAtomically } from '../trust/key-files.ts';

/** How often a node writes its heartbeat into the shared store. */
export const HEARTBEAT_MS = 5_000;
/** A node not seen for this long is reported down (three missed heartbeats). */
export const DOWN_AFTER_MS = 3 * HEARTBEAT_MS;

const PREFIX = 'node/';

export interface NodeState {
  id: string;
  state: 'RUNNING' | 'DOWN';
  /** When it last wrote its heartbeat (ms since the epoch). */
  lastSeen: number;
}

/**
 * EDGE-HA-1: this process's node id: the configured `nodeId`, else one made on the data
 * directory's first start and kept in `<dataDir>/node.id` — nodes of a cluster share the
 * serviceId (it lives in the shared database) but never a data directory, so each has its own.
 */
export async function loadNodeId(dataDir: string, configured: string | undefined): Promise<string> {
  if (configured !== undefined) return configured;
  const file = join(dataDir, 'node.id');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const id = `edge-${randomBytes(5).toString('hex')}`;
  await writeFileAtomically(file, `${id}\n`, 0o644);
  return id;
}

/**
 * EDGE-HA-2: the nodes sharing the metadata store, as each sees the others: every node writes
 * a heartbeat row (`node/<id>` in meta) every HEARTBEAT_MS, and one not seen for DOWN_AFTER_MS
 * is reported DOWN (it crashed, or lost the database). A node that stops cleanly says so at once.
 */
export class NodePresence {
  #timer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: string,
    private readonly meta: MetaStore,
    private readonly now: () => number,
    /** Other nodes share the store (PostgreSQL); an Edge alone on its SQLite beats once, so reads never write. */
    readonly shared = true,
  ) {}

  async start(onError: (error: unknown) => void): Promise<void> {
    await this.beat();
    if (!this.shared) return;
    this.#timer = setInterval(() => void this.beat().catch(onError), HEARTBEAT_MS);
    this.#timer.unref();
  }

  beat(): Promise<void> {
    return this.meta.put(`${PREFIX}${this.id}`, JSON.stringify({ lastSeen: this.now() }));
  }

  /** Stops the heartbeat and marks this node gone, so the others report it down at once. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.meta.put(`${PREFIX}${this.id}`, JSON.stringify({ lastSeen: 0 })).catch(() => undefined);
  }

  async nodes(): Promise<NodeState[]> {
    const now = this.now();
    return (await this.meta.withPrefix(PREFIX)).map(([key, value]) => {
      const lastSeen = Number((JSON.parse(value) as { lastSeen?: unknown }).lastSeen) || 0;
      const id = key.slice(PREFIX.length);
      // This node is answering, whatever its last beat says.
      return { id, state: id === this.id || now - lastSeen <= DOWN_AFTER_MS ? 'RUNNING' : 'DOWN', lastSeen };
    });
  }
}
