import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { TOKEN_ALGORITHM, type TokenClaims } from './claims.ts';

export interface TokenSigningKey {
  privateKey: KeyObject;
  kid: string;
}

/** Signs claims as a JFrog-shaped access token: RS256, header `ver`, `typ` and `kid`. */
export async function signToken(claims: TokenClaims, key: TokenSigningKey): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ ver: '2', typ: 'JWT', alg: TOKEN_ALGORITHM, kid: key.kid }).sign(key.privateKey);
}
