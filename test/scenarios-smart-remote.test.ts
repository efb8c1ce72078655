import { smartRemoteScenarios } from '../scenarios/scripted/smart-remote/index.ts';
import { embeddedTarget } from '../scenarios/index.ts';
import { describeScenarios } from './scenario-suite.ts';

// A body limit the upstream can send past (EDGE-SR-18) above the largest pulled-through file (24 MiB).
describeScenarios('smart remote scenarios', smartRemoteScenarios, {
  target: () => embeddedTarget({ config: { maxUploadBytes: 30 * 1024 * 1024 } }),
  timeoutMs: 60_000,
});
