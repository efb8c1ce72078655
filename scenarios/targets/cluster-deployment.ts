import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterNode } from './cluster-node.ts';
import { nginxMissing, startNginx, type Nginx } from './nginx.ts';
import { TargetUnavailable } from './target.ts';
import { freePort, postgresMissing, startPostgres, type PostgresServer } from './throwaway-postgres.ts';
import { s3rverMissing, startS3Server, type S3Server } from './throwaway-s3.ts';

/**
 * The services of an Artifactory HA deployment in miniature (issue #14, decision 0027): a
 * throwaway PostgreSQL, one S3 bucket (s3rver), N `edgeproof serve` processes sharing both and
 * one key directory, and nginx balancing over them, all on loopback in one temp directory.
 * The harness's `cluster` target and the benchmarks (bench/cluster.ts) both start it here, the
 * only file of scenarios/ that bench/ may import (.dependency-cruiser.cjs).
 */
export interface ClusterDeploymentOptions {
  nodes: number;
  adminPassword: string;
  /** PostgreSQL with fsync and synchronous commit, as in production (benchmarks); tests run without. */
  durable?: boolean;
  /** More configuration for every node, as EDGEPROOF_* variables. */
  env?: Record<string, string>;
}

export interface ClusterDeployment {
  /** The load balancer's URL. */
  readonly url: string;
  readonly nodes: readonly ClusterNode[];
  /** Stops every node (node 0 first up again, as at the first start) on the same data. */
  restartNodes(): Promise<void>;
  stop(): Promise<void>;
}

const BUCKET = 'edgeproof';

/** The first component a deployment needs that this machine lacks, as one line; undefined when none is. */
export function clusterComponentMissing(): string | undefined {
  return postgresMissing() ?? s3rverMissing() ?? nginxMissing();
}

export async function deployCluster(options: ClusterDeploymentOptions): Promise<ClusterDeployment> {
  const missing = clusterComponentMissing();
  if (missing) throw new TargetUnavailable(missing);
  let postgres: PostgresServer | undefined;
  let s3: S3Server | undefined;
  let nginx: Nginx | undefined;
  const nodes: ClusterNode[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'edgeproof-cluster-'));
  const stop = async () => {
    await nginx?.stop();
    await Promise.all(nodes.map((node) => node.stop()));
    await s3?.stop();
    await postgres?.stop();
    await rm(dir, { recursive: true, force: true });
  };
  const startNodes = async () => {
    // The first node makes the keys and the schema; the others then join it.
    await nodes[0]?.start();
    await Promise.all(nodes.slice(1).map((node) => node.start()));
  };
  try {
    postgres = await startPostgres({ durable: options.durable }).catch((error: Error) => {
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
    for (let index = 0; index < options.nodes; index++) {
      const dataDir = join(dir, `node-${index}`);
      await mkdir(join(dataDir, 'access'), { recursive: true });
      await symlink(keys, join(dataDir, 'access', 'keys'));
      const env = {
        EDGEPROOF_DATA_DIR: dataDir,
        EDGEPROOF_HOST: '127.0.0.1',
        EDGEPROOF_ADMIN_PASSWORD: options.adminPassword,
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
        ...options.env,
      };
      nodes.push(new ClusterNode(index, await freePort(), env));
    }
    await startNodes();
    nginx = await startNginx(
      join(dir, 'nginx'),
      await freePort(),
      nodes.map((node) => node.port),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: nginx.url,
    nodes,
    async restartNodes() {
      await Promise.all(nodes.map((node) => node.stop()));
      await startNodes();
    },
    stop,
  };
}
