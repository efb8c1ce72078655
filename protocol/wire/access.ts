import { z } from 'zod';

/** The Access API of the circle of trust (jfrog-compat.md §5; docs/circle-of-trust.md). */
export const ACCESS_BASE = '/access/api/v1';

export const accessPaths = {
  tokens: `${ACCESS_BASE}/tokens`,
  token: (id: string): string => `${ACCESS_BASE}/tokens/${encodeURIComponent(id)}`,
  rootCertificate: `${ACCESS_BASE}/cert/root`,
  trustedCertificates: `${ACCESS_BASE}/cert/trusted`,
  trustedCertificate: (alias: string): string => `${ACCESS_BASE}/cert/trusted/${encodeURIComponent(alias)}`,
} as const;

/** `POST /tokens` (JFrog's fields); the Edge also takes them as form fields. */
export interface TokenRequest {
  grant_type?: 'client_credentials' | 'refresh_token';
  username?: string;
  scope?: string;
  expires_in?: number;
  audience?: string;
  refreshable?: boolean;
  description?: string;
  refresh_token?: string;
  access_token?: string;
}

export const TokenIssued = z.looseObject({
  token_id: z.string(),
  access_token: z.string(),
  refresh_token: z.string().optional(),
  expires_in: z.number(),
  scope: z.string(),
  token_type: z.literal('Bearer'),
});
export type TokenIssued = z.infer<typeof TokenIssued>;

/** An entry of `GET /tokens`: JFrog's, plus what the Edge knows besides (`description`, `revoked`). */
export const TokenInfo = z.looseObject({
  token_id: z.string(),
  subject: z.string(),
  scope: z.string(),
  audience: z.string(),
  issuer: z.string(),
  issued_at: z.number(),
  expiry: z.number(),
  refreshable: z.boolean(),
});
export type TokenInfo = z.infer<typeof TokenInfo>;

export const TokenList = z.looseObject({ tokens: z.array(TokenInfo) });

/** A certificate the Edge trusts (EDGE-TRUST-5), as listed and as answered when added. */
export const TrustedCertificate = z.looseObject({
  alias: z.string(),
  kid: z.string(),
  subject: z.string(),
  issuer: z.string(),
  not_before: z.string(),
  not_after: z.string(),
  fingerprint_sha256: z.string(),
});
export type TrustedCertificate = z.infer<typeof TrustedCertificate>;

export const TrustedCertificates = z.looseObject({
  trusted: z.array(TrustedCertificate),
  refused: z.array(z.looseObject({ alias: z.string(), reason: z.string() })),
});
export type TrustedCertificates = z.infer<typeof TrustedCertificates>;
