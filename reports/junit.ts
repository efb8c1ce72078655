import type { RunResult, ScenarioResult } from '../scenarios/index.ts';
import { replayCommand, rerunCommand } from './commands.ts';
import { failureText } from './failure-text.ts';
import { firstLine, markup } from './markup.ts';
import { areaOf, runLevelFailures } from './run-facts.ts';
import type { ReportContext, Writer } from './writer.ts';

/**
 * `junit.xml`: what CI systems (GitHub, GitLab, Jenkins) read. One testsuite per area, one
 * testcase per scenario (classname = area, name = id and requirement IDs). Expected failures
 * and not-applicable scenarios are skipped (the message says which); a failure and an
 * unexpected pass are failures. A run that fails for no scenario's sake (a MUST no scenario
 * checked, an expired waiver) gets a `run` suite with one failing testcase per reason, so
 * the CI page is red exactly when the exit code is.
 *
 * Written by hand rather than with an XML builder: the document is flat, and what makes it
 * valid is `markup` (escaping and removing what XML 1.0 forbids), which a builder would not do
 * for us — they reject or pass through control characters.
 */

interface Case {
  name: string;
  classname: string;
  seconds: number;
  /** The element inside the testcase, if any. */
  body: string;
}

export const junitReport: Writer = (result, context) => {
  const byArea = new Map<string, Case[]>();
  for (const s of result.scenarios) {
    const area = areaOf(s.id);
    if (!byArea.has(area)) byArea.set(area, []);
    byArea.get(area)!.push(scenarioCase(result, s, context));
  }
  const runCases = runLevelFailures(result).map(
    (f): Case => ({ name: f.name, classname: 'run', seconds: 0, body: `<failure message="${markup(f.message)}" type="run">${markup(f.message)}</failure>` }),
  );
  if (runCases.length > 0) byArea.set('run', runCases);

  const suites = [...byArea].map(([area, cases]) => suite(result, area, cases));
  const all = [...byArea.values()].flat();
  const totals = counts(all);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${markup(`${result.suite.name} conformance ${result.suite.version}`)}" tests="${all.length}" failures="${totals.failures}" errors="0" skipped="${totals.skipped}" time="${seconds(result.durationMs)}" timestamp="${timestamp(result)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
};

function scenarioCase(result: RunResult, s: ScenarioResult, context: ReportContext): Case {
  const name = `${s.id} [${s.requirements.join(', ')}]`;
  const details = () => {
    const replay = replayCommand(context.outDir, s);
    return markup([failureText(s), `rerun: ${rerunCommand(result, s)}`, ...(replay ? [`replay: ${replay}`] : [])].join('\n'));
  };
  let body = '';
  if (s.status === 'failed') body = `<failure message="${markup(firstLine(s.failure?.message ?? 'failed'))}" type="failed">${details()}</failure>`;
  if (s.status === 'xpassed') body = `<failure message="${markup(firstLine(`passed unexpectedly: ${s.reason ?? ''}`))}" type="xpassed">${details()}</failure>`;
  if (s.status === 'xfailed') body = `<skipped message="${markup(firstLine(`expected failure: ${s.reason ?? ''}`))}"/><system-out>${details()}</system-out>`;
  if (s.status === 'not-applicable') body = `<skipped message="${markup(firstLine(`not applicable: ${s.reason ?? ''}`))}"/>`;
  return { name, classname: areaOf(s.id), seconds: s.durationMs / 1000, body };
}

function suite(result: RunResult, area: string, cases: Case[]): string {
  const totals = counts(cases);
  const time = cases.reduce((sum, c) => sum + c.seconds, 0);
  const lines = [
    `  <testsuite name="${markup(area)}" tests="${cases.length}" failures="${totals.failures}" errors="0" skipped="${totals.skipped}" time="${time.toFixed(3)}" timestamp="${timestamp(result)}">`,
    '    <properties>',
    ...properties(result).map(([name, value]) => `      <property name="${markup(name)}" value="${markup(value)}"/>`),
    '    </properties>',
  ];
  for (const c of cases) {
    const open = `    <testcase classname="${markup(c.classname)}" name="${markup(c.name)}" time="${c.seconds.toFixed(3)}"`;
    lines.push(c.body ? `${open}>\n      ${c.body}\n    </testcase>` : `${open}/>`);
  }
  lines.push('  </testsuite>');
  return lines.join('\n');
}

/** What a CI page needs to reproduce the run, on every suite (readers show a suite's properties, rarely the document's). */
function properties(result: RunResult): [string, string][] {
  return [
    ['suite', `${result.suite.name} ${result.suite.version}`],
    ['target', result.target.label],
    ['target.kind', result.target.kind],
    ['seed', String(result.seed)],
    ['runs', String(result.runs)],
    ['profiles', result.selection.profiles.join(',')],
    ['level', result.selection.level],
    ...(result.selection.grep !== undefined ? [['grep', result.selection.grep] as [string, string]] : []),
    ...(result.xfail ? [['xfail', `${result.xfail.file} sha256:${result.xfail.sha256}`] as [string, string]] : []),
    ['command', result.command],
  ];
}

function counts(cases: Case[]): { failures: number; skipped: number } {
  return { failures: cases.filter((c) => c.body.startsWith('<failure')).length, skipped: cases.filter((c) => c.body.startsWith('<skipped')).length };
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** The Ant schema's timestamp: ISO 8601 without a zone (UTC here). */
const timestamp = (result: RunResult) => result.startedAt.slice(0, 19);
