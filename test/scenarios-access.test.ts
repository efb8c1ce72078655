import { accessScenarios } from '../scenarios/scripted/access/index.ts';
import { embeddedTarget } from '../scenarios/index.ts';
import { describeScenarios } from './scenario-suite.ts';

describeScenarios('access scenarios', accessScenarios);

// Anonymous access is a setting of the Edge: the scenarios that need it on (not applicable on
// the Edge above), and those that must hold either way, run again against an Edge that has it.
const EITHER_WAY = ['access/system-probes-without-credentials', 'access/configuration-refused-without-credentials'];
const ANONYMOUS_ON = ['access/bad-credentials-with-anonymous-access', 'access/anonymous-on-reads', 'access/anonymous-on-writes-need-credentials'];
const withAnonymous = [...EITHER_WAY, ...ANONYMOUS_ON].map((id) => {
  const found = accessScenarios.find((s) => s.id === id);
  if (!found) throw new Error(`no access scenario ${id}`);
  return found;
});
describeScenarios('access scenarios, anonymous access on', withAnonymous, { target: () => embeddedTarget({ config: { anonymousAccess: true } }) });
