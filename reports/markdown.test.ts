import { describe, expect, it } from 'vitest';
import type { RunResult } from '../scenarios/index.ts';
import { fixedRunResult, HOSTILE_BODY } from './__fixtures__/run-result.ts';
import { code, markdownReport, text } from './markdown.ts';

const context = { outDir: 'reports/out' };

describe('summary.md', () => {
  const md = markdownReport(fixedRunResult(), context);
  const lines = md.split('\n');

  it('opens with the verdict, then the target, suite, seed and counts', () => {
    expect(lines[0]).toBe('## ❌ edgeproof conformance: FAILED');
    expect(md).toContain('**Target** url http://edge:8082 · **suite** edgeproof 1.0.0 · **seed** 42 · **started** 2026-11-30T10:00:00.000Z · 2.3 s');
    expect(md).toContain('Scenarios: 1 passed, 1 failed, 1 expected failures, 1 passed unexpectedly, 1 not applicable.');
  });

  it('gives each selected profile its MUST pass rate', () => {
    expect(md).toContain('| Profile | MUST passed | Rate |\n|---|---:|---:|\n| core | 1/3 | 33.3% |\n| read-only | 0/2 | 0% |\n');
  });

  it('lists each failure in one line with the command that replays it (or reruns it without a replay file)', () => {
    const failures = lines.filter((l) => l.startsWith('- ❌'));
    expect(failures).toEqual([
      '- ❌ `uploads/hostile-body` \\[EDGE-RO-4, EDGE-IN-7\\] — expected 403 to be 201 \ufffd\ufffd · replay: `npx edgeproof replay reports/out/replays/uploads__hostile-body.json`',
      "- ❌ `system/version` \\[EDGE-SYS-3\\] — passed unexpectedly · rerun: `npx edgeproof conformance --target url --url http://edge:8082 --level should --runs 20 --xfail xfail.json --grep '^system/version$' --seed 42`",
    ]);
    expect(md).toContain(
      '### The run also fails because\n\n- MUST requirement EDGE-RO-1 (read-only) was checked by no scenario\n- the expected-failure entry for EDGE-SYS-4 (system/status) expired on 2026-01-01: fix it or renew it\n',
    );
    expect(md).toContain('### Expected failures (1)\n\n- `system/license-is-edge` \\[EDGE-SYS-2\\]: licence endpoint not implemented yet\n');
    expect(md.trimEnd().split('\n').at(-1)).toBe(`The whole run again: \`${fixedRunResult().command}\``);
  });

  it('says WARNED when the run is ok only thanks to expected failures, PASSED when all passed', () => {
    const ok = (summary: Partial<RunResult['summary']>): RunResult => ({
      ...fixedRunResult(),
      ok: true,
      summary: { passed: 3, failed: 0, xfailed: 0, xpassed: 0, 'not-applicable': 0, ...summary },
    });
    expect(markdownReport(ok({ xfailed: 1 }), context).split('\n')[0]).toBe('## ⚠️ edgeproof conformance: WARNED');
    expect(markdownReport(ok({}), context).split('\n')[0]).toBe('## ✅ edgeproof conformance: PASSED');
  });

  it('escapes run text so it can become neither HTML, a link, emphasis nor a table cell', () => {
    const escaped = text(HOSTILE_BODY);
    expect(escaped).toBe(
      '\\<script\\>window.\\_\\_pwned = 1\\</script\\>\\<img src=x onerror="alert(\'x\')"\\> \\& \\]\\]\\> \\`code\\` \\| \\[link\\](javascript:alert(1))',
    );
    expect(text('a\nb\r\n  c')).toBe('a b c');
    // A code span holds backticks by a longer fence.
    expect(code("--grep 'a`b``c'")).toBe("```--grep 'a`b``c'```");
    expect(code('`x')).toBe('`` `x ``');
  });

  it('is the same bytes for the same result', () => {
    expect(markdownReport(fixedRunResult(), context)).toBe(md);
  });
});
