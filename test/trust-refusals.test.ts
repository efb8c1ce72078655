import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { keyId } from '../protocol/token/kid.ts';
import { REFUSALS } from '../protocol/token/mutations.ts';
import { scenario } from '../scenarios/kit/scenario.ts';
import { issueToken, serviceIdOf } from '../scenarios/kit/tokens.ts';
import { checkRefusals, type GoodTokenOf } from '../scenarios/scripted/trust/token-refusals.ts';
import { describeScenarios } from './scenario-suite.ts';

/**
 * This Edge's own tokens changed in one respect are refused like other services' tokens
 * (the trust scenarios `trust/refused-*`), by the same check. Forging them needs the Edge's
 * private key from edgeproof's data directory, so these run here and not in the suite.
 */

const fromThisEdge: GoodTokenOf = async (t, world, untrusted) => {
  if (!t.edge.dataDir) throw new Error('needs the data directory');
  const privateKey = createPrivateKey(await readFile(join(t.edge.dataDir, 'access', 'keys', 'private.key')));
  const publicKey = createPublicKey(privateKey);
  const serviceId = await serviceIdOf(t);
  // A recorded token, so the Edge's revocation check (EDGE-TRUST-16) lets the good one through.
  const { token_id } = await issueToken(t, t.edge.admin, { username: world.alice.name });
  return {
    trusted: { privateKey, publicKey, kid: await keyId(publicKey) },
    untrusted,
    serviceId,
    // EDGE-TRUST-13: none for the Edge's own tokens; the embedded Edge shares this clock.
    clockSkewSecs: 0,
    now: Date.now,
    claims: { sub: `${serviceId}/users/${world.alice.name}`, scp: 'applied-permissions/user', aud: 'jfrt@*', iss: serviceId, jti: token_id },
  };
};

describeScenarios(
  "this Edge's own token refusals",
  REFUSALS.map(({ id, codes }) =>
    scenario({
      id: `own-token/refused-${(codes[0] as string).toLowerCase().replaceAll('_', '-')}`,
      title: `this Edge's own token changed in one respect is refused with ${codes.join(' or ')} on every kind of write, and nothing changes`,
      requirements: [id, 'EDGE-TRUST-17'],
      needs: ['data-dir'],
      property: true,
      run: (t) => checkRefusals(t, codes, fromThisEdge),
    }),
  ),
  { runs: 60 },
);
