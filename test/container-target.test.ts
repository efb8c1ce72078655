import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { harnessMaterial } from '../fixtures/keys/index.ts';
import {
  CONTAINER_LABEL,
  containerTarget,
  dockerEngine,
  runConformance,
  SUITE,
  SUITE_VERSION,
  TargetUnavailable,
  type EdgeUnderTest,
  type RunResult,
} from '../scenarios/index.ts';
import { unexplainedNotApplicable } from './not-applicable.ts';

/**
 * The container target against the project's own image (docs/container.md). `.ci/run` starts
 * a Docker engine and builds the image before the tests; here the image is built only when it
 * is missing (this is the one file that uses it). Without an engine the suite is skipped on a
 * developer's machine and fails in CI, where the engine is part of the job.
 */

/** `EDGEPROOF_TEST_IMAGE` names another build of the same tree (engineers sharing one engine build their own tag). */
const IMAGE = process.env.EDGEPROOF_TEST_IMAGE ?? 'edgeproof:dev';
const run = promisify(execFile);

const engine = await dockerEngine().catch((error: unknown) => error as Error);
const noEngine = engine instanceof Error ? engine.message : undefined;

async function ensureImage(): Promise<void> {
  if (engine instanceof Error) throw engine;
  const present = await engine.docker
    .getImage(IMAGE)
    .inspect()
    .then(
      () => true,
      () => false,
    );
  if (!present) await run('bash', ['docker/build-image.sh', IMAGE], { timeout: 600_000 });
}

/** The harness's containers (running or not) that publish the Edges' ports, or had these ids. */
async function containersOf(edges: EdgeUnderTest[], ids: string[] = []): Promise<string[]> {
  if (engine instanceof Error) throw engine;
  const ports = edges.map((e) => Number(new URL(e.url).port));
  const all = await engine.docker.listContainers({ all: true, filters: { label: [CONTAINER_LABEL] } });
  return all.filter((c) => ids.includes(c.Id) || c.Ports.some((p) => ports.includes(p.PublicPort))).map((c) => c.Id);
}

/** Scenarios that neither passed nor were not applicable for a reason a container Edge explains. */
function failures(result: RunResult): string[] {
  const problems = result.scenarios.filter((s) => s.status !== 'passed' && s.status !== 'not-applicable');
  return [...problems.map((s) => `${s.id}: ${s.status} ${s.failure?.message ?? ''}`), ...unexplainedNotApplicable(result)];
}

describe.skipIf(noEngine !== undefined && !process.env.CI)(`the container target on ${IMAGE}${noEngine ? ` (skipped: ${noEngine})` : ''}`, () => {
  it('runs the core and edp profiles against the image, the restart scenario included: ok, no scenario fails', { timeout: 1_200_000 }, async () => {
    await ensureImage();
    const result = await runConformance({
      target: containerTarget({ image: IMAGE }),
      scenarios: SUITE,
      material: harnessMaterial(),
      selection: { profiles: ['core', 'edp'], level: 'MUST' },
      seed: 1,
      // A container restart takes seconds; the model property's restarts are what cost here.
      runs: 3,
      suite: { name: 'edgeproof', version: SUITE_VERSION },
      command: `npx edgeproof conformance --target container --image ${IMAGE} --profile core,edp --seed 1 --runs 3`,
    });
    if (engine instanceof Error) throw engine;
    const imageId = (await engine.docker.getImage(IMAGE).inspect()).Id;
    expect(result.target).toEqual({
      kind: 'container',
      label: `container ${IMAGE}`,
      settings: { image: IMAGE },
      digest: { sha256: imageId.replace('sha256:', '') },
    });
    expect(result.scenarios.length).toBeGreaterThan(0);
    expect(failures(result)).toEqual([]);
    expect(result.scenarios.find((s) => s.id === 'system/service-id-survives-restart')?.status).toBe('passed');
    // The target starts its Edges with known body limits, so the scenarios that send a body
    // just past one run here rather than being not applicable.
    const limits = result.scenarios.filter((s) => s.requirements.includes('EDGE-IN-6'));
    expect(limits.length).toBeGreaterThan(0);
    expect(limits.filter((s) => s.status !== 'passed').map((s) => `${s.id}: ${s.status} ${s.reason ?? ''}`)).toEqual([]);
    expect(result.requirements.filter((r) => r.verdict === 'failed' || r.verdict === 'untested')).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('runs the packages profile against the image: the bundle-fed scenarios pass; those needing a loopback upstream are not applicable, as a container cannot reach it', {
    timeout: 600_000,
  }, async () => {
    await ensureImage();
    const result = await runConformance({
      target: containerTarget({ image: IMAGE }),
      scenarios: SUITE,
      material: harnessMaterial(),
      selection: { profiles: ['packages'], level: 'MUST' },
      seed: 1,
      runs: 3,
      suite: { name: 'edgeproof', version: SUITE_VERSION },
      command: `npx edgeproof conformance --target container --image ${IMAGE} --profile packages --seed 1 --runs 3`,
    });
    expect(failures(result)).toEqual([]);
    const passed = result.scenarios.filter((s) => s.status === 'passed');
    expect(passed.length).toBeGreaterThan(0);
    for (const s of result.scenarios.filter((s) => s.status !== 'passed')) expect(s.reason, s.id).toMatch(/^the target cannot reach-loopback: /);
  });

  it('starts more Edges, each its own container and data, and close() removes them all', { timeout: 300_000 }, async () => {
    await ensureImage();
    const target = containerTarget({ image: IMAGE });
    const ids: string[] = [];
    try {
      const first = await target.start();
      const second = await target.another?.();
      if (!second) throw new Error('the container target has no another()');
      expect(second.url).not.toBe(first.url);
      const serviceId = async (edge: EdgeUnderTest) =>
        (await fetch(`${edge.url}/artifactory/api/system/service_id`, { headers: { authorization: edge.admin } })).text();
      const [a, b] = await Promise.all([serviceId(first), serviceId(second)]);
      expect(a).toMatch(/^jfrt@/);
      expect(b).toMatch(/^jfrt@/);
      expect(a).not.toBe(b);
      ids.push(...(await containersOf([first, second])));
      expect(ids).toHaveLength(2);
    } finally {
      await target.close();
    }
    expect(await containersOf([], ids)).toEqual([]);
  });
});

describe('the container target without a Docker engine', () => {
  it('fails within 5 s with one line saying no engine answers and how to start one', async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    const started = performance.now();
    try {
      const error = await containerTarget({ image: IMAGE })
        .start()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(TargetUnavailable);
      const message = (error as Error).message;
      expect(message).not.toContain('\n');
      expect(message).toMatch(
        /^no Docker engine answers at unix:\/\/\/nonexistent\/docker\.sock \(ENOENT\): start one \(Debian: apt-get install docker\.io, then dockerd &/,
      );
      expect(performance.now() - started).toBeLessThan(5000);
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
  });

  it('edgeproof conformance --target container prints that one line alone and exits 2', { timeout: 60_000 }, async () => {
    const error = await run('node', ['bin/edgeproof.js', 'conformance', '--target', 'container', '--out', '/nonexistent/reports'], {
      env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    }).then(
      () => undefined,
      (e: unknown) => e as { code: number; stdout: string; stderr: string },
    );
    expect(error?.code).toBe(2);
    expect(error?.stdout).toBe('');
    expect(error?.stderr).toMatch(/^edgeproof: no Docker engine answers at unix:\/\/\/nonexistent\/docker\.sock \(ENOENT\): [^\n]+\n$/);
  });
});
