import type { Scenario } from '../../kit/scenario.ts';
import { dockerScenarios } from './docker.ts';
import { mavenMemberScenarios } from './maven-members.ts';
import { mavenScenarios } from './maven.ts';
import { npmMemberScenarios } from './npm-members.ts';
import { npmScenarios } from './npm.ts';
import { pypiMemberScenarios } from './pypi-members.ts';
import { pypiScenarios } from './pypi.ts';

/** The package formats' pull APIs (EDGE-PKG, EDGE-MVN, EDGE-OCI), for content a signed bundle delivered, through smart remotes and through virtual repositories. */
export const packageScenarios: Scenario[] = [
  ...npmScenarios,
  ...pypiScenarios,
  ...npmMemberScenarios,
  ...pypiMemberScenarios,
  ...mavenScenarios,
  ...mavenMemberScenarios,
  ...dockerScenarios,
];
