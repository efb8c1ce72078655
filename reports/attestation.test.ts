import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../scenarios/index.ts';
import { fixedRunResult } from './__fixtures__/run-result.ts';
import { attest, testResultStatement } from './attestation.ts';
import { decodeBase64, type Envelope, IN_TOTO_PAYLOAD_TYPE, pae, signEnvelope, signedBy } from './dsse.ts';
import { KeyError, type PublicKey, publicKeyFromPem, type SigningKey, signingKeyFromPem } from './keys.ts';
import { verifyAttestation } from './verify.ts';

const pem = (type: 'ed25519' | 'p256' | 'p384' | 'rsa') => {
  const pair =
    type === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : type === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ec', { namedCurve: type === 'p256' ? 'prime256v1' : 'secp384r1' });
  return {
    private: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    public: pair.publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
};

const keys = (type: 'ed25519' | 'p256'): { signer: SigningKey; verifier: PublicKey } => {
  const pair = pem(type);
  return { signer: signingKeyFromPem(pair.private, 'key.pem'), verifier: publicKeyFromPem(pair.public, 'pub.pem') };
};

const resultJson = (result: RunResult) => Buffer.from(`${JSON.stringify(result, null, 2)}\n`);

/** The envelope as a verifier reads it from disk. */
const text = (envelope: Envelope) => JSON.stringify(envelope, null, 2);

describe('DSSE', () => {
  it('PAE is the spec example byte for byte', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
    // Lengths count bytes, not characters.
    expect(pae('t', Buffer.from('é')).toString()).toBe('DSSEv1 1 t 2 é');
  });

  it("verifies the DSSE protocol's own test vector (ECDSA P-256, raw r‖s signature)", () => {
    const coordinate = (decimal: string) => Buffer.from(BigInt(decimal).toString(16).padStart(64, '0'), 'hex').toString('base64url');
    const key = createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: coordinate('46950820868899156662930047687818585632848591499744589407958293238635476079160'),
        y: coordinate('5640078356564379163099075877009565129882514886557779369047442380624545832820'),
      },
      format: 'jwk',
    });
    const verifier = publicKeyFromPem(key.export({ type: 'spki', format: 'pem' }), 'vector');
    const envelope: Envelope = {
      payload: 'aGVsbG8gd29ybGQ=',
      payloadType: 'http://example.com/HelloWorld',
      signatures: [{ sig: 'A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==' }],
    };
    expect(signedBy(envelope, Buffer.from('hello world'), verifier)).toBe(true);
    expect(signedBy({ ...envelope, payloadType: 'http://example.com/HelloWorlD' }, Buffer.from('hello world'), verifier)).toBe(false);
    expect(signedBy(envelope, Buffer.from('hello world!'), verifier)).toBe(false);
  });

  it('signs and verifies with Ed25519 and ECDSA P-256; keyid is the SHA-256 of the SPKI', () => {
    for (const type of ['ed25519', 'p256'] as const) {
      const { signer, verifier } = keys(type);
      const spki = verifier.key.export({ type: 'spki', format: 'der' });
      expect(signer.keyid).toBe(createHash('sha256').update(spki).digest('hex'));
      expect(verifier.keyid).toBe(signer.keyid);
      const envelope = signEnvelope('application/x-test', Buffer.from('body'), signer);
      expect(envelope.signatures[0]!.keyid).toBe(signer.keyid);
      expect(signedBy(envelope, Buffer.from('body'), verifier), type).toBe(true);
      expect(signedBy(envelope, Buffer.from('bodY'), verifier), type).toBe(false);
    }
  });

  it('reads standard and URL-safe base64, and nothing else', () => {
    expect(decodeBase64('-_8=')?.toString('hex')).toBe('fbff');
    expect(decodeBase64('+/8=')?.toString('hex')).toBe('fbff');
    expect(decodeBase64('+_8=')).toBeUndefined();
    expect(decodeBase64('a b=')).toBeUndefined();
    expect(decodeBase64('abcde')).toBeUndefined();
  });

  it('refuses keys attestations do not use, in one line', () => {
    expect(() => signingKeyFromPem(pem('rsa').private, 'rsa.pem')).toThrow(
      new KeyError('rsa.pem is a key of type rsa: attestations are signed with Ed25519 or ECDSA P-256'),
    );
    expect(() => publicKeyFromPem(pem('p384').public, 'p384.pub')).toThrow(
      new KeyError('p384.pub is an EC key on secp384r1: attestations are signed with Ed25519 or ECDSA P-256'),
    );
    const encrypted = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' });
    expect(() => signingKeyFromPem(encrypted, 'enc.pem')).toThrow(new KeyError('enc.pem is encrypted: give an unencrypted PEM private key'));
    expect(() => publicKeyFromPem('not a key', 'x.pem')).toThrow(/^x\.pem is not a PEM public key/);
  });
});

