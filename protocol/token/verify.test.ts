import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { EdgeError } from '../errors.ts';
import { REFUSALS, goodClaims, makeGoodToken, signWith, tokenMutations, type GoodToken, type SigningKeyPair } from './mutations.ts';
import { keyId } from './kid.ts';
import { verifyToken, type TokenSigner, type TokenVerifyOptions } from './verify.ts';

const SERVICE = 'jfrt@01edgeundertest000000000';
const NOW = 1_800_000_000_000;
const SKEW = 60;

async function keyPair(): Promise<SigningKeyPair> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicKey, kid: await keyId(publicKey) };
}

let good: GoodToken;
beforeAll(async () => {
  good = {
    trusted: await keyPair(),
    untrusted: await keyPair(),
    serviceId: SERVICE,
    clockSkewSecs: SKEW,
    now: () => NOW,
    claims: { sub: 'jfrt@01issuer/users/alice', scp: 'applied-permissions/user', aud: SERVICE, iss: 'jfrt@01issuer', jti: 'id-1' },
  };
});

/** Options whose key lookup records every kid it is asked for. */
function options(asked: string[] = [], clockSkewSecs = SKEW): TokenVerifyOptions {
  return {
    serviceId: SERVICE,
    now: NOW,
    keyFor: async (kid): Promise<TokenSigner | undefined> => {
      asked.push(kid);
      return kid === good.trusted.kid ? { key: good.trusted.publicKey, clockSkewSecs } : undefined;
    },
  };
}

async function refusal(token: string, opts = options()): Promise<EdgeError> {
  try {
    await verifyToken(token, opts);
  } catch (error) {
    if (error instanceof EdgeError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('verifyToken', () => {
  it('accepts the good token and reports its grant and user', async () => {
    const verified = await verifyToken(await makeGoodToken(good), options());
    expect(verified.grant).toEqual({ admin: false, user: true, groups: [] });
    expect(verified.user).toBe('alice');
    expect(verified.header).toMatchObject({ alg: 'RS256', kid: good.trusted.kid, ver: '2', typ: 'JWT' });
  });

  for (const { id, codes } of REFUSALS) {
    it(`${id}, EDGE-TRUST-17: refuses tokens that differ from the good one in one respect with ${codes.join(' or ')}, without echoing them`, async () => {
      await fc.assert(
        fc.asyncProperty(
          tokenMutations(good).filter((m) => codes.includes(m.code)),
          async (mutation) => {
            const token = await mutation.make();
            const error = await refusal(token);
            expect(error.code, mutation.respect).toBe(mutation.code);
            expect(error.status).toBe(401);
            expect(error.message).toMatch(/^Invalid token: .+\.$/);
            for (const part of token.split('.').filter((p) => p.length >= 8)) expect(error.message).not.toContain(part);
          },
        ),
        { numRuns: 100 },
      );
    });
  }

  it('EDGE-TRUST-10: decides on the algorithm before it looks up any key', async () => {
    const asked: string[] = [];
    const token = await signWith(goodClaims(good), { alg: 'RS512', kid: good.trusted.kid }, good.trusted.privateKey);
    expect((await refusal(token, options(asked))).code).toBe('TOKEN_BAD_ALGORITHM');
    expect(asked).toEqual([]);
  });

  it('EDGE-TRUST-11: asks for exactly one key, the one its kid names', async () => {
    const asked: string[] = [];
    await verifyToken(await makeGoodToken(good), options(asked));
    expect(asked).toEqual([good.trusted.kid]);
    const other: string[] = [];
    const token = await signWith(goodClaims(good), { alg: 'RS256', kid: good.untrusted.kid }, good.untrusted.privateKey);
    expect((await refusal(token, options(other))).code).toBe('TOKEN_UNTRUSTED_ISSUER');
    expect(other).toEqual([good.untrusted.kid]);
  });

  it('EDGE-TRUST-13: tolerates exactly the configured clock skew', async () => {
    const at = (claims: Record<string, number>) =>
      signWith({ ...goodClaims(good), ...claims }, { alg: 'RS256', kid: good.trusted.kid }, good.trusted.privateKey);
    const now = NOW / 1000;
    await expect(verifyToken(await at({ exp: now - SKEW }), options())).resolves.toBeDefined();
    expect((await refusal(await at({ exp: now - SKEW - 1 }))).code).toBe('TOKEN_EXPIRED');
    await expect(verifyToken(await at({ nbf: now + SKEW }), options())).resolves.toBeDefined();
    expect((await refusal(await at({ nbf: now + SKEW + 1 }))).code).toBe('TOKEN_NOT_YET_VALID');
    const strict = options([], 0);
    expect((await refusal(await at({ exp: now - 1 }), strict)).code).toBe('TOKEN_EXPIRED');
    expect((await refusal(await at({ nbf: now + 1 }), strict)).code).toBe('TOKEN_NOT_YET_VALID');
  });

  it('EDGE-TRUST-14: accepts this service, jfrt@* and *@*, as a string or in an array', async () => {
    for (const aud of [SERVICE, 'jfrt@*', '*@*', ['jfmd@*', SERVICE], ['jfrt@*', 'jfac@*']]) {
      const token = await signWith({ ...goodClaims(good), aud }, { alg: 'RS256', kid: good.trusted.kid }, good.trusted.privateKey);
      await expect(verifyToken(token, options()), JSON.stringify(aud)).resolves.toBeDefined();
    }
  });

  it('EDGE-TRUST-15: admin and groups scopes need no user in the subject', async () => {
    for (const scp of ['applied-permissions/admin', 'applied-permissions/groups:"readers",']) {
      const token = await signWith({ ...goodClaims(good), scp, sub: 'yahav/test-repo' }, { alg: 'RS256', kid: good.trusted.kid }, good.trusted.privateKey);
      const verified = await verifyToken(token, options());
      expect(verified.user).toBeUndefined();
    }
  });

  it('keeps claims it does not know, as JFrog services add their own', async () => {
    const token = await signWith(
      { ...goodClaims(good), ext: '{"requested_by":"x"}' },
      { alg: 'RS256', kid: good.trusted.kid, typ: 'JWT' },
      good.trusted.privateKey,
    );
    expect((await verifyToken(token, options())).claims.ext).toBe('{"requested_by":"x"}');
  });
});
