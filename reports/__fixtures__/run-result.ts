import type { RunResult, ScenarioResult } from '../../scenarios/index.ts';

/**
 * A fixed run for the writers' tests: one scenario of every status, an untested MUST, an
 * expired waiver, and text an Edge under test controls (a response body with a script, a
 * message with terminal colours and control characters).
 */

/** A response body an attacker-controlled Edge could send: it must show as text everywhere. */
export const HOSTILE_BODY = `<script>window.__pwned = 1</script><img src=x onerror="alert('x')"> & ]]> \`code\` | [link](javascript:alert(1))`;

/** A failure message with a terminal colour, NUL and a bell, and two lines. */
export const NOISY_MESSAGE = 'expected \u001b[31m403\u001b[39m to be 201 \u0000\u0007\nsecond line';

const body = (preview: string) => ({ length: Buffer.byteLength(preview), sha256: 'ab'.repeat(32), preview, truncated: false });

const failed: ScenarioResult = {
  id: 'uploads/hostile-body',
  title: 'an uploaded file reads back as it was written <b>',
  requirements: ['EDGE-RO-4', 'EDGE-IN-7'],
  status: 'failed',
  durationMs: 152.4,
  seed: -12345,
  failure: { message: NOISY_MESSAGE, expected: '{\n  "status": 201\n}', actual: '{\n  "status": 403\n}' },
  steps: [
    { title: 'upload <the> file', status: 'passed', durationMs: 10 },
    { title: 'read it back', status: 'failed', durationMs: 5 },
  ],
  exchanges: [
    {
      seq: 1,
      step: 'upload <the> file',
      method: 'PUT',
      path: '/artifactory/artifactory-edge-uploads/x.html?a=1&b=<2>',
      requestHeaders: { authorization: 'Basic <redacted>', 'content-type': 'text/html' },
      requestBody: body(HOSTILE_BODY),
      status: 201,
      responseHeaders: { 'content-type': 'application/json' },
      responseBody: body('{"created":true}'),
      durationMs: 3.2,
    },
    {
      seq: 2,
      step: 'read it back',
      method: 'GET',
      path: '/artifactory/artifactory-edge-uploads/x.html',
      requestHeaders: { authorization: 'Basic <redacted>' },
      status: 200,
      responseHeaders: { 'content-type': 'text/html', 'x-evil': '"><script>alert(2)</script>' },
      responseBody: body(HOSTILE_BODY),
      durationMs: 1.1,
    },
  ],
  faultPlans: [
    { description: 'reset the second GET', seed: 9, rules: [{ service: '*', direction: 'inbound', route: '/**', fault: { kind: 'reset', afterBytes: 10 } }] },
  ],
  counterexample: { seed: 42, path: '0:1:2', replayPath: 'AAB:C', steps: ['upload(a.txt)', 'restart()', 'read(a.txt) <differs>'] },
  cleanupProblems: ['could not delete /artifactory/artifactory-edge-uploads/x.html: 500'],
  replayFile: 'replays/uploads__hostile-body.json',
};

export function fixedRunResult(): RunResult {
  const scenarios: ScenarioResult[] = [
    {
      id: 'system/service-id',
      title: 'the service id is jfrt@<ulid>',
      requirements: ['EDGE-SYS-1'],
      status: 'passed',
      durationMs: 12.5,
      seed: 1,
      steps: [],
      exchanges: [],
      faultPlans: [],
    },
    failed,
    {
      id: 'system/license-is-edge',
      title: 'the licence says Edge',
      requirements: ['EDGE-SYS-2'],
      status: 'xfailed',
      durationMs: 4,
      seed: 2,
      failure: { message: 'expected "Enterprise" to be "Edge"' },
      reason: 'licence endpoint not implemented yet',
      steps: [],
      exchanges: [],
      faultPlans: [],
    },
    {
      id: 'system/version',
      title: 'the version is 7.x',
      requirements: ['EDGE-SYS-3'],
      status: 'xpassed',
      durationMs: 3,
      seed: 3,
      reason: 'expected to fail (old) but passed: remove the waiver',
      steps: [],
      exchanges: [],
      faultPlans: [],
    },
    {
      id: 'system/service-id-survives-restart',
      title: 'restart keeps the id',
      requirements: ['EDGE-SYS-1'],
      status: 'not-applicable',
      durationMs: 0.2,
      seed: 4,
      reason: 'the target cannot restart the Edge',
      steps: [],
      exchanges: [],
      faultPlans: [],
    },
  ];
  return {
    format: 'edgeproof-conformance-result/1',
    suite: { name: 'edgeproof', version: '1.0.0' },
    target: { kind: 'url', label: 'url http://edge:8082', settings: { url: 'http://edge:8082' } },
    startedAt: '2026-11-30T10:00:00.000Z',
    runTag: 'f1x7ed',
    installTrust: true,
    durationMs: 2345.6,
    seed: 42,
    runs: 20,
    selection: { profiles: ['core', 'read-only'], level: 'SHOULD', grep: 'system|uploads' },
    xfail: { file: 'xfail.json', sha256: 'cd'.repeat(32) },
    command: "npx edgeproof conformance --target url --url http://edge:8082 --level should --grep 'system|uploads' --seed 42 --runs 20 --xfail xfail.json",
    scenarios,
    requirements: [
      {
        id: 'EDGE-SYS-1',
        level: 'MUST',
        profile: 'core',
        text: 'The `service_id` is stable.',
        source: 'jfrog',
        verdict: 'passed',
        scenarios: ['system/service-id', 'system/service-id-survives-restart'],
      },
      {
        id: 'EDGE-SYS-2',
        level: 'MUST',
        profile: 'core',
        text: 'The licence says `Edge`.',
        source: 'jfrog',
        verdict: 'xfailed',
        scenarios: ['system/license-is-edge'],
      },
      { id: 'EDGE-SYS-3', level: 'SHOULD', profile: 'core', text: 'The version <is> 7.x.', source: 'jfrog', verdict: 'failed', scenarios: ['system/version'] },
      {
        id: 'EDGE-RO-4',
        level: 'MUST',
        profile: 'read-only',
        text: 'Uploads are writable.',
        source: 'jfrog',
        verdict: 'failed',
        scenarios: ['uploads/hostile-body'],
      },
      { id: 'EDGE-IN-7', level: 'MUST', profile: 'core', text: 'No 500.', source: 'jfrog', verdict: 'failed', scenarios: ['uploads/hostile-body'] },
      { id: 'EDGE-RO-1', level: 'MUST', profile: 'read-only', text: 'Writes are refused.', source: 'jfrog', verdict: 'untested', scenarios: [] },
    ],
    waivers: [
      { requirement: 'EDGE-SYS-2', reason: 'licence endpoint not implemented yet', expires: '2027-01-01', state: 'used' },
      { requirement: 'EDGE-SYS-4', scenario: 'system/status', reason: 'old', expires: '2026-01-01', state: 'expired' },
    ],
    summary: { passed: 1, failed: 1, xfailed: 1, xpassed: 1, 'not-applicable': 1 },
    ok: false,
  };
}
