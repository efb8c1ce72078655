import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedRunResult } from './__fixtures__/run-result.ts';
import { signingKeyFromPem, writeReports } from './index.ts';

describe('writeReports', () => {
  let out: string;
  beforeEach(async () => {
    out = await mkdtemp(join(tmpdir(), 'edgeproof-reports-'));
  });
  afterEach(() => rm(out, { recursive: true, force: true }));

  it('writes each chosen format to its file; result.json is the whole result, and the same bytes every time', async () => {
    const result = fixedRunResult();
    const written = await writeReports(result, out, ['json', 'junit', 'html', 'md']);
    expect(written).toEqual(['result.json', 'junit.xml', 'report.html', 'summary.md'].map((f) => join(out, f)));
    const json = await readFile(join(out, 'result.json'), 'utf8');
    expect(JSON.parse(json)).toEqual(result);
    await writeReports(fixedRunResult(), out, ['json']);
    expect(await readFile(join(out, 'result.json'), 'utf8')).toBe(json);
  });

  it('with a signing key also writes result.json, and attests exactly the bytes it wrote', async () => {
    const key = signingKeyFromPem(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), 'key.pem');
    const written = await writeReports(fixedRunResult(), out, ['md'], { signKey: key });
    expect(written).toEqual(['summary.md', 'result.json', 'attestation.dsse.json'].map((f) => join(out, f)));
    expect((await readdir(out)).sort()).toEqual(['attestation.dsse.json', 'result.json', 'summary.md']);
    const envelope = JSON.parse(await readFile(join(out, 'attestation.dsse.json'), 'utf8'));
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString());
    const digest = createHash('sha256')
      .update(await readFile(join(out, 'result.json')))
      .digest('hex');
    expect(statement.subject[0]).toEqual({ name: 'result.json', digest: { sha256: digest }, mediaType: 'application/json' });
  });
});
