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
const scenarios = selectedScenarios(SUITE, { profiles: [...DEFAULT_PROFILES], level: 'MAY' });

describeScenarios('conformance on a three-node cluster behind nginx', scenarios, {
  runs: 2,
  timeoutMs: 180_000,
  startTimeoutMs: 180_000,
  target: () => clusterTarget(),
});
