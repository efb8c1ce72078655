import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT_MS, edgeproof } from '../test/served-edge.ts';

/** EDGE-BIN-5: `edgeproof serve` on a binary store that cannot work refuses in one line, no secret in it. */

const SECRET = 'sEcReT-that-must-never-show-0123456789';
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'edgeproof-binaries-refusals-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

const serve = (name: string, env: Record<string, string>) =>
  edgeproof(
    ['serve', '--port', '0', '--data-dir', join(work, name)],
    { EDGEPROOF_S3_SECRET_ACCESS_KEY: SECRET, EDGEPROOF_S3_ACCESS_KEY_ID: 'id', ...env },
    { killAfterMs: 30_000 },
  );

describe('EDGE-BIN-5: binary store refusals', () => {
  it.each([
    ['s3 without a bucket', { EDGEPROOF_BINARIES_TYPE: 's3' }, 2, /^edgeproof: Invalid configuration: 's3Bucket' must be set when binariesType is s3$/],
    [
      'sharded with fewer shards than copies',
      { EDGEPROOF_BINARIES_TYPE: 'sharded', EDGEPROOF_BINARIES_SHARDS: '/tmp/one', EDGEPROOF_BINARIES_REDUNDANCY: '2' },
      2,
      /^edgeproof: Invalid configuration: EDGEPROOF_BINARIES_SHARDS must name at least binariesRedundancy \(2\) directories when binariesType is sharded \(found 1\)$/,
    ],
    [
      'azure without a container',
      { EDGEPROOF_BINARIES_TYPE: 'azure', EDGEPROOF_AZURE_CONNECTION_STRING: `AccountKey=${SECRET}` },
      2,
      /'azureContainer' must be set when binariesType is azure$/,
    ],
  ])('EDGE-BIN-5: %s is refused before anything starts', { timeout: CLI_TEST_TIMEOUT_MS }, async (_name, env, code, line) => {
    const result = await serve('bad-config', env);
    expect(result.code, result.stderr).toBe(code);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(result.stderr.trim()).toMatch(line);
    expect(result.stderr).not.toContain(SECRET);
  });

  it('EDGE-BIN-5: an S3 endpoint nothing answers on refuses the start in one line, exit code 1, without the secret', {
    timeout: CLI_TEST_TIMEOUT_MS,
  }, async () => {
    const port = await closedPort();
    const result = await serve('unreachable', {
      EDGEPROOF_BINARIES_TYPE: 's3',
      EDGEPROOF_S3_BUCKET: 'b',
      EDGEPROOF_S3_ENDPOINT: `http://127.0.0.1:${port}`,
      EDGEPROOF_S3_FORCE_PATH_STYLE: 'true',
    });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(result.stderr).toMatch(new RegExp(`^edgeproof: binary store s3://b/ at http://127.0.0.1:${port} cannot be reached \\(.*ECONNREFUSED.*\\)\\n$`));
    expect(result.stderr).not.toContain(SECRET);
  });

  it('EDGE-BIN-5: an Azure endpoint nothing answers on refuses the start in one line, exit code 1, without the connection string', {
    timeout: CLI_TEST_TIMEOUT_MS,
  }, async () => {
    const port = await closedPort();
    const connection = `DefaultEndpointsProtocol=http;AccountName=acct;AccountKey=${Buffer.from(SECRET).toString('base64')};BlobEndpoint=http://127.0.0.1:${port}/acct;`;
    const result = await serve('unreachable-azure', {
      EDGEPROOF_BINARIES_TYPE: 'azure',
      EDGEPROOF_AZURE_CONNECTION_STRING: connection,
      EDGEPROOF_AZURE_CONTAINER: 'c',
    });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^edgeproof: binary store azure:\/\/acct\/c cannot be reached \(.*\)\n$/);
    expect(result.stderr).not.toContain(Buffer.from(SECRET).toString('base64'));
  });
});
