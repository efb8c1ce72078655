import { clusterTarget, DEFAULT_PROFILES, selectedScenarios, SUITE } from '../scenarios/index.ts';
import { describeScenarios } from './scenario-suite.ts';

/**
 * EDGE-HA-3: the default conformance profiles pass against three `edgeproof serve` processes
 * sharing PostgreSQL and S3 behind nginx, as `edgeproof conformance --target cluster` runs them;
 * the load balancer's round robin sends consecutive requests of one scenario to different
 * nodes, so a per-node cache serving a stale answer fails here. One cluster for the file; few
 * property runs, to keep the wall time small (scenarios needing `more-edges` or `data-dir` are
 * not applicable on a cluster).
 */
/**
 * Known gaps of a cluster (docs/decisions/0027-cluster.md, "Known gaps"): state kept per node
 * that these scenarios expect to be shared. Left out here, by name, until it moves into the
 * shared store; `edgeproof conformance --target cluster` still runs and reports them.
 */
const KNOWN_GAPS = new Set([
  // The old password still works on another node until its NOTIFY arrives (EDGE-AUTH-4).
  'access/password-change-at-once',
  // Missed retrievals, the offline period and in-flight upstream requests are remembered per node.
  'smart-remote/miss-remembered-for-its-period-from-simulator',
  'smart-remote/down-then-back-from-simulator',
  'smart-remote/concurrent-misses-one-upstream-get-from-simulator',
]);

const scenarios = selectedScenarios(SUITE, { profiles: [...DEFAULT_PROFILES], level: 'MAY' }).filter((s) => !KNOWN_GAPS.has(s.id));

describeScenarios('conformance on a three-node cluster behind nginx', scenarios, {
  runs: 2,
  timeoutMs: 180_000,
  startTimeoutMs: 180_000,
  target: () => clusterTarget(),
});
