import type { EdgeConfig } from '../config.ts';
import type { Log } from '../log.ts';
import type { MetadataStore } from '../storage/metadata.ts';
import { loadOrCreateIdentity, type EdgeIdentity } from './edge-identity.ts';
import { trustedDir } from './key-files.ts';
import { TokenIssuer } from './token-issuer.ts';
import { EdgeTokenVerifier } from './token-verifier.ts';
import { TrustedCertificates } from './trusted-certificates.ts';

/** The Edge's place in a circle of trust: its identity, whom it trusts, and its tokens. */
export interface CircleOfTrust {
  readonly identity: EdgeIdentity;
  readonly trusted: TrustedCertificates;
  readonly issuer: TokenIssuer;
  readonly verifier: EdgeTokenVerifier;
  /** Stops watching the trusted folder. */
  close(): void;
}

export async function openCircleOfTrust(
  config: EdgeConfig,
  serviceId: string,
  metadata: MetadataStore,
  logger: Log,
  now: () => number,
): Promise<CircleOfTrust> {
  const identity = await loadOrCreateIdentity(config.dataDir, serviceId, now());
  const trusted = new TrustedCertificates(trustedDir(config.dataDir), logger, now);
  await trusted.start();
  const limits = { defaultExpiresInSecs: config.tokenDefaultExpiresInSecs, maxExpiresInSecs: config.tokenMaxExpiresInSecs };
  return {
    identity,
    trusted,
    issuer: new TokenIssuer(identity, metadata.tokens, metadata.users, limits, now),
    verifier: new EdgeTokenVerifier(identity, trusted, metadata.tokens, metadata.users, config.tokenClockSkewSecs, now),
    close: () => trusted.close(),
  };
}
