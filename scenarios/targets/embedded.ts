import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEdge, parseConfig, type Edge, type EdgeConfigInput, type EdgeOptions } from '../../edge/index.ts';
import type { PerEdge } from './postgres-databases.ts';
import type { Capability, EdgeUnderTest, Target } from './target.ts';

/**
 * Our Edge in this process, on a fresh data directory per Edge and a loopback port: the
 * default target, and the one that can restart an Edge and show its disk.
 */

const ADMIN_PASSWORD = 'edgeproof-conformance-admin';

export interface EmbeddedOptions {
  /** Configuration beyond the defaults (port 0, a fresh data directory, silent logs). */
  config?: Partial<EdgeConfigInput>;
  /** How the Edge is made; a test passes a wrapper here to run the suite against a broken Edge. */
  create?: (config: ReturnType<typeof parseConfig>, options: EdgeOptions) => Promise<Edge>;
  /** The label reports show (a broken Edge names its breakage). */
  label?: string;
  /** Configuration made afresh for each Edge (a PostgreSQL database of its own, postgres-databases.ts), released when it closes. */
  perEdge?: () => Promise<PerEdge>;
  /** What reports say of that configuration (never a secret). */
  settings?: Record<string, string>;
}

export function embeddedTarget(options: EmbeddedOptions = {}): Target {
  const create = options.create ?? createEdge;
  const open: EdgeUnderTest[] = [];
  const admin = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;

  const startOne = async (): Promise<EdgeUnderTest> => {
    const dataDir = await mkdtemp(join(tmpdir(), 'edgeproof-conformance-'));
    const own = await options.perEdge?.();
    const config = parseConfig({ port: 0, logLevel: 'silent', ...options.config, ...own?.config, dataDir, adminPassword: ADMIN_PASSWORD });
    let edge = await create(config, {});
    let url = await edge.listen();
    let closed = false;
    const handle: EdgeUnderTest = {
      get url() {
        return url;
      },
      admin,
      dataDir,
      limits: { maxUploadBytes: config.maxUploadBytes, maxJsonBytes: config.maxJsonBytes },
      async restart() {
        await edge.close(0);
        // The same port, so URLs a scenario (or a registered site) holds stay valid.
        edge = await create(parseConfig({ ...config, port: Number(new URL(url).port) }), {});
        url = await edge.listen();
      },
      async close() {
        if (closed) return;
        closed = true;
        await edge.close(0);
        await rm(dataDir, { recursive: true, force: true });
        await own?.dispose();
      },
    };
    open.push(handle);
    return handle;
  };

  const capabilities = new Set<Capability>(['restart', 'more-edges', 'data-dir', 'reach-loopback', 'direct-requests']);
  return {
    description: { kind: 'embedded', label: options.label ?? 'embedded edgeproof Edge', settings: options.settings ?? {} },
    capabilities,
    start: startOne,
    another: startOne,
    async close() {
      await Promise.all(open.splice(0).map((e) => e.close()));
    },
  };
}
