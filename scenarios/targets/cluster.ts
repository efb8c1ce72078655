import { deployCluster, type ClusterDeployment } from './cluster-deployment.ts';
import type { Capability, EdgeUnderTest, Target } from './target.ts';

/**
 * Several `edgeproof serve` processes behind nginx, sharing one PostgreSQL database and one S3
 * bucket (s3rver), all on loopback and all stopped at close (./cluster-deployment.ts starts
 * them; issue #14, docs/decisions/0027-cluster.md). The suite talks to the load balancer;
 * scenarios that need a node of their own reach it with `nodes`.
 */

const ADMIN_PASSWORD = 'edgeproof-conformance-admin';

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
  let deployment: ClusterDeployment | undefined;

  const close = async () => {
    await deployment?.stop();
    deployment = undefined;
  };

  const start = async (): Promise<ClusterEdge> => {
    const started = await deployCluster({ nodes: count, adminPassword: ADMIN_PASSWORD });
    deployment = started;
    const node = (index: number) => {
      const found = started.nodes[index];
      if (!found) throw new RangeError(`the cluster has nodes 0 to ${count - 1}, not ${index}`);
      return found;
    };
    return {
      url: started.url,
      admin: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`,
      nodes: {
        count,
        nodeUrl: (index) => node(index).url,
        killNode: (index) => node(index).kill(),
        startNode: (index) => node(index).start(),
      },
      restart: () => started.restartNodes(),
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