describe('the in-toto test-result statement', () => {
  const result = fixedRunResult();
  const json = resultJson(result);
  const statement = testResultStatement(result, json);

  it('is a Statement v1 whose subject is the digest of result.json', () => {
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.predicateType).toBe('https://in-toto.io/attestation/test-result/v0.1');
    expect(statement.subject).toEqual([
      { name: 'result.json', digest: { sha256: createHash('sha256').update(json).digest('hex') }, mediaType: 'application/json' },
    ]);
  });

  it('names the tested image as a subject when the target has a digest', () => {
    const image = {
      ...result,
      target: { ...result.target, kind: 'container' as const, label: 'container edgeproof:dev', digest: { sha256: 'ef'.repeat(32) } },
    };
    expect(testResultStatement(image, json).subject[1]).toEqual({
      name: 'container edgeproof:dev',
      digest: { sha256: 'ef'.repeat(32) },
      annotations: { kind: 'container' },
    });
  });

  it('says FAILED and lists passed, warned (expected) and failed tests, with what fails the run outside scenarios', () => {
    expect(statement.predicate).toMatchObject({
      result: 'FAILED',
      passedTests: ['system/service-id'],
      warnedTests: ['system/license-is-edge'],
      failedTests: ['uploads/hostile-body', 'system/version', 'requirement EDGE-RO-1', 'waiver EDGE-SYS-4 system/status'],
    });
  });

  it('records the suite version, selection, seed, target and the expected-failures digest as configuration', () => {
    const byName = Object.fromEntries(statement.predicate.configuration.map((c) => [c.name, c]));
    expect(byName.suite?.annotations).toEqual({ name: 'edgeproof', version: '1.0.0', resultFormat: 'edgeproof-conformance-result/1' });
    expect(JSON.parse(Buffer.from(byName.suite!.content!, 'base64').toString())).toEqual(byName.suite?.annotations);
    expect(byName.selection?.annotations).toEqual({ profiles: ['core', 'read-only'], level: 'SHOULD', grep: 'system|uploads' });
    expect(byName.seed?.annotations).toEqual({ seed: 42, runs: 20 });
    expect(byName.target?.annotations).toEqual({ kind: 'url', label: 'url http://edge:8082', settings: { url: 'http://edge:8082' } });
    expect(byName['expected-failures']).toEqual({ name: 'expected-failures', digest: { sha256: 'cd'.repeat(32) }, annotations: { file: 'xfail.json' } });
  });
});

describe('verify-report', () => {
  const result = fixedRunResult();
  const json = resultJson(result);

  it('accepts a good attestation and prints its verdict', () => {
    for (const type of ['ed25519', 'p256'] as const) {
      const { signer, verifier } = keys(type);
      const verification = verifyAttestation(text(attest(result, json, signer)), verifier, json);
      expect(verification).toEqual({
        valid: true,
        verdict: 'FAILED',
        summary: `valid attestation: FAILED — edgeproof 1.0.0 against url http://edge:8082, seed 42: 1 passed, 1 warned, 4 failed; signed by ${verifier.keyid}; result.json matches`,
      });
      expect(verifyAttestation(text(attest(result, json, signer)), verifier)).toMatchObject({
        valid: true,
        summary: expect.stringMatching(/result\.json not checked \(give --result\)$/),
      });
    }
  });

  const { signer, verifier } = keys('ed25519');
  const good = attest(result, json, signer);
  const refused = (envelope: string, key = verifier, file: Buffer | undefined = json) => {
    const verification = verifyAttestation(envelope, key, file);
    if (verification.valid) throw new Error('accepted');
    expect(verification.reason).not.toContain('\n');
    return verification.reason;
  };

  it('refuses a result file with one byte flipped', () => {
    const flipped = Buffer.from(json);
    flipped[100]! ^= 1;
    expect(refused(text(good), verifier, flipped)).toMatch(
      /^the result file's sha256 is [0-9a-f]{64}, but the attestation names [0-9a-f]{64}: it is not the attested result\.json$/,
    );
  });

  it('refuses a signature by another key, whether or not the envelope names its keyid', () => {
    const other = keys('p256').verifier;
    expect(refused(text(good), other)).toBe(`it was signed by key ${signer.keyid}, not by the given key ${other.keyid}`);
    const anonymous = { ...good, signatures: [{ sig: good.signatures[0]!.sig }] };
    expect(refused(text(anonymous), other)).toBe(`its signature does not verify with key ${other.keyid}: the payload or its type was changed after signing`);
  });

  it('refuses a payload changed after signing', () => {
    const statement = JSON.parse(Buffer.from(good.payload, 'base64').toString());
    statement.predicate.result = 'PASSED';
    const tampered = { ...good, payload: Buffer.from(JSON.stringify(statement)).toString('base64') };
    expect(refused(text(tampered))).toBe(`its signature does not verify with key ${verifier.keyid}: the payload or its type was changed after signing`);
  });

  it('refuses a payloadType other than in-toto, changed after signing or signed so', () => {
    const reason = 'its payloadType is "application/json", not "application/vnd.in-toto+json"';
    expect(refused(text({ ...good, payloadType: 'application/json' }))).toBe(reason);
    const signedAsJson = signEnvelope('application/json', Buffer.from(good.payload, 'base64'), signer);
    expect(refused(text(signedAsJson))).toBe(reason);
  });

  it('refuses what is not an attestation, saying what it is instead', () => {
    expect(refused('{')).toMatch(/^it is not JSON \(/);
    expect(refused('{"payload":"e30="}')).toBe('it is not a DSSE envelope (payloadType: Invalid input: expected string, received undefined)');
    expect(refused(text({ ...good, payload: '!!' }))).toBe('its payload is not base64');
    expect(refused(text({ ...good, signatures: [] }))).toBe('it carries no signature');
    const notTestResult = signEnvelope(
      IN_TOTO_PAYLOAD_TYPE,
      Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [], predicateType: 'x' })),
      signer,
    );
    expect(refused(text(notTestResult))).toMatch(/^its payload is not an in-toto Statement v1 with the test-result predicate \(subject: /);
  });
});
