import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessMaterial } from '../fixtures/keys/index.ts';
import {
  embeddedTarget,
  readReplay,
  REPLAY_FORMAT,
  ReplayFileError,
  replayScenario,
  runConformance,
  scenario,
  SUITE_VERSION,
  writeReplays,
  type Replay,
  type RunResult,
  type Scenario,
  type Target,
  type Waiver,
} from '../scenarios/index.ts';
import { expect as scenarioExpect } from '../scenarios/kit/expect.ts';
import { localRepo } from '../scenarios/kit/world.ts';
import { brokenLicenceTarget, edgeAtUrl, type EdgeAtUrl } from './broken-edge.ts';
import { CLI_TEST_TIMEOUT_MS, edgeproof } from './served-edge.ts';

/**
 * Replay (issue #10, "Running and reporting"): a failed run writes a replay file per failure;
 * `replayScenario` / `edgeproof replay` run that one scenario again with the same seed (a
 * property: only its shrunk counterexample) and say whether it still fails with the same steps.
 * The failures come from an Edge whose licence is broken (EDGE-SYS-2); "fixing" it is running
 * against our real Edge.
 */

/** Test-only scenarios: one with steps and run-unique names, one property, one that passes. */
const steps = scenario({
  id: 'replay-test/licence-after-a-repository',
  title: 'a repository is created and read back, and the licence says Edge',
  requirements: ['EDGE-SYS-2'],
  async run(t) {
    const key = await t.step('create a repository', () => localRepo(t, 'replay'));
    await t.step('read it back', async () => {
      scenarioExpect((await t.http('GET', `/artifactory/api/repositories/${key}`)).status).toBe(200);
    });
    await t.step('read the licence', async () => {
      scenarioExpect((await t.http('GET', '/artifactory/api/system/license')).json()).toMatchObject({ type: 'Edge' });
    });
  },
});
const property = scenario({
  id: 'replay-test/licence-property',
  title: 'from the 7th read on, the licence says Edge',
  requirements: ['EDGE-SYS-2'],
  property: true,
  async run(t) {
    await t.property(
      () =>
        fc.asyncProperty(fc.integer({ min: 0, max: 50 }), async (n) => {
          if (n < 7) return;
          await t.step(`read the licence, n = ${n}`, async () => {
            scenarioExpect((await t.http('GET', `/artifactory/api/system/license?n=${n}`)).json()).toMatchObject({ type: 'Edge' });
          });
        }),
      ([n]) => [`n = ${n}`],
    );
  },
});
const passing = scenario({
  id: 'replay-test/ping',
  title: 'the Edge answers its ping',
  requirements: ['EDGE-SYS-1'],
  async run(t) {
    scenarioExpect((await t.http('GET', '/artifactory/api/system/ping')).text).toBe('OK');
  },
});
const SCENARIOS: readonly Scenario[] = [steps, property, passing];

let work: string;
let recorded: RunResult;

function run(target: Target, waivers: Waiver[] = []): Promise<RunResult> {
  return runConformance({
    target,
    scenarios: SCENARIOS,
    material: harnessMaterial(),
    selection: { profiles: ['core'], level: 'MUST' },
    seed: 42,
    runs: 30,
    waivers,
    suite: { name: 'edgeproof', version: SUITE_VERSION },
    command: 'test',
    today: '2026-11-30',
  });
}

function replay(file: Replay, target: Target) {
  return replayScenario({ replay: file, scenarios: SCENARIOS, target, material: harnessMaterial(), today: '2026-11-30' });
}

