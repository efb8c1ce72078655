/** The harness's public entry: what cli/ and the tests use. */
export { SUITE, SUITE_VERSION } from './suite.ts';
export { runConformance, runScenario, type RunEvent, type RunOptions, type ScenarioRunOptions } from './runner/run.ts';
export { newRunTag } from './kit/context.ts';
export { exchangeLine } from './kit/exchanges.ts';
export type { RunResult, ScenarioResult, ScenarioStatus, RequirementVerdict, Verdict, Selection, WaiverReport } from './runner/result.ts';
export { RESULT_FORMAT } from './runner/result.ts';
export { DEFAULT_PROFILES, selectedScenarios, unknownRequirements } from './runner/select.ts';
export { readXfail, readXfailFile, parseXfail, XfailFileError, type Waiver, type XfailSource } from './runner/xfail.ts';
export { freshSeed } from './runner/seed.ts';
export { embeddedTarget, type EmbeddedOptions } from './targets/embedded.ts';
export { containerTarget, CONTAINER_LABEL, type ContainerOptions } from './targets/container.ts';
export { dockerEngine, type DockerEngine } from './targets/docker-engine.ts';
export { TargetUnavailable, type Target, type EdgeUnderTest, type TargetDescription, type Capability } from './targets/target.ts';
export type { Material } from './kit/material.ts';
export { TRUST_ALIASES } from './kit/material.ts';
export { CATALOGUE, FAMILIES, PROFILES, LEVELS, type Level, type Profile, type Requirement } from './catalogue/index.ts';
export { scenario, type Scenario } from './kit/scenario.ts';
