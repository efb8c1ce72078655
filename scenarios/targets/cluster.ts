import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterNode } from './cluster-node.ts';
import { startNginx, type Nginx } from './nginx.ts';
import type { Capability, EdgeUnderTest, Target } from './target.ts';
import { TargetUnavailable } from './target.ts';
import { freePort, startPostgres, type PostgresServer } from './throwaway-postgres.ts';
import { startS3Server, type S3Server } from './throwaway-s3.ts';

/**
 * Several `edgeproof serve` processes behind nginx, sharing one PostgreSQL database and one S3
 * bucket (s3rver), all on loopback in a temp directory and all stopped at close: an Artifactory
 * HA deployment in miniature (issue #14, docs/decisions/0027-cluster.md). The suite talks to
 * the load balancer; scenarios that need a node of their own reach it with `nodes`.
 */

const ADMIN_PASSWORD = 'edgeproof-conformance-admin';
const BUCKET = 'edgeproof';

export interface ClusterOptions {
  /** How many serve processes (default 3). */
  nodes?: number;
}

/** The cluster's nodes, one by one: what the `nodes` capability adds to an EdgeUnderTest. */
export interface ClusterNodes {
  readonly count: number;
  /** The node's own URL, past the load balancer. */
  nodeUrl(index: number): string;
  /** SIGKILL: the node dies mid-request, as in a crash; the load balancer takes it out on its next failure. */
  killNode(index: number): Promise<void>;
  /** Starts it again on its data directory and port; resolves once it is ready. */
  startNode(index: number): Promise<void>;
}

export type ClusterEdge = EdgeUnderTest & { readonly nodes: ClusterNodes };

/** The cluster's nodes when the Edge under test has them (the `nodes` capability). */
export function clusterNodesOf(edge: EdgeUnderTest): ClusterNodes | undefined {
  return (edge as Partial<ClusterEdge>).nodes;
}

export function clusterTarget(options: ClusterOptions = {}): Target {
  const count = options.nodes ?? 3;
  let dir: string | undefined;
  let postgres: PostgresServer | undefined;
  let s3: S3Server | undefined;
  let nginx: Nginx | undefined;
  const nodes: ClusterNode[] = [];

  const close = async () => {
    await nginx?.stop();
    await Promise.all(nodes.splice(0).map((node) => node.stop()));
    await s3?.stop();
    await postgres?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
    nginx = s3 = postgres = dir = undefined;
  };

  const start = async (): Promise<ClusterEdge> => {
    try {
      dir = await mkdtemp(join(tmpdir(), 'edgeproof-cluster-'));
      postgres = await startPostgres().catch((error: Error) => {
        throw new TargetUnavailable(error.message);
      });
      const databaseUrl = await postgres.createDatabase();
      s3 = await startS3Server().catch((error: Error) => {
        throw new TargetUnavailable(error.message);
      });
      await s3.bucket(BUCKET);
      // EDGE-HA-1: one circle-of-trust key directory for every node (decision 0027), as Artifactory
      // HA shares its keys: a token one node signs verifies on the others, and a certificate
      // trusted through one node is trusted by all.
      const keys = join(dir, 'shared-keys');
      await mkdir(keys, { recursive: true, mode: 0o700 });
      for (let index = 0; index < count; index++) {
        const dataDir = join(dir, `node-${index}`);
        await mkdir(join(dataDir, 'access'), { recursive: true });
        await symlink(keys, join(dataDir, 'access', 'keys'));
        const env = {
          EDGEPROOF_DATA_DIR: dataDir,
          EDGEPROOF_HOST: '127.0.0.1',
          EDGEPROOF_ADMIN_PASSWORD: ADMIN_PASSWORD,
          EDGEPROOF_LOG_LEVEL: 'warn',
          EDGEPROOF_NODE_ID: `node-${index}`,
          EDGEPROOF_DATABASE_TYPE: 'postgresql',
          EDGEPROOF_DATABASE_URL: databaseUrl,
          EDGEPROOF_BINARIES_TYPE: 's3',
          EDGEPROOF_S3_ENDPOINT: s3.endpoint,
          EDGEPROOF_S3_BUCKET: BUCKET,
          EDGEPROOF_S3_ACCESS_KEY_ID: 'S3RVER',
          EDGEPROOF_S3_SECRET_ACCESS_KEY: 'S3RVER',
          EDGEPROOF_S3_FORCE_PATH_STYLE: 'true',
        };
        nodes.push(new ClusterNode(index, await freePort(), env));
      }
      // The first node makes the keys and the schema; the others then join it.
      await nodes[0]?.start();
      await Promise.all(nodes.slice(1).map((node) => node.start()));
      nginx = await startNginx(
        join(dir, 'nginx'),
        await freePort(),
        nodes.map((node) => node.port),
      );
    } catch (error) {
      await close();
      throw error;
    }
    const node = (index: number) => {
      const found = nodes[index];
      if (!found) throw new RangeError(`the cluster has nodes 0 to ${count - 1}, not ${index}`);
      return found;
    };
    return {
      url: nginx.url,
      admin: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`,
      nodes: {
        count,
        nodeUrl: (index) => node(index).url,
        killNode: (index) => node(index).kill(),
        startNode: (index) => node(index).start(),
      },
      async restart() {
        await Promise.all(nodes.map((n) => n.stop()));
        await nodes[0]?.start();
        await Promise.all(nodes.slice(1).map((n) => n.start()));
      },
      close,
    };
  };

  return {
    description: { kind: 'cluster', label: `cluster of ${count} edgeproof nodes behind nginx on PostgreSQL and S3`, settings: { nodes: count } },
    capabilities: new Set<Capability>(['restart', 'reach-loopback', 'nodes']),
    start,
    close,
  };
}
