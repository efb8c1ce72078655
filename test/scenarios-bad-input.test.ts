import { bodyLimitScenarios } from '../scenarios/scripted/bad-input/body-limits.ts';
import { badInputScenarios } from '../scenarios/scripted/bad-input/index.ts';
import { embeddedTarget } from '../scenarios/index.ts';
import { describeScenarios } from './scenario-suite.ts';

describeScenarios('bad-input scenarios', badInputScenarios);

// The default limits (16 GiB uploads) are too large to stream past: the limit scenarios run
// again against an Edge with small ones, so every one of them applies somewhere.
describeScenarios('bad-input scenarios, small body limits', bodyLimitScenarios, {
  target: () => embeddedTarget({ config: { maxUploadBytes: 1000, maxJsonBytes: 1024 } }),
});
