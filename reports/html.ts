import type { RequirementVerdict, RunResult, ScenarioResult, Verdict } from '../scenarios/index.ts';
import { CONTENT_SECURITY_POLICY, SCRIPT, STYLE } from './html-assets.ts';
import { scenarioAnchor, scenarioArticle } from './html-scenario.ts';
import { markup } from './markup.ts';
import { countsLine, failingScenarios, mustRates, percent, runLevelFailures, runVerdict, STATUS_LABEL } from './run-facts.ts';
import type { Writer } from './writer.ts';

/**
 * `report.html`: one self-contained page — the run's facts, the requirement matrix (filterable
 * by profile and verdict), then every failure with its steps, diff, HTTP exchanges and the
 * commands that run it again. Every piece of text from the run is escaped by `markup`, and the
 * page's Content-Security-Policy lets nothing load and no other script run.
 */

const VERDICTS: Verdict[] = ['passed', 'failed', 'xfailed', 'not-applicable', 'untested'];

/** Reasons beyond this many are summed up in one line (a fresh catalogue can have a hundred untested MUSTs). */
const RUN_FAILURES_SHOWN = 10;

export const htmlReport: Writer = (result, context) => {
  const verdict = runVerdict(result);
  const expected = result.scenarios.filter((s) => s.status === 'xfailed');
  const failing = failingScenarios(result);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${markup(CONTENT_SECURITY_POLICY)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${markup(`${result.suite.name} conformance: ${verdict} — ${result.target.label}`)}</title>
<style>${STYLE}</style>
</head>
<body>
${header(result)}
${matrix(result)}
<section id="failures">
<h2>Failures (${failing.length})</h2>
${failing.length === 0 ? '<p>No scenario failed.</p>' : failing.map((s) => scenarioArticle(result, s, context)).join('\n')}
</section>
${expected.length === 0 ? '' : `<section id="expected-failures">\n<h2>Expected failures (${expected.length})</h2>\n${expected.map((s) => scenarioArticle(result, s, context)).join('\n')}\n</section>`}
${scenarioTable(result)}
${waiverTable(result)}
<footer><p class="text">${markup(`${result.format} · ${result.scenarios.length} scenarios · result.json holds every exchange`)}</p></footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
};

function header(result: RunResult): string {
  const verdict = runVerdict(result);
  const s = result.selection;
  const facts: [string, string][] = [
    ['Suite', `${result.suite.name} ${result.suite.version}`],
    ['Target', `${result.target.label} (${result.target.kind})`],
    ['Seed', String(result.seed)],
    ['Runs per property', String(result.runs)],
    ['Started', result.startedAt],
    ['Duration', `${(result.durationMs / 1000).toFixed(1)} s`],
    ['Selection', `profiles ${s.profiles.join(', ')}; level ${s.level} and stronger${s.grep !== undefined ? `; grep ${s.grep}` : ''}`],
    ...(result.xfail ? [['Expected failures', `${result.xfail.file} (sha256 ${result.xfail.sha256})`] as [string, string]] : []),
    ['Scenarios', countsLine(result)],
    [
      'MUST passed',
      mustRates(result)
        .map((r) => `${r.profile} ${r.passed}/${r.total} (${percent(r)})`)
        .join(' · '),
    ],
  ];
  const reasons = runLevelFailures(result);
  const shown = reasons.slice(0, RUN_FAILURES_SHOWN).map((r) => `<li>${markup(r.message)}</li>`);
  if (reasons.length > shown.length) shown.push(`<li>and ${reasons.length - shown.length} more (the matrix shows every untested requirement)</li>`);
  return `<header>
<h1>${markup(result.suite.name)} conformance <span class="verdict ${verdict}" id="run-verdict">${verdict}</span></h1>
<dl class="facts">
${facts.map(([name, value]) => `<dt>${markup(name)}</dt><dd>${markup(value)}</dd>`).join('\n')}
</dl>
<div class="command"><span>command</span><pre id="run-command">${markup(result.command)}</pre></div>
${shown.length ? `<p>The run also fails because:</p>\n<ul class="run-failures">${shown.join('')}</ul>` : ''}
</header>`;
}

function matrix(result: RunResult): string {
  const articles = new Set(result.scenarios.filter((s) => s.status !== 'passed' && s.status !== 'not-applicable').map((s) => s.id));
  const link = (id: string) => `<a href="#${markup(articles.has(id) ? scenarioAnchor(id) : `row-${scenarioAnchor(id)}`)}"><code>${markup(id)}</code></a>`;
  const row = (r: RequirementVerdict) =>
    `<tr id="req-${markup(r.id)}" data-requirement="${markup(r.id)}" data-profile="${markup(r.profile)}" data-verdict="${r.verdict}">` +
    `<td><code>${markup(r.id)}</code></td><td>${r.level}</td><td>${markup(r.profile)}</td><td class="verdict-cell"><span class="verdict ${r.verdict}">${r.verdict}</span></td>` +
    `<td>${r.scenarios.map(link).join('<br>') || '—'}</td><td class="text">${inlineMarkdown(r.text)}</td></tr>`;
  const option = (value: string) => `<option value="${markup(value)}">${markup(value)}</option>`;
  return `<section id="requirements">
<h2>Requirements (${result.requirements.length})</h2>
<div class="filters">
<label>Profile <select id="filter-profile"><option value="">all</option>${result.selection.profiles.map(option).join('')}</select></label>
<label>Verdict <select id="filter-verdict"><option value="">all</option>${VERDICTS.map(option).join('')}</select></label>
<output id="filter-count"></output>
</div>
${table(['ID', 'Level', 'Profile', 'Verdict', 'Scenarios', 'Requirement'], result.requirements.map(row), 'matrix')}
</section>`;
}

function scenarioTable(result: RunResult): string {
  const row = (s: ScenarioResult) =>
    `<tr id="row-${markup(scenarioAnchor(s.id))}"><td><span class="verdict ${s.status}">${markup(STATUS_LABEL[s.status])}</span></td>` +
    `<td><code>${markup(s.id)}</code><br>${markup(s.title)}</td><td>${s.requirements.map((r) => `<a href="#req-${markup(r)}">${markup(r)}</a>`).join(', ')}</td>` +
    `<td>${Math.round(s.durationMs)} ms</td><td class="text">${markup(s.reason ?? '')}</td></tr>`;
  return `<section id="scenarios">\n<h2>Scenarios (${result.scenarios.length})</h2>\n${table(['Status', 'Scenario', 'Requirements', 'Time', 'Note'], result.scenarios.map(row))}\n</section>`;
}

function waiverTable(result: RunResult): string {
  if (result.waivers.length === 0) return '';
  const row = (w: RunResult['waivers'][number]) =>
    `<tr><td><code>${markup(w.requirement)}</code></td><td>${w.scenario ? `<code>${markup(w.scenario)}</code>` : 'any'}</td><td>${markup(w.reason)}</td>` +
    `<td>${markup(w.expires)}</td><td class="${w.state === 'expired' ? 'failed' : ''}">${w.state}</td></tr>`;
  return `<section id="waivers">\n<h2>Expected-failure entries (${result.waivers.length})</h2>\n${table(['Requirement', 'Scenario', 'Reason', 'Expires', 'State'], result.waivers.map(row))}\n</section>`;
}

function table(headings: string[], rows: string[], id?: string): string {
  const head = headings.map((h) => `<th>${h}</th>`).join('');
  return `<table${id ? ` id="${id}"` : ''}>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

/** The catalogue's Markdown as text, with its code spans as code (escaped first, so no markup gets through). */
function inlineMarkdown(text: string): string {
  return markup(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}
