import type { createEdge as CreateEdge } from './edge.ts';
import type { freshPostgresDatabase as FreshPostgresDatabase } from './storage/postgres/fresh-database.ts';
import type { rebalanceShards as RebalanceShards } from './storage/sharded/rebalance.ts';
import type { holdForWorkers as HoldForWorkers } from './startup/primary.ts';

/*
 * The Edge's public entry: everything outside edge/ (cli/, bench/, test/, the scenarios'
 * embedded target) uses the Edge through this file and HTTP (the boundary rules say so).
 */

/** Starts an Edge. The node loads on first use, so commands that only read config or edit the trusted folder start fast. */
export const createEdge: typeof CreateEdge = async (...args) => (await import('./edge.ts')).createEdge(...args);
export type { Edge, EdgeOptions } from './edge.ts';
// Loaded on use, as createEdge: only PostgreSQL's users pay for the driver.
export const freshPostgresDatabase: typeof FreshPostgresDatabase = async (...args) =>
  (await import('./storage/postgres/fresh-database.ts')).freshPostgresDatabase(...args);
export type { FreshDatabase } from './storage/postgres/fresh-database.ts';
export { describeDatabase } from './storage/postgres/database-label.ts';
/** What `EdgeOptions.storage` takes: test seams for durability, never set by configuration or HTTP. */
export { appendAll, type Disk, type WritableFile } from './storage/disk.ts';
export type { BeforeWrite } from './storage/sqlite/write-hook.ts';
export { resolveConfig, parseConfig, ConfigError, CONFIG_KEYS, envName, type EdgeConfig, type EdgeConfigInput } from './config.ts';
export { UPLOADS_REPO } from './repos/repositories.ts';
/** What an Edge process's environment should hold for glibc's allocator (issue #13). */
export { EDGE_PROCESS_ENV } from './startup/process-env.ts';
/** The machine refuses the start (data directory, its lock, the port): one line, exit code 1. */
export { StartupRefusal } from './startup/refusal.ts';
/** EDGE-CLU-1: the lock and the port the primary of `serve --workers` holds; loaded on use, like createEdge. */
export const holdForWorkers: typeof HoldForWorkers = async (...args) => (await import('./startup/primary.ts')).holdForWorkers(...args);
export type { PrimaryHold } from './startup/primary.ts';
/** The trusted folder of a data directory, edited while the Edge runs or not (`edgeproof trust`). */
export { trustedDir } from './trust/key-files.ts';
export { addTrusted, folderSummary, removeTrusted, scanTrustedFolder } from './trust/trusted-folder.ts';
export type { TokenResponse } from './trust/token-issuer.ts';
/** Every route with what it needs (EDGE-AUTH-7), and the actions permissions grant: the Edge's declared access surface. */
export { routeTable, type DeclaredRoute, type RouteAccess } from './http/route-access.ts';
export type { Action } from './trust/access.ts';
/** EDGE-BIN-4: restores the redundancy of a sharded filestore (`edgeproof storage rebalance`). */
export const rebalanceShards: typeof RebalanceShards = async (...args) => (await import('./storage/sharded/rebalance.ts')).rebalanceShards(...args);
export type { RebalanceReport } from './storage/sharded/sharded-content.ts';
