import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdpClient } from '../protocol/clients/index.ts';
import { edpPaths } from '../protocol/wire/edp.ts';
import { failureText } from '../reports/index.ts';
import {
  clusterNodesOf,
  clusterTarget,
  newRunTag,
  runScenario,
  SUITE,
  TRUST_ALIASES,
  type ClusterNodes,
  type EdgeUnderTest,
  type Target,
} from '../scenarios/index.ts';
import { fixturePublicKey } from '../fixtures/keys/index.ts';
import { makeBundle, sha256 } from './bundle-kit.ts';
import { clientsOf, downloadDigest } from './edge-harness.ts';

/**
 * EDGE-HA-1, EDGE-HA-4: what one node of a cluster does, the others see and continue. One
 * three-node cluster (PostgreSQL + S3 behind nginx) for the file; the tests talk to the nodes
 * one by one, past the load balancer, and kill one with SIGKILL.
 */

const CLUSTER_START_MS = 180_000;
let target: Target;
let edge: EdgeUnderTest;
let nodes: ClusterNodes;
/** Node i as an Edge the test kits can call. */
const node = (i: number) => ({ url: nodes.nodeUrl(i), admin: edge.admin });

beforeAll(async () => {
  target = clusterTarget();
  edge = await target.start();
  nodes = clusterNodesOf(edge) as ClusterNodes;
}, CLUSTER_START_MS);
afterAll(() => target?.close(), CLUSTER_START_MS);

describe('a cluster of three nodes', () => {
  it('EDGE-HA-1: every node has an id of its own and one serviceId; status lists all three running', async () => {
    const seen = await Promise.all(
      [0, 1, 2].map(async (i) => {
        const res = await fetch(`${nodes.nodeUrl(i)}/artifactory/api/system/status`);
        const service = await (await fetch(`${nodes.nodeUrl(i)}/artifactory/api/system/service_id`)).text();
        return { id: res.headers.get('x-artifactory-node-id'), service, status: (await res.json()) as { nodes: { id: string; state: string }[] } };
      }),
    );
    expect(new Set(seen.map((s) => s.id)).size).toBe(3);
    expect(new Set(seen.map((s) => s.service)).size).toBe(1);
    for (const s of seen) {
      expect(s.status.nodes.map((n) => [n.id, n.state]).sort()).toEqual(seen.map((x) => [x.id, 'RUNNING']).sort());
    }
  });

  it('EDGE-HA-1: a token issued by one node is accepted by the others', async () => {
    const token = (await clientsOf(node(0)).access.createToken({ scope: 'applied-permissions/user' })).access_token;
    for (const i of [1, 2]) {
      const res = await fetch(`${nodes.nodeUrl(i)}/artifactory/api/repositories`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, `node ${i}`).toBe(200);
    }
  });

  it(
    'EDGE-HA-4: a transaction started on node 0, uploaded through node 1, which is killed mid-upload, is finished and committed through node 2, and is then visible on every node at once',
    async () => {
      // Under the harness's alias, so the model property below finds it already trusted.
      await clientsOf(node(0)).edp.trustKey(TRUST_ALIASES.signingKey, fixturePublicKey('bundle-signing'));
      await clientsOf(node(0)).artifactory.createRepository('ha-generic', { rclass: 'local' });
      const files = [0, 1, 2].map((n) => ({ repoPath: `ha-generic/lib/f${n}.bin`, bytes: Buffer.alloc(256 * 1024 + n, n + 1) }));
      const bundle = await makeBundle('ha-bundle', '1.0.0', files);
      const edp = (i: number) => new EdpClient({ url: nodes.nodeUrl(i), credentials: { authorization: edge.admin } });

      const { transaction } = await edp(0).start({ bundle: bundle.jws });
      const [first, second, third] = files as [(typeof files)[0], (typeof files)[0], (typeof files)[0]];
      await edp(1).uploadFile(transaction.id, first.repoPath, first.bytes, { sha256: sha256(first.bytes) });
      // Half of the second file's body reaches node 1, which then dies.
      const cut = halfUpload(nodes.nodeUrl(1), edpPaths.file(transaction.id, second.repoPath), edge.admin, second.bytes);
      // Its failure is taken at once: the socket hangs up while the kill is still being awaited.
      const broken = cut.done.then(
        () => undefined,
        (error: unknown) => error,
      );
      await cut.halfSent;
      await nodes.killNode(1);
      expect(await broken).toBeInstanceOf(Error);

      // Nothing is visible before the commit, on any node still up.
      for (const i of [0, 2]) expect((await downloadDigest(node(i), first.repoPath)).status, `node ${i}`).toBe(404);
      expect((await edp(2).status(transaction.id)).files.find((f) => f.repo_path === first.repoPath)?.state).toBe('PRESENT');
      for (const file of [second, third]) await edp(2).uploadFile(transaction.id, file.repoPath, file.bytes, { sha256: sha256(file.bytes) });
      await edp(2).commit(transaction.id);

      await nodes.startNode(1);
      for (const i of [0, 1, 2]) {
        for (const file of files)
          expect(await downloadDigest(node(i), file.repoPath), `node ${i} ${file.repoPath}`).toEqual({ status: 200, sha256: sha256(file.bytes) });
        expect(
          (await edp(i).bundles())['ha-bundle']?.map((b) => b.version),
          `node ${i}`,
        ).toEqual(['1.0.0']);
      }
    },
    CLUSTER_START_MS,
  );
});

describe('the model-based property on a cluster', () => {
  /** Seeded, so a failure replays; a few runs of up to ten commands, node kills among them. */
  const SEED = Number(process.env.EDGEPROOF_CLUSTER_SEED ?? 20261130);

  it(`EDGE-HA-4: distributions, uploads, deletions, restarts and node kills leave the cluster serving exactly what the model says (seed ${SEED})`, async (context) => {
    const scenario = SUITE.find((s) => s.id === 'model/edge-matches-model');
    if (!scenario) throw new Error('model/edge-matches-model is not in the suite');
    console.log(`cluster model property: seed ${SEED}`);
    const result = await runScenario(scenario, {
      target,
      edge,
      material: (await import('../fixtures/keys/index.ts')).harnessMaterial(),
      seed: SEED,
      runs: 4,
      runTag: newRunTag(),
      waivers: [],
      today: '2026-11-30',
    });
    if (result.status === 'not-applicable') context.skip(result.reason);
    if (result.status !== 'passed') throw new Error(`seed ${SEED}: ${failureText(result)}`);
  }, 600_000);
});

/** A PUT whose body stops half way, until the server goes away. */
function halfUpload(base: string, path: string, authorization: string, bytes: Buffer): { halfSent: Promise<void>; done: Promise<void> } {
  let halfSent!: () => void;
  const sent = new Promise<void>((resolve) => (halfSent = resolve));
  const done = new Promise<void>((_resolve, reject) => {
    const url = new URL(path, base);
    const req = request(
      {
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'PUT',
        headers: { authorization, 'x-checksum-sha256': sha256(bytes), 'content-length': bytes.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => reject(new Error(`the node answered ${res.statusCode} to half a body`)));
      },
    );
    req.on('error', reject);
    req.write(bytes.subarray(0, bytes.length / 2), () => setTimeout(halfSent, 200));
  });
  return { halfSent: sent, done };
}
