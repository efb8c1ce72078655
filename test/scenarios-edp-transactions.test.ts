import { embeddedTarget } from '../scenarios/index.ts';
import { edpTransactionScenarios } from '../scenarios/scripted/edp/index.ts';
import { describeScenarios } from './scenario-suite.ts';

describeScenarios('edp scenarios: transactions and files', edpTransactionScenarios, { timeoutMs: 120_000 });

// The default lifetime of a transaction (an hour) is longer than a scenario waits: expiry is
// shown on an Edge configured as an operator may, with idle transactions expiring after 2 s.
describeScenarios(
  'edp scenarios: transactions expiring after 2 s',
  edpTransactionScenarios.filter((s) => s.id === 'edp/idle-transaction-expires'),
  { target: () => embeddedTarget({ config: { transactionTtlSecs: 2 } }) },
);
