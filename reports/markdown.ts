import type { RunResult, ScenarioResult } from '../scenarios/index.ts';
import { replayCommand, rerunCommand } from './commands.ts';
import { cleanText, firstLine } from './markup.ts';
import { countsLine, failingScenarios, mustRates, percent, runLevelFailures, runVerdict, STATUS_LABEL } from './run-facts.ts';
import type { ReportContext, Writer } from './writer.ts';

/**
 * `summary.md`: the run on a CI job page (append it to `$GITHUB_STEP_SUMMARY`). The verdict,
 * the counts, each profile's MUST pass rate, and each failure in one line with the command that
 * replays it. Text from the run is escaped so a message cannot become a link, an image, a table
 * cell border or HTML.
 */

const ICON = { PASSED: '✅', WARNED: '⚠️', FAILED: '❌' } as const;

/** GitHub caps a step summary at 1 MiB; a long tail of lines says no more than report.html does. */
const LINES_SHOWN = 50;

export const markdownReport: Writer = (result, context) => {
  const verdict = runVerdict(result);
  const lines = [
    `## ${ICON[verdict]} ${text(result.suite.name)} conformance: ${verdict}`,
    '',
    `**Target** ${text(result.target.label)} · **suite** ${text(`${result.suite.name} ${result.suite.version}`)} · **seed** ${result.seed} · **started** ${text(result.startedAt)} · ${(result.durationMs / 1000).toFixed(1)} s`,
    '',
    `Scenarios: ${text(countsLine(result))}.`,
    '',
    '| Profile | MUST passed | Rate |',
    '|---|---:|---:|',
    ...mustRates(result).map((r) => `| ${text(r.profile)} | ${r.passed}/${r.total} | ${percent(r)} |`),
  ];

  const failing = failingScenarios(result);
  if (failing.length > 0) lines.push('', `### Failures (${failing.length})`, '', ...capped(failing.map((s) => failureLine(result, s, context))));
  const reasons = runLevelFailures(result);
  if (reasons.length > 0) lines.push('', '### The run also fails because', '', ...capped(reasons.map((r) => `- ${text(r.message)}`)));
  const expected = result.scenarios.filter((s) => s.status === 'xfailed');
  if (expected.length > 0) {
    lines.push(
      '',
      `### Expected failures (${expected.length})`,
      '',
      ...capped(expected.map((s) => `- ${code(s.id)} ${ids(s)}: ${text(firstLine(s.reason ?? ''))}`)),
    );
  }
  lines.push('', `The whole run again: ${code(result.command)}`, '');
  return lines.join('\n');
};

function failureLine(result: RunResult, s: ScenarioResult, context: ReportContext): string {
  const why = s.status === 'xpassed' ? STATUS_LABEL.xpassed : (s.failure?.message ?? 'failed');
  const replay = replayCommand(context.outDir, s);
  const again = replay ? `replay: ${code(replay)}` : `rerun: ${code(rerunCommand(result, s))}`;
  return `- ❌ ${code(s.id)} ${ids(s)} — ${text(firstLine(why, 200))} · ${again}`;
}

const ids = (s: ScenarioResult) => `\\[${s.requirements.map(text).join(', ')}\\]`;

function capped(lines: string[]): string[] {
  return lines.length > LINES_SHOWN ? [...lines.slice(0, LINES_SHOWN), `- … and ${lines.length - LINES_SHOWN} more (see report.html)`] : lines;
}

/** Inline text: every character Markdown or GitHub's HTML could act on is backslash-escaped, line breaks become spaces. */
export function text(value: string): string {
  return cleanText(value)
    .replace(/\s*\r?\n\s*/g, ' ')
    .replace(/[\\`*_[\]<>|~&$]/g, '\\$&');
}

/** A code span that holds any text: its fence is longer than the longest run of backticks inside. */
export function code(value: string): string {
  const content = cleanText(value).replace(/\s*\r?\n\s*/g, ' ');
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = content.startsWith('`') || content.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}
