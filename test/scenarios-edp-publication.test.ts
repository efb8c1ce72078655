import { edpPublicationScenarios } from '../scenarios/scripted/edp/index.ts';
import { describeScenarios } from './scenario-suite.ts';

describeScenarios('edp scenarios: publication, reads, deletion, path conflicts', edpPublicationScenarios, { timeoutMs: 120_000 });
