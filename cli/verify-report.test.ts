import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeproof as run } from '../test/served-edge.ts';

/**
 * The signed result end to end, as a vendor and a reader use it: `edgeproof conformance
 * --sign-key` writes attestation.dsse.json beside result.json, `edgeproof verify-report` checks
 * it, and refuses a changed result or another key in one line with exit code 1.
 */
// Each case starts a process or two (a few seconds each on a busy machine).
describe('edgeproof conformance --sign-key and edgeproof verify-report', { timeout: 60_000 }, () => {
  let dir: string;
  let out: string;
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edgeproof-attest-'));
    out = join(dir, 'out');
    for (const [name, pair] of [
      ['signer', generateKeyPairSync('ed25519')],
      ['other', generateKeyPairSync('ec', { namedCurve: 'prime256v1' })],
    ] as const) {
      await writeFile(file(`${name}.pem`), pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      await writeFile(file(`${name}.pub`), pair.publicKey.export({ type: 'spki', format: 'pem' }));
    }
    const conformance = await run([
      'conformance',
      '--grep',
      '^system/service-id$',
      '--seed',
      '5',
      '--report',
      'md',
      '--out',
      out,
      '--sign-key',
      file('signer.pem'),
    ]);
    expect(conformance.stderr).toContain(`wrote ${join(out, 'attestation.dsse.json')}`);
    expect(conformance.code).toBe(0);
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('signs result.json (written even when --report leaves json out) and verifies with the public key', async () => {
    const envelope = JSON.parse(await readFile(join(out, 'attestation.dsse.json'), 'utf8'));
    expect(envelope.payloadType).toBe('application/vnd.in-toto+json');
    const verified = await run(['verify-report', join(out, 'attestation.dsse.json'), '--key', file('signer.pub'), '--result', join(out, 'result.json')]);
    expect(verified.stderr).toBe('');
    expect(verified.stdout).toMatch(
      /^valid attestation: PASSED — edgeproof \S+ against embedded edgeproof Edge, seed 5: 1 passed, 0 warned, 0 failed; signed by [0-9a-f]{64}; result\.json matches\n$/,
    );
    expect(verified.code).toBe(0);
  });

  it('refuses a result.json with one byte changed, and another key, with one line and exit code 1', async () => {
    const changed = Buffer.from(await readFile(join(out, 'result.json')));
    changed[changed.indexOf('"passed"') + 1] = 'P'.charCodeAt(0);
    await writeFile(file('changed.json'), changed);
    const tampered = await run(['verify-report', join(out, 'attestation.dsse.json'), '--key', file('signer.pub'), '--result', file('changed.json')]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toBe('');
    expect(tampered.stderr).toMatch(
      /^edgeproof: invalid attestation \S+: the result file's sha256 is [0-9a-f]{64}, but the attestation names [0-9a-f]{64}: it is not the attested result\.json\n$/,
    );

    const otherKey = await run(['verify-report', join(out, 'attestation.dsse.json'), '--key', file('other.pub')]);
    expect(otherKey.code).toBe(1);
    expect(otherKey.stderr).toMatch(/^edgeproof: invalid attestation \S+: it was signed by key [0-9a-f]{64}, not by the given key [0-9a-f]{64}\n$/);
  });

  it('says in one line, exit code 2, when a file cannot be read or a key is not one it signs with', async () => {
    const missing = await run(['verify-report', join(out, 'attestation.dsse.json'), '--key', file('nope.pub')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^edgeproof: cannot read \S+nope\.pub: ENOENT[^\n]*\n$/);

    await writeFile(file('rsa.pem'), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const rsa = await run(['conformance', '--out', join(dir, 'never'), '--sign-key', file('rsa.pem')]);
    expect(rsa.code).toBe(2);
    expect(rsa.stderr).toBe(`edgeproof: --sign-key: ${file('rsa.pem')} is a key of type rsa: attestations are signed with Ed25519 or ECDSA P-256\n`);
  });
});
