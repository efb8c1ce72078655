import type { RunResult, ScenarioResult } from '../scenarios/index.ts';
import type { BodyRecord, Exchange } from '../scenarios/kit/exchanges.ts';
import { replayCommand, rerunCommand } from './commands.ts';
import { failureDiff } from './failure-text.ts';
import { markup } from './markup.ts';
import { STATUS_LABEL } from './run-facts.ts';
import type { ReportContext } from './writer.ts';

/** One scenario on the report page: everything needed to understand a failure and replay it. */

/** A property can send thousands of requests; the page shows the last ones (result.json has them all). */
export const EXCHANGES_SHOWN = 20;

/** The element id of a scenario's article, for links from the matrix. */
export function scenarioAnchor(id: string): string {
  return `scenario-${id.replaceAll('/', '__')}`;
}

export function scenarioArticle(result: RunResult, s: ScenarioResult, context: ReportContext): string {
  const parts = [
    `<article class="scenario status-${s.status}" id="${markup(scenarioAnchor(s.id))}" data-scenario="${markup(s.id)}">`,
    `<h3><span class="verdict ${s.status}">${markup(STATUS_LABEL[s.status])}</span> <code>${markup(s.id)}</code> — ${markup(s.title)}</h3>`,
    `<div class="meta">${s.requirements.map((r) => `<a href="#req-${markup(r)}">${markup(r)}</a>`).join(', ')} · ${Math.round(s.durationMs)} ms · seed ${s.seed}</div>`,
  ];
  if (s.reason) parts.push(`<p class="reason">${markup(s.reason)}</p>`);
  if (s.failure) parts.push('<h4>Message</h4>', `<pre class="message">${markup(s.failure.message)}</pre>`);
  const difference = failureDiff(s.failure);
  if (difference) parts.push('<h4>Expected and actual</h4>', `<pre class="diff">${diffLines(difference)}</pre>`);
  if (s.steps.length > 0) parts.push('<h4>Steps</h4>', steps(s));
  if (s.counterexample) {
    const c = s.counterexample;
    parts.push(
      `<h4>Counterexample (seed ${c.seed}, path <code>${markup(c.path)}</code>${c.replayPath ? `, replayPath <code>${markup(c.replayPath)}</code>` : ''})</h4>`,
      `<ol class="counterexample">${c.steps.map((step) => `<li><code>${markup(step)}</code></li>`).join('')}</ol>`,
    );
  }
  if (s.faultPlans.length > 0)
    parts.push('<h4>Fault plans</h4>', ...s.faultPlans.map((p) => `<pre class="fault-plan">${markup(JSON.stringify(p, null, 2))}</pre>`));
  if (s.cleanupProblems?.length) parts.push('<h4>Cleanup problems</h4>', `<ul>${s.cleanupProblems.map((p) => `<li>${markup(p)}</li>`).join('')}</ul>`);
  if (s.exchanges.length > 0) parts.push(...exchanges(s.exchanges));
  parts.push('<h4>Run it again</h4>', commands(result, s, context), '</article>');
  return parts.join('\n');
}

function diffLines(difference: string): string {
  return difference
    .split('\n')
    .map((line) =>
      line.startsWith('- ') || line === '-'
        ? `<span class="diff-del">${markup(line)}</span>`
        : line.startsWith('+ ') || line === '+'
          ? `<span class="diff-add">${markup(line)}</span>`
          : markup(line),
    )
    .join('\n');
}

function steps(s: ScenarioResult): string {
  const items = s.steps.map(
    (step) => `<li class="${step.status}">${markup(step.title)} <span class="${step.status}">(${step.status}, ${Math.round(step.durationMs)} ms)</span></li>`,
  );
  return `<ol class="steps">${items.join('')}</ol>`;
}

function exchanges(all: Exchange[]): string[] {
  const shown = all.slice(-EXCHANGES_SHOWN);
  const heading = all.length > shown.length ? `HTTP exchanges (the last ${shown.length} of ${all.length}; result.json has them all)` : 'HTTP exchanges';
  // The last exchange is open: it is the one a failure most often follows.
  return [`<h4>${heading}</h4>`, ...shown.map((e, i) => exchange(e, i === shown.length - 1))];
}

function exchange(e: Exchange, open: boolean): string {
  const answer = e.status ? String(e.status) : `no answer (${e.error ?? 'error'})`;
  return [
    `<details class="exchange"${open ? ' open' : ''}>`,
    `<summary>${e.seq}. <code>${markup(e.method)} ${markup(e.path)}</code> → <span class="${e.status >= 200 && e.status < 400 ? 'passed' : 'failed'}">${markup(answer)}</span> · ${Math.round(e.durationMs)} ms${e.step ? ` · step ${markup(e.step)}` : ''}</summary>`,
    '<div class="request">',
    `<pre class="headers">${markup(`${e.method} ${e.path}\n${headerLines(e.requestHeaders)}`)}</pre>`,
    body(e.requestBody, 'request body'),
    '</div><div class="response">',
    `<pre class="headers">${markup(`${answer}\n${headerLines(e.responseHeaders)}`)}</pre>`,
    body(e.responseBody, 'response body'),
    '</div></details>',
  ].join('\n');
}

const headerLines = (headers: Record<string, string>) =>
  Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');

function body(record: BodyRecord | undefined, what: string): string {
  if (!record) return '';
  const about = `${what}: ${record.length} bytes, sha256 ${record.sha256}${record.truncated ? ', only its start shown' : ''}`;
  return `<div class="body-about">${markup(about)}</div><pre class="body">${markup(record.preview)}</pre>`;
}

function commands(result: RunResult, s: ScenarioResult, context: ReportContext): string {
  const replay = replayCommand(context.outDir, s);
  const rows = [`<div class="command rerun"><span>rerun</span><pre>${markup(rerunCommand(result, s))}</pre></div>`];
  if (replay) rows.push(`<div class="command replay"><span>replay</span><pre>${markup(replay)}</pre> <a href="${markup(s.replayFile!)}">replay file</a></div>`);
  return rows.join('\n');
}
