import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustedCertificates } from './trusted-certificates.ts';
import { makeIssuer, type Issuer } from '../../test/trust-fixtures.ts';

/**
 * EDGE-TRUST-3 without the folder watcher: `start()` is never called, so every change below
 * is noticed by the lookups themselves — the guarantee does not hang on when fs.watch fires.
 */
describe('EDGE-TRUST-3: trusted folder lookups without a watcher', () => {
  let dir: string;
  let one: Issuer;
  let two: Issuer;
  let trusted: TrustedCertificates;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edgeproof-trusted-'));
    [one, two] = await Promise.all([makeIssuer(), makeIssuer('jfrt@01two0000000000000000000')]);
    trusted = new TrustedCertificates(dir, pino({ level: 'silent' }), Date.now);
    await trusted.rescan();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('a new file is found by the first lookup of its kid', async () => {
    expect(await trusted.keyFor(one.kid)).toBeUndefined();
    await writeFile(join(dir, 'one.crt'), one.certificatePem);
    expect((await trusted.keyFor(one.kid))?.equals(one.publicKey)).toBe(true);
  });

  it('a file rewritten in place with another certificate: the old kid stops, the new one works', async () => {
    await writeFile(join(dir, 'one.crt'), two.certificatePem);
    expect(await trusted.keyFor(one.kid)).toBeUndefined();
    expect((await trusted.keyFor(two.kid))?.equals(two.publicKey)).toBe(true);
  });

  it('a refused file that is fixed in place is found', async () => {
    await writeFile(join(dir, 'late.crt'), '');
    expect(await trusted.keyFor(one.kid)).toBeUndefined();
    expect((await trusted.current()).refused.map((r) => r.alias)).toEqual(['late']);
    await writeFile(join(dir, 'late.crt'), one.certificatePem);
    expect((await trusted.keyFor(one.kid))?.equals(one.publicKey)).toBe(true);
  });

  it('a removed file stops trusting at once', async () => {
    await rm(join(dir, 'late.crt'));
    expect(await trusted.keyFor(one.kid)).toBeUndefined();
    await rm(join(dir, 'one.crt'));
    expect(await trusted.keyFor(two.kid)).toBeUndefined();
  });

  it('a folder that disappears trusts nothing and is not an error', async () => {
    await writeFile(join(dir, 'one.crt'), one.certificatePem);
    expect(await trusted.keyFor(one.kid)).toBeDefined();
    await rm(dir, { recursive: true });
    expect(await trusted.keyFor(one.kid)).toBeUndefined();
    expect(await trusted.current()).toEqual({ trusted: [], refused: [] });
  });
});
