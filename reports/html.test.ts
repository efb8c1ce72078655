import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fixedRunResult, HOSTILE_BODY } from './__fixtures__/run-result.ts';
import { htmlReport } from './html.ts';
import { markup } from './markup.ts';

const context = { outDir: 'reports/out' };

/** The text between the first `<tag>` and its `</tag>`. */
const inner = (html: string, tag: string) => html.slice(html.indexOf(`<${tag}>`) + tag.length + 2, html.indexOf(`</${tag}>`));

describe('report.html', () => {
  const html = htmlReport(fixedRunResult(), context);

  it('is one page with one inline style and one inline script, and refers to nothing outside it', () => {
    expect(html.startsWith('<!doctype html>\n')).toBe(true);
    expect(html.match(/<style>/g)).toHaveLength(1);
    expect(html.match(/<script/gi)).toHaveLength(1);
    // Every reference stays in the page (anchors), is inline (data:) or is the run's own replay file.
    const references = [...html.matchAll(/\b(?:src|href|action)="([^"]*)"/g)].map((m) => m[1]!);
    expect(references.length).toBeGreaterThan(5);
    for (const reference of references) expect(reference).toMatch(/^(#|data:|replays\/)/);
    expect(html).not.toMatch(/@import|url\(/);
  });

  it('allows by Content-Security-Policy exactly its own style and script, by hash, and no fetch', () => {
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!.replaceAll('&#39;', "'");
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain(`style-src ${hash(inner(html, 'style'))}`);
    expect(policy).toContain(`script-src ${hash(inner(html, 'script'))}`);
  });

  it('shows an attacker-controlled response body as text: no markup of it survives', () => {
    expect(html).not.toContain('window.__pwned = 1</script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain(markup(HOSTILE_BODY));
    expect(html).toContain('x-evil: &quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).toContain('an uploaded file reads back as it was written &lt;b&gt;');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may be left.
    expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
  });

  it('heads the page with the suite version, target, seed, date and verdict', () => {
    expect(html).toContain('<title>edgeproof conformance: FAILED — url http://edge:8082</title>');
    expect(html).toContain('<span class="verdict FAILED" id="run-verdict">FAILED</span>');
    for (const [name, value] of [
      ['Suite', 'edgeproof 1.0.0'],
      ['Target', 'url http://edge:8082 (url)'],
      ['Seed', '42'],
      ['Started', '2026-11-30T10:00:00.000Z'],
      ['Scenarios', '1 passed, 1 failed, 1 expected failures, 1 passed unexpectedly, 1 not applicable'],
      ['MUST passed', 'core 1/3 (33.3%) · read-only 0/2 (0%)'],
      ['Expected failures', `xfail.json (sha256 ${'cd'.repeat(32)})`],
    ]) {
      expect(html).toContain(`<dt>${name}</dt><dd>${value}</dd>`);
    }
    expect(html).toContain('<li>MUST requirement EDGE-RO-1 (read-only) was checked by no scenario</li>');
  });

  it('has a matrix row per requirement with its level, profile, verdict and scenario links, filterable by profile and verdict', () => {
    const rows = [...html.matchAll(/<tr id="req-([^"]+)" data-requirement="([^"]+)" data-profile="([^"]+)" data-verdict="([^"]+)">(.*?)<\/tr>/g)];
    expect(rows.map((r) => [r[2], r[3], r[4]])).toEqual([
      ['EDGE-SYS-1', 'core', 'passed'],
      ['EDGE-SYS-2', 'core', 'xfailed'],
      ['EDGE-SYS-3', 'core', 'failed'],
      ['EDGE-RO-4', 'read-only', 'failed'],
      ['EDGE-IN-7', 'core', 'failed'],
      ['EDGE-RO-1', 'read-only', 'untested'],
    ]);
    const ro4 = rows[3]![5]!;
    expect(ro4).toContain('<td>MUST</td>');
    expect(ro4).toContain('<a href="#scenario-uploads__hostile-body"><code>uploads/hostile-body</code></a>');
    expect(rows[0]![5]).toContain('<td class="text">The <code>service_id</code> is stable.</td>');
    expect(rows[2]![5]).toContain('The version &lt;is&gt; 7.x.');
    expect(html).toContain(
      '<select id="filter-profile"><option value="">all</option><option value="core">core</option><option value="read-only">read-only</option></select>',
    );
  });

  it('shows each failure with its steps, message, diff, exchanges and the commands that run it again', () => {
    const article = html.slice(html.indexOf('<article class="scenario status-failed" id="scenario-uploads__hostile-body"'), html.indexOf('</article>'));
    expect(article).toContain('<pre class="message">expected 403 to be 201 \ufffd\ufffd\nsecond line</pre>');
    expect(article).toContain('<span class="diff-del">-   &quot;status&quot;: 201</span>\n<span class="diff-add">+   &quot;status&quot;: 403</span>');
    expect(article).toContain('<li class="failed">read it back <span class="failed">(failed, 5 ms)</span></li>');
    expect(article).toContain('<summary>1. <code>PUT /artifactory/artifactory-edge-uploads/x.html?a=1&amp;b=&lt;2&gt;</code>');
    expect(article).toContain('authorization: Basic &lt;redacted&gt;');
    expect(article).toContain('<h4>Counterexample (seed 42, path <code>0:1:2</code>, replayPath <code>AAB:C</code>)</h4>');
    expect(article).toContain('&quot;kind&quot;: &quot;reset&quot;');
    expect(article).toContain(
      '<pre>npx edgeproof conformance --target url --url http://edge:8082 --level should --runs 20 --xfail xfail.json --grep &#39;^uploads/hostile-body$&#39; --seed 42</pre>',
    );
    expect(article).toContain('<pre>npx edgeproof replay reports/out/replays/uploads__hostile-body.json</pre> <a href="replays/uploads__hostile-body.json">');
    // The last exchange is open, the earlier ones folded.
    expect(article.match(/<details class="exchange" open>/g)).toHaveLength(1);
  });

  it('lists the unexpected pass with the failures, and the expected failure apart', () => {
    const failures = html.slice(html.indexOf('<section id="failures">'), html.indexOf('<section id="expected-failures">'));
    expect(failures).toContain('<h2>Failures (2)</h2>');
    expect(failures).toContain('data-scenario="system/version"');
    expect(html.slice(html.indexOf('<section id="expected-failures">'))).toContain('data-scenario="system/license-is-edge"');
  });

  it('is the same bytes for the same result', () => {
    expect(htmlReport(fixedRunResult(), context)).toBe(html);
  });
});
