import { describe, expect, it } from 'vitest';
import { fixedRunResult } from './__fixtures__/run-result.ts';
import { all, parseXml } from './__fixtures__/xml.ts';
import { junitReport } from './junit.ts';

const context = { outDir: 'reports/out' };

describe('junit.xml', () => {
  const xml = junitReport(fixedRunResult(), context);
  const doc = parseXml(xml);
  const cases = all(doc, 'testcase');
  const byName = (prefix: string) => cases.find((c) => c.attributes.name!.startsWith(prefix))!;

  it('is well-formed XML 1.0 (a strict parser accepts it) with no control characters left', () => {
    expect(doc.name).toBe('testsuites');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may be left.
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  });

  it('has one testsuite per area, then a run suite for the reasons no scenario owns', () => {
    expect(all(doc, 'testsuite').map((s) => s.attributes.name)).toEqual(['system', 'uploads', 'run']);
    expect(doc.attributes).toMatchObject({
      name: 'edgeproof conformance 1.0.0',
      tests: '7',
      failures: '4',
      errors: '0',
      skipped: '2',
      time: '2.346',
      timestamp: '2026-11-30T10:00:00',
    });
    const system = all(doc, 'testsuite')[0]!;
    expect(system.attributes).toMatchObject({ tests: '4', failures: '1', skipped: '2' });
  });

  it('names each testcase by scenario id and requirement IDs, with the area as classname', () => {
    expect(cases.map((c) => [c.attributes.classname, c.attributes.name])).toEqual([
      ['system', 'system/service-id [EDGE-SYS-1]'],
      ['system', 'system/license-is-edge [EDGE-SYS-2]'],
      ['system', 'system/version [EDGE-SYS-3]'],
      ['system', 'system/service-id-survives-restart [EDGE-SYS-1]'],
      ['uploads', 'uploads/hostile-body [EDGE-RO-4, EDGE-IN-7]'],
      ['run', 'requirement EDGE-RO-1'],
      ['run', 'waiver EDGE-SYS-4 system/status'],
    ]);
    expect(byName('system/service-id [').children).toEqual([]);
    expect(byName('uploads/').attributes.time).toBe('0.152');
  });

  it('a failure carries its first line as message and the failed step, diff, last exchanges and commands as text', () => {
    const failure = byName('uploads/').children[0]!;
    expect(failure.name).toBe('failure');
    // Terminal colours gone, NUL and BEL replaced: a CI reader gets plain text.
    expect(failure.attributes).toEqual({ message: 'expected 403 to be 201 \ufffd\ufffd', type: 'failed' });
    const text = failure.text;
    expect(text).toContain('failed step: read it back');
    expect(text).toContain('- Expected\n+ Actual');
    expect(text).toContain('-   "status": 201\n+   "status": 403');
    expect(text).toContain('counterexample (seed 42, path 0:1:2, replayPath AAB:C):\n  upload(a.txt)');
    expect(text).toContain('cleanup problems:\n  could not delete');
    // The parser gives back exactly the characters that were escaped.
    expect(text).toContain(
      'last exchanges (2 of 2):\n  PUT /artifactory/artifactory-edge-uploads/x.html?a=1&b=<2> → 201\n  GET /artifactory/artifactory-edge-uploads/x.html → 200',
    );
    expect(text).toContain(
      "rerun: npx edgeproof conformance --target url --url http://edge:8082 --level should --runs 20 --xfail xfail.json --grep '^uploads/hostile-body$' --seed 42",
    );
    expect(text).toContain('replay: npx edgeproof replay reports/out/replays/uploads__hostile-body.json');
    expect(xml).toContain('x.html?a=1&amp;b=&lt;2&gt;');
  });

  it('skips expected failures and not-applicable scenarios saying which, and fails an unexpected pass', () => {
    const xfailed = byName('system/license-is-edge');
    expect(xfailed.children.map((c) => c.name)).toEqual(['skipped', 'system-out']);
    expect(xfailed.children[0]!.attributes.message).toBe('expected failure: licence endpoint not implemented yet');
    expect(xfailed.children[1]!.text).toContain('expected "Enterprise" to be "Edge"');
    expect(byName('system/service-id-survives-restart').children[0]!.attributes.message).toBe('not applicable: the target cannot restart the Edge');
    const xpassed = byName('system/version').children[0]!;
    expect(xpassed.name).toBe('failure');
    expect(xpassed.attributes).toEqual({ message: 'passed unexpectedly: expected to fail (old) but passed: remove the waiver', type: 'xpassed' });
  });

  it('fails the run suite for an untested MUST and an expired waiver', () => {
    expect(byName('requirement EDGE-RO-1').children[0]!.attributes.message).toBe('MUST requirement EDGE-RO-1 (read-only) was checked by no scenario');
    expect(byName('waiver EDGE-SYS-4').children[0]!.attributes.message).toBe(
      'the expected-failure entry for EDGE-SYS-4 (system/status) expired on 2026-01-01: fix it or renew it',
    );
  });

  it('gives every suite the seed, target, suite version and the command', () => {
    for (const suite of all(doc, 'testsuite')) {
      const properties = Object.fromEntries(all(suite, 'property').map((p) => [p.attributes.name, p.attributes.value]));
      expect(properties).toMatchObject({
        seed: '42',
        target: 'url http://edge:8082',
        'target.kind': 'url',
        suite: 'edgeproof 1.0.0',
        grep: 'system|uploads',
        xfail: `xfail.json sha256:${'cd'.repeat(32)}`,
        command: fixedRunResult().command,
      });
    }
  });

  it('is the same bytes for the same result', () => {
    expect(junitReport(fixedRunResult(), context)).toBe(xml);
  });
});
