import { z } from 'zod';

/** The one signature algorithm an access token may use (jfrog-compat.md §5). */
export const TOKEN_ALGORITHM = 'RS256';

/** JFrog's token header: `{"ver":"2","typ":"JWT","alg":"RS256","kid":"<43 base64url>"}`. */
export interface TokenHeader {
  alg: string;
  kid?: string;
  typ?: string;
  ver?: string;
}

/**
 * The claims of a JFrog access token. `sub`, `scp`, `aud` and `exp` decide what a token may do,
 * so they are required; `iss`, `iat`, `nbf` and `jti` are checked when present. Other claims
 * are kept: JFrog services add their own and must not be refused for it.
 */
export const tokenClaimsSchema = z.looseObject({
  sub: z.string().min(1),
  scp: z.string(),
  aud: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  // Without an expiry a token is revocable in JFrog's terms, and revocable tokens do not work
  // in a circle of trust (jfrog-compat.md §5): this Edge neither issues nor accepts them.
  exp: z.number().finite(),
  iss: z.string().min(1).optional(),
  iat: z.number().finite().optional(),
  nbf: z.number().finite().optional(),
  jti: z.string().min(1).max(256).optional(),
});

export type TokenClaims = z.output<typeof tokenClaimsSchema>;
