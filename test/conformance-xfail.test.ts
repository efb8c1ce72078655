import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../scenarios/index.ts';
import { brokenLicenceTarget, edgeAtUrl, type EdgeAtUrl } from './broken-edge.ts';
import { CLI_TEST_TIMEOUT_MS, edgeproof } from './served-edge.ts';

/**
 * `edgeproof conformance --xfail FILE` (issue #10, expected failures): strict waivers, run by
 * the CLI against an Edge whose licence is broken (EDGE-SYS-2 fails, EDGE-SYS-1 holds).
 */

let dir: string;
let broken: EdgeAtUrl;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edgeproof-xfail-'));
  broken = await edgeAtUrl(brokenLicenceTarget());
});
afterAll(async () => {
  await broken?.close();
  await rm(dir, { recursive: true, force: true });
});

async function waivers(name: string, content: unknown): Promise<string> {
  const file = join(dir, `${name}.json`);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** The system scenarios against the broken Edge, with `--xfail file` when given. */
async function run(out: string, xfail?: string) {
  const outDir = join(dir, out);
  const args = ['conformance', '--target', 'url', '--url', broken.url, '--user', broken.user, '--grep', '^system/(service-id|license-is-edge)$', '--seed', '7'];
  const res = await edgeproof([...args, ...(xfail ? ['--xfail', xfail] : []), '--report', 'json', '--out', outDir], {
    EDGEPROOF_CONFORMANCE_PASSWORD: broken.password,
  });
  const result = res.code === 2 ? undefined : (JSON.parse(await readFile(join(outDir, 'result.json'), 'utf8')) as RunResult);
  const status = (id: string) => result?.scenarios.find((s) => s.id === id)?.status;
  return { ...res, result, status };
}

describe('edgeproof conformance --xfail', () => {
  it(
    'a malformed file (an entry without an expiry date) is exit 2 with one line naming the file and the member, before any scenario runs',
    async () => {
      const file = await waivers('no-expiry', { expectedFailures: [{ requirement: 'EDGE-SYS-2', reason: 'licence text' }] });
      const res = await run('no-expiry', file);
      expect(res.code, res.stderr).toBe(2);
      expect(res.stderr).toMatch(new RegExp(`^edgeproof: ${file.replace(/[.\\/]/g, '\\$&')}: expectedFailures\\.0\\.expires: [^\\n]+\\n$`));
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'a waiver covering the failing scenario makes the run pass, counted as an expected failure',
    async () => {
      const file = await waivers('covering', {
        expectedFailures: [{ requirement: 'EDGE-SYS-2', scenario: 'system/license-is-edge', reason: 'licence type pending', expires: '2099-12-31' }],
      });
      const res = await run('covering', file);
      expect(res.code, res.stderr).toBe(0);
      expect(res.status('system/license-is-edge')).toBe('xfailed');
      expect(res.result?.summary).toMatchObject({ passed: 1, failed: 0, xfailed: 1, xpassed: 0 });
      expect(res.result?.waivers).toEqual([
        { requirement: 'EDGE-SYS-2', scenario: 'system/license-is-edge', reason: 'licence type pending', expires: '2099-12-31', state: 'used' },
      ]);
      expect(res.stderr).toMatch(/1 expected failures/);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'a waiver on a passing scenario fails the run (strict: it passed unexpectedly)',
    async () => {
      const file = await waivers('stale', {
        expectedFailures: [
          { requirement: 'EDGE-SYS-2', reason: 'licence type pending', expires: '2099-12-31' },
          { requirement: 'EDGE-SYS-1', reason: 'service id was wrong once', expires: '2099-12-31' },
        ],
      });
      const res = await run('stale', file);
      expect(res.code, res.stderr).toBe(1);
      expect(res.status('system/service-id')).toBe('xpassed');
      expect(res.status('system/license-is-edge')).toBe('xfailed');
      expect(res.result?.summary.xpassed).toBe(1);
      expect(res.result?.scenarios.find((s) => s.id === 'system/service-id')?.replayFile).toBe('replays/system__service-id.json');
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'an expired waiver waives nothing: the broken licence is caught (EDGE-SYS-2 failed) and the run fails',
    async () => {
      const file = await waivers('expired', { expectedFailures: [{ requirement: 'EDGE-SYS-2', reason: 'licence type pending', expires: '2020-01-31' }] });
      const res = await run('expired', file);
      expect(res.code, res.stderr).toBe(1);
      expect(res.status('system/license-is-edge')).toBe('failed');
      expect(res.status('system/service-id')).toBe('passed');
      expect(res.result?.requirements.find((r) => r.id === 'EDGE-SYS-2')?.verdict).toBe('failed');
      expect(res.result?.waivers[0]?.state).toBe('expired');
      expect(res.result?.scenarios.find((s) => s.id === 'system/license-is-edge')?.reason).toBe('waiver for EDGE-SYS-2 expired on 2020-01-31');
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
