import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessMaterial } from '../fixtures/keys/index.ts';
import { AccessClient } from '../protocol/clients/index.ts';
import { DEFAULT_PROFILES, runConformance, SUITE, SUITE_VERSION, urlTarget, type Profile } from '../scenarios/index.ts';
import { raw, type RawResponse } from './edge-harness.ts';
import { unexplainedNotApplicable } from './not-applicable.ts';
import { serveEdge, type ServedEdge } from './served-edge.ts';

/**
 * EDGE-CLU-1, EDGE-CLU-2, EDGE-AUTH-11: `edgeproof serve --workers 2` started as users start it,
 * checked over HTTP: the conformance profiles through the url target, and a token revoked
 * through one worker refused by the other. Which worker answered is read from the access log,
 * where every line carries its process's PID (pino's default), matched by the request id each
 * answer carries; nothing is added to the answers for it.
 */

const PASSWORD = 'workers-admin-password';
/**
 * Every default profile (425 scenarios) takes 15 to 25 minutes on a busy 2-core machine, so a
 * plain run takes the profiles whose state most depends on the shared stores (transactions,
 * tokens and trust); EDGEPROOF_WORKERS_FULL=1 runs the default selection, as `edgeproof
 * conformance` does.
 */
const PROFILES: readonly Profile[] = process.env.EDGEPROOF_WORKERS_FULL === '1' ? DEFAULT_PROFILES : ['edp', 'trust'];
let work: string;
let served: ServedEdge;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'edgeproof-workers-'));
  served = await serveEdge(['--data-dir', join(work, 'edge'), '--admin-password', PASSWORD, '--workers', '2', '--log-level', 'info']);
}, 120_000);
afterAll(async () => {
  await served?.stop();
  await rm(work, { recursive: true, force: true });
});

/** The PID of the process whose access log line has this request id. */
function answeredBy(res: RawResponse): number {
  const id = res.headers['x-request-id'];
  for (const line of served.output().split('\n')) {
    if (!line.includes(`"requestId":"${id}"`)) continue;
    const entry = JSON.parse(line) as { msg?: string; pid?: number };
    if (entry.msg === 'request' && entry.pid !== undefined) return entry.pid;
  }
  throw new Error(`no access log line for request ${String(id)}`);
}

/** `count` requests, each on its own connection so that the workers share them out. */
async function spread(count: number, authorization: string): Promise<{ status: number; pid: number }[]> {
  const answers = await Promise.all(
    Array.from({ length: count }, () => raw(served.url, 'GET', '/artifactory/api/repositories', { headers: { authorization, connection: 'close' } })),
  );
  // The log line is written as the answer goes; give the pipe a moment.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return answers.map((res) => ({ status: res.status, pid: answeredBy(res) }));
}

describe('EDGE-CLU-1: edgeproof serve --workers 2', () => {
  it('EDGE-CLU-1: prints one start-up line naming its workers, and both of them answer', async () => {
    expect(served.output()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\/artifactory \(data: .*, 2 workers, primary PID \d+\)/);
    const answers = await spread(12, `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(new Set(answers.map((a) => a.pid)).size).toBe(2);
  });

  it('EDGE-AUTH-11: a token revoked through one worker is refused by both on the next request', async () => {
    const access = new AccessClient({ url: served.url, credentials: { user: 'admin', password: PASSWORD } });
    const issued = await access.createToken({ scope: 'applied-permissions/user' });
    const bearer = `Bearer ${issued.access_token}`;
    // Both workers verify the token and remember it (EDGE-AUTH-10).
    const before = await spread(12, bearer);
    expect(before.map((a) => a.status)).toEqual(Array(12).fill(200));
    expect(new Set(before.map((a) => a.pid)).size).toBe(2);

    await access.revokeToken(issued.token_id);
    const after = await spread(12, bearer);
    expect(after.map((a) => a.status)).toEqual(Array(12).fill(401));
    expect(new Set(after.map((a) => a.pid))).toEqual(new Set(before.map((a) => a.pid)));
  });

  it(`EDGE-CLU-2: the conformance profiles (${PROFILES.join(', ')}) pass against it through the url target`, async () => {
    const result = await runConformance({
      target: urlTarget({ url: served.url, user: 'admin', password: PASSWORD }),
      scenarios: SUITE,
      material: harnessMaterial(),
      selection: { profiles: [...PROFILES], level: 'MUST' },
      seed: 11,
      runs: 3,
      suite: { name: 'edgeproof', version: SUITE_VERSION },
      command: 'test',
      today: '2026-11-30',
    });
    console.log(`--workers 2, ${PROFILES.join(', ')}: ${result.scenarios.length} scenarios (${JSON.stringify(result.summary)})`);
    const problems = result.scenarios.filter((s) => s.status !== 'passed' && s.status !== 'not-applicable').map((s) => `${s.id}: ${s.failure?.message}`);
    expect(problems).toEqual([]);
    expect(unexplainedNotApplicable(result)).toEqual([]);
    expect(result.requirements.filter((r) => r.verdict === 'failed')).toEqual([]);
  }, 1_500_000);
});
