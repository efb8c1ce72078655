import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyId } from './kid.ts';

describe('EDGE-TRUST-1: key ids', () => {
  it("are RFC 7638 SHA-256 thumbprints (the RFC's own example)", async () => {
    const jwk = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
    };
    expect(await keyId(createPublicKey({ key: jwk, format: 'jwk' }))).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it("have the shape of JFrog's kids: 43 base64url characters", async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(await keyId(publicKey)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
