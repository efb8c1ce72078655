import { refused, verifyToken, type TokenSigner, type VerifiedToken } from '../../protocol/token/index.ts';
import type { TokenStore, UserStore } from '../storage/metadata.ts';
import type { TokenVerifier, VerifiedCredentials } from './authenticate.ts';
import type { EdgeIdentity } from './edge-identity.ts';
import type { Principal } from './principal.ts';
import type { TrustedCertificates } from './trusted-certificates.ts';
import { VerifiedCache } from './verified-cache.ts';

/** EDGE-AUTH-10: how long a verified token of this Edge is taken on trust without a new check. */
const CACHE_TTL_MS = 60_000;

/**
 * Checks a bearer token for this Edge: signed by its own key or a trusted certificate's,
 * chosen by kid (protocol/token does the checks that need no state), then — for tokens this
 * Edge issued — not revoked, and finally turned into the principal its scope describes.
 */
export class EdgeTokenVerifier implements TokenVerifier {
  /** A signature check and two lookups per request, for a client that sends the same token each time. */
  readonly #verified: VerifiedCache<VerifiedCredentials>;

  constructor(
    private readonly identity: EdgeIdentity,
    private readonly trusted: TrustedCertificates,
    private readonly tokens: TokenStore,
    private readonly users: UserStore,
    private readonly clockSkewSecs: number,
    now: () => number,
  ) {
    // Both versions only grow, so their sum changes whenever either does.
    this.#verified = new VerifiedCache(
      now,
      () => tokens.version() + users.version(),
      CACHE_TTL_MS,
      () => users.confirmVersion(),
    );
  }

  async verify(token: string): Promise<VerifiedCredentials> {
    const key = VerifiedCache.key(token);
    // EDGE-AUTH-11: confirmed against the store's versions first (a revocation on another node).
    const cached = await this.#verified.confirmed(key);
    if (cached) return cached;
    return this.#verified.check(key, async ({ at }) => {
      const verified = await verifyToken(token, { serviceId: this.identity.serviceId, now: at, keyFor: (kid) => this.#signer(kid) });
      const own = verified.header.kid === this.identity.kid;
      if (own) await this.#notRevoked(verified.claims.jti);
      const value = { principal: await this.#principal(verified), user: verified.user };
      // EDGE-AUTH-10: only this Edge's own tokens, never past their `exp`. Another service's token
      // hangs on a trusted certificate that can leave the trusted folder at any time, which only
      // a new check notices.
      return { value, notAfter: own ? verified.claims.exp * 1000 : Number.NEGATIVE_INFINITY };
    });
  }

  /**
   * EDGE-TRUST-13: the skew allowance is for other services' clocks; this Edge's own tokens
   * were stamped by the clock that checks them, so they get none.
   */
  async #signer(kid: string): Promise<TokenSigner | undefined> {
    if (kid === this.identity.kid) return { key: this.identity.publicKey, clockSkewSecs: 0 };
    const key = await this.trusted.keyFor(kid);
    return key && { key, clockSkewSecs: this.clockSkewSecs };
  }

  /**
   * EDGE-TRUST-16: only this Edge's own tokens can be looked up. Tokens of other services in
   * the circle cannot be revoked here, as in JFrog (jfrog-compat.md §5); they end at `exp`.
   */
  async #notRevoked(jti: string | undefined): Promise<void> {
    const record = jti === undefined ? undefined : await this.tokens.get(jti);
    if (!record) throw refused('TOKEN_REVOKED', 'this Edge has no record of issuing it');
    if (record.revoked !== null) throw refused('TOKEN_REVOKED', 'it has been revoked');
  }

  /** EDGE-TRUST-15: what the scope grants, and no more. */
  async #principal({ grant, user, claims }: VerifiedToken): Promise<Principal> {
    if (grant.user && user !== undefined) {
      const record = await this.users.get(user);
      // jfrog-compat.md §5: the user of a token must exist on every service that accepts it.
      if (!record) throw refused('TOKEN_UNKNOWN_USER', 'the user it acts for does not exist on this Edge');
      const groups = [...new Set([...record.groups, ...grant.groups])];
      return { kind: 'user', name: record.name, admin: record.admin || grant.admin, groups, via: 'token' };
    }
    if (grant.admin) return { kind: 'user', name: user ?? claims.sub, admin: true, groups: grant.groups, via: 'token' };
    // Groups only: acting under the whole subject, which holds a '/' and so never matches a
    // user's permission target, means only the groups' permissions apply.
    return { kind: 'user', name: claims.sub, admin: false, groups: grant.groups, via: 'token' };
  }
}
