import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGoodToken } from '../protocol/token/mutations.ts';
import { raw, startEdge } from './edge-harness.ts';
import { edgeproof } from './served-edge.ts';
import { bearer, codeOf, expiredIssuer, makeIssuer, type Issuer } from './trust-fixtures.ts';

let work: string;
let issuer: Issuer;
let issuerFile: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'edgeproof-trust-cli-'));
  issuer = await makeIssuer();
  issuerFile = join(work, 'us-east.crt');
  await writeFile(issuerFile, issuer.certificatePem);
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('EDGE-TRUST-5: edgeproof trust', () => {
  it('--help explains add, list and remove and the data directory option', async () => {
    const [top, help, add] = await Promise.all([edgeproof(['--help']), edgeproof(['trust', '--help']), edgeproof(['trust', 'add', '--help'])]);
    expect(top.stdout).toContain('trust');
    expect(help.code).toBe(0);
    for (const text of ['add', 'list', 'remove']) expect(help.stdout).toContain(text);
    expect(add.stdout).toMatch(/--data-dir[\s\S]*EDGEPROOF_DATA_DIR/);
    expect(add.stdout).toContain('--alias');
  });

  it('adds, lists (text and JSON), replaces and removes a certificate in the folder', async () => {
    const dataDir = join(work, 'edge-1');
    const added = await edgeproof(['trust', 'add', issuerFile, '--data-dir', dataDir]);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toContain(`Added trusted certificate 'us-east' (CN=${issuer.serviceId}, kid ${issuer.kid})`);
    expect(await readdir(join(dataDir, 'access', 'keys', 'trusted'))).toEqual(['us-east.crt']);

    const [text, listed] = await Promise.all([edgeproof(['trust', 'list', '-d', dataDir]), edgeproof(['trust', 'list', '-d', dataDir, '--json'])]);
    expect(text.stdout).toContain('us-east');
    expect(text.stdout).toContain(issuer.kid);
    const json = JSON.parse(listed.stdout) as { trusted: { alias: string; kid: string }[] };
    expect(json.trusted).toEqual([expect.objectContaining({ alias: 'us-east', kid: issuer.kid })]);

    expect((await edgeproof(['trust', 'add', issuerFile, '-d', dataDir, '--alias', 'us-east'])).stdout).toContain('Replaced');
    const removed = await edgeproof(['trust', 'remove', 'us-east', '-d', dataDir]);
    expect(removed).toMatchObject({ code: 0, stdout: "Removed trusted certificate 'us-east'.\n" });
    expect((await edgeproof(['trust', 'list', '-d', dataDir])).stdout).toBe('No trusted certificates.\n');
  });

  it('EDGE-TRUST-4: refuses what REST refuses, with one line and exit code 1, and writes nothing', async () => {
    const dataDir = join(work, 'edge-2');
    const expired = join(work, 'expired.crt');
    await writeFile(expired, (await expiredIssuer()).certificatePem);
    const garbage = join(work, 'garbage.crt');
    await writeFile(garbage, 'not a certificate');
    const cases: [string[], RegExp][] = [
      [['trust', 'add', expired, '-d', dataDir], /^edgeproof: Certificate refused: it expired on .+\.\n$/],
      [['trust', 'add', garbage, '-d', dataDir], /^edgeproof: Certificate refused: it does not parse/],
      [['trust', 'add', join(work, 'missing.crt'), '-d', dataDir], /^edgeproof: .*no such file/],
      [['trust', 'add', issuerFile, '-d', dataDir, '--alias', '../x'], /^edgeproof: Invalid alias/],
      [['trust', 'remove', 'nothing', '-d', dataDir], /^edgeproof: no trusted certificate 'nothing'/],
    ];
    const results = await Promise.all(cases.map(([args]) => edgeproof(args)));
    for (const [i, [args, message]] of cases.entries()) {
      const result = results[i] as Awaited<ReturnType<typeof edgeproof>>;
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    expect(await readdir(join(dataDir, 'access', 'keys', 'trusted'))).toEqual([]);
  });

  it('lists refused files in the folder with the reason', async () => {
    const dataDir = join(work, 'edge-3');
    await edgeproof(['trust', 'add', issuerFile, '-d', dataDir]);
    await writeFile(join(dataDir, 'access', 'keys', 'trusted', 'broken.crt'), 'nope');
    const listed = await edgeproof(['trust', 'list', '-d', dataDir]);
    expect(listed.stdout).toMatch(/broken \(REFUSED\)\n {2}Certificate refused: it does not parse/);
    expect(listed.stdout).toContain('us-east');
  });

  it('EDGE-TRUST-3: a running Edge follows what the command does on its very next request', async () => {
    const edge = await startEdge();
    try {
      const token = await makeGoodToken({
        trusted: issuer,
        untrusted: issuer,
        serviceId: '',
        clockSkewSecs: 0,
        now: Date.now,
        claims: { sub: `${issuer.serviceId}/users/svc`, scp: 'applied-permissions/admin', aud: '*@*', iss: issuer.serviceId, jti: 'cli' },
      });
      const ask = () => raw(edge.url, 'GET', '/artifactory/api/repositories', { headers: { authorization: bearer(token) } });
      expect(codeOf(await ask())).toBe('TOKEN_UNTRUSTED_ISSUER');
      expect((await edgeproof(['trust', 'add', issuerFile, '-d', edge.dataDir])).code).toBe(0);
      expect((await ask()).status).toBe(200);
      expect((await edgeproof(['trust', 'remove', 'us-east', '-d', edge.dataDir])).code).toBe(0);
      expect(codeOf(await ask())).toBe('TOKEN_UNTRUSTED_ISSUER');
    } finally {
      await edge.close();
    }
  });
});