const replayFile = (id: string) => readReplay(join(work, 'out', 'replays', `${id.replaceAll('/', '__')}.json`));

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'edgeproof-replay-'));
  recorded = await writeReplays(await run(brokenLicenceTarget()), join(work, 'out'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('replay files', () => {
  it('every failure gets one, named after its scenario, and the result points to it', () => {
    expect(recorded.scenarios.map((s) => [s.id, s.status, s.replayFile])).toEqual([
      [steps.id, 'failed', 'replays/replay-test__licence-after-a-repository.json'],
      [property.id, 'failed', 'replays/replay-test__licence-property.json'],
      [passing.id, 'passed', undefined],
    ]);
  });

  it('holds the suite, scenario, seeds, target, steps, exchanges and failure of a scripted scenario', async () => {
    const file = await replayFile(steps.id);
    const result = recorded.scenarios[0];
    expect(file).toMatchObject({
      format: REPLAY_FORMAT,
      suite: { name: 'edgeproof', version: SUITE_VERSION },
      scenario: { id: steps.id, title: steps.title },
      requirements: ['EDGE-SYS-2'],
      status: 'failed',
      seed: 42,
      scenarioSeed: result?.seed,
      runs: 30,
      runTag: recorded.runTag,
      installTrust: true,
      faultPlans: [],
      target: { kind: 'embedded', label: 'embedded edgeproof Edge whose licence says Enterprise', settings: {} },
      recordedAt: recorded.startedAt,
    });
    expect(file.counterexample).toBeUndefined();
    expect(file.steps.map((s) => [s.title, s.status])).toEqual([
      ['create a repository', 'passed'],
      ['read it back', 'passed'],
      ['read the licence', 'failed'],
    ]);
    const repo = `replay-${recorded.runTag}1`;
    expect(file.exchanges.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      `PUT /artifactory/api/repositories/${repo} 200`,
      `GET /artifactory/api/repositories/${repo} 200`,
      'GET /artifactory/api/system/license 200',
      // The cleanup after the verdict.
      `DELETE /artifactory/api/repositories/${repo} 200`,
    ]);
    expect(file.exchanges[2]?.responseBody?.preview).toContain('"type":"Enterprise"');
    expect(file.failure?.message).toMatch(/expected .* to match object/);
  });

  it('a property keeps its shrunk counterexample (seed and path) and only that execution', async () => {
    const file = await replayFile(property.id);
    expect(file.counterexample).toMatchObject({ seed: file.scenarioSeed, steps: ['n = 7'] });
    expect(file.counterexample?.path).toMatch(/^\d+(:\d+)*$/);
    expect(file.steps).toEqual([expect.objectContaining({ title: 'read the licence, n = 7', status: 'failed' })]);
    expect(file.exchanges.map((e) => `${e.method} ${e.path}`)).toEqual(['GET /artifactory/api/system/license?n=7']);
    expect(file.failure?.message).toMatch(/Counterexample: \[7\]/);
  });
});

describe('replayScenario', () => {
  it('against the same broken Edge: still fails, same steps (run-unique names aside)', async () => {
    const outcome = await replay(await replayFile(steps.id), brokenLicenceTarget());
    expect(outcome.summary).toBe('still fails, same steps');
    expect(outcome.reproduced).toBe(true);
    // A fresh run tag: the names differ, the comparison ignores that.
    expect(outcome.result.exchanges[0]?.path).not.toBe((await replayFile(steps.id)).exchanges[0]?.path);
  });

  it('a property replays its shrunk counterexample alone', async () => {
    const outcome = await replay(await replayFile(property.id), brokenLicenceTarget());
    expect(outcome.summary).toBe('still fails, same steps');
    expect(outcome.result.exchanges.map((e) => e.path)).toEqual(['/artifactory/api/system/license?n=7']);
  });

  it('after fixing the Edge: passes now', async () => {
    for (const id of [steps.id, property.id]) {
      const outcome = await replay(await replayFile(id), embeddedTarget());
      expect(outcome).toMatchObject({ reproduced: false, summary: 'passes now' });
      expect(outcome.result.status).toBe('passed');
    }
  });

  it('names the first step, then the first request, that differs from the recording', async () => {
    const file = await replayFile(steps.id);
    const otherStep = { ...file, steps: file.steps.map((s, i) => (i === 1 ? { ...s, title: 'read it twice' } : s)) };
    expect((await replay(otherStep, brokenLicenceTarget())).summary).toBe(
      'still fails, steps differ: first difference at step 2: recorded "read it twice (passed)", now "read it back (passed)"',
    );
    const fewerRequests = { ...file, exchanges: file.exchanges.slice(0, 2) };
    expect((await replay(fewerRequests, brokenLicenceTarget())).summary).toBe(
      'still fails, steps differ: first difference at request 3: recorded nothing, now "GET /artifactory/api/system/license"',
    );
  });

  it('an unexpected pass (strict waiver) replays as still passing', async () => {
    const waived = await writeReplays(
      await run(embeddedTarget(), [{ requirement: 'EDGE-SYS-1', reason: 'ping was broken', expires: '2099-12-31' }]),
      join(work, 'xpassed'),
    );
    expect(waived.scenarios.find((s) => s.id === passing.id)?.status).toBe('xpassed');
    const file = await readReplay(join(work, 'xpassed', 'replays', 'replay-test__ping.json'));
    expect(file.status).toBe('xpassed');
    const outcome = await replay(file, embeddedTarget());
    expect(outcome).toMatchObject({ reproduced: true, summary: 'still passes although a waiver expected it to fail, same steps' });
  });

  it("a passing property's summary step gives its runs and the time fast-check spent on them (npm run bench's harness figure)", async () => {
    const result = await runConformance({
      target: embeddedTarget(),
      scenarios: [property],
      material: harnessMaterial(),
      selection: { profiles: ['core'], level: 'MUST' },
      seed: 42,
      runs: 30,
      waivers: [],
      suite: { name: 'edgeproof', version: SUITE_VERSION },
      command: 'test',
      today: '2026-11-30',
    });
    const [only] = result.scenarios;
    expect(only?.status).toBe('passed');
    expect(only?.steps.map((s) => s.title)).toEqual(['30 generated runs matched the model']);
    // Most of the 30 runs read the licence over HTTP: not nothing, and within the scenario's own time.
    expect(only?.steps[0]?.durationMs).toBeGreaterThan(0);
    expect(only?.steps[0]?.durationMs).toBeLessThanOrEqual(only?.durationMs ?? 0);
  });

  it('a scenario the suite does not have is refused before anything runs', async () => {
    const file = { ...(await replayFile(steps.id)), scenario: { id: 'replay-test/gone', title: 'gone' } };
    await expect(replay(file, brokenLicenceTarget())).rejects.toThrow(
      new ReplayFileError('the replay names scenario replay-test/gone, which this suite does not have'),
    );
  });
});

describe('edgeproof replay', () => {
  let broken: EdgeAtUrl;
  beforeAll(async () => {
    broken = await edgeAtUrl(brokenLicenceTarget());
  });
  afterAll(() => broken?.close());

  it(
    'replays a failure of edgeproof conformance: still fails against the same Edge, passes now against a fixed one; bad files are exit 2',
    async () => {
      const out = join(work, 'cli');
      const env = { EDGEPROOF_CONFORMANCE_PASSWORD: broken.password };
      const run = await edgeproof(
        ['conformance', '--target', 'url', '--url', broken.url, '--grep', '^system/license-is-edge$', '--seed', '5', '--report', 'json', '--out', out],
        env,
      );
      expect(run.code, run.stderr).toBe(1);
      const file = join(out, 'replays', 'system__license-is-edge.json');
      expect(run.stderr).toContain(`replay system/license-is-edge: npx edgeproof replay ${file}\n`);
      const result = JSON.parse(await readFile(join(out, 'result.json'), 'utf8')) as RunResult;
      expect(result.scenarios[0]?.replayFile).toBe('replays/system__license-is-edge.json');

      const notJson = join(work, 'not-json.json');
      await writeFile(notJson, '{"format":');
      const unknown = join(work, 'unknown.json');
      await writeFile(unknown, JSON.stringify({ ...JSON.parse(await readFile(file, 'utf8')), scenario: { id: 'system/gone', title: 'gone' } }));

      const [again, fixed, bad, gone] = await Promise.all([
        edgeproof(['replay', file], env),
        edgeproof(['replay', file, '--target', 'embedded']),
        edgeproof(['replay', notJson]),
        edgeproof(['replay', unknown], env),
      ]);
      expect([again.code, again.stdout], again.stderr).toEqual([0, 'still fails, same steps\n']);
      expect(again.stderr).toContain(
        `edgeproof replay: system/license-is-edge (seed 5; recorded ${result.startedAt} against url ${broken.url}) against url ${broken.url}`,
      );
      expect([fixed.code, fixed.stdout], fixed.stderr).toEqual([1, 'passes now\n']);
      expect(fixed.stderr).toContain('against embedded edgeproof Edge');
      expect([bad.code, bad.stdout]).toEqual([2, '']);
      expect(bad.stderr).toMatch(/^edgeproof: \S+not-json\.json is not JSON: [^\n]+\n$/);
      expect([gone.code, gone.stdout]).toEqual([2, '']);
      expect(gone.stderr).toBe('edgeproof: the replay names scenario system/gone, which this suite does not have\n');
    },
    2 * CLI_TEST_TIMEOUT_MS,
  );
});
