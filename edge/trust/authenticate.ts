import { EdgeError } from '../../protocol/errors.ts';
import type { UserRecord, UserStore } from '../storage/metadata.ts';
import { LoginThrottle } from './login-throttle.ts';
import { verifyPassword } from './passwords.ts';
import { ANONYMOUS, type Principal } from './principal.ts';
import { VerifiedCache } from './verified-cache.ts';

/** What a verified token proves: who acts, and the user its subject names (if any). */
export interface VerifiedCredentials {
  principal: Principal;
  user: string | undefined;
}

/** Checks bearer tokens; the circle of trust provides it. */
export interface TokenVerifier {
  verify(token: string): Promise<VerifiedCredentials>;
}

/** EDGE-AUTH-10: changes end a cached success at once; the TTL only bounds how long one lives. */
const CACHE_TTL_MS = 60_000;
/**
 * EDGE-AUTH-9: what an unknown user's password is checked against, so an unknown name costs the
 * scrypt a known one does. Same parameters as `hashPassword`; no password hashes to it.
 */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/**
 * Turns an `Authorization` header into a principal (EDGE-AUTH-1). No header: anonymous.
 * Any credentials that do not check out: 401 `Bad credentials`, never a fallback to anonymous.
 */
export class Authenticator {
  /** scrypt is deliberately slow; clients send basic auth on every request. */
  readonly #verified: VerifiedCache<Principal>;

  constructor(
    private readonly users: UserStore,
    private readonly tokens: TokenVerifier | undefined,
    private readonly now: () => number = Date.now,
    private readonly throttle: LoginThrottle = new LoginThrottle(now),
    /** Checks a password against a stored hash; injectable so tests can count and hold calls. */
    private readonly verify: (password: string, encoded: string) => Promise<boolean> = verifyPassword,
  ) {
    this.#verified = new VerifiedCache(
      now,
      () => users.version(),
      CACHE_TTL_MS,
      () => users.confirmVersion(),
    );
  }

  /** `address` is the client's: password failures are throttled per user and address (EDGE-AUTH-9). */
  async authenticate(authorization: string | undefined, address = ''): Promise<Principal> {
    if (authorization === undefined || authorization === '') return ANONYMOUS;
    const space = authorization.indexOf(' ');
    const scheme = authorization.slice(0, space < 0 ? undefined : space).toLowerCase();
    const value = space < 0 ? '' : authorization.slice(space + 1).trim();
    if (scheme === 'bearer') return this.#token(value);
    if (scheme === 'basic') return this.#basic(value, address);
    throw badCredentials();
  }

  async #token(token: string): Promise<Principal> {
    if (!this.tokens || token === '') throw badCredentials();
    return (await this.tokens.verify(token)).principal;
  }

  async #basic(encoded: string, address: string): Promise<Principal> {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw badCredentials();
    const name = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    // EDGE-TRUST-8: JFrog clients send an access token as the password of basic auth; the
    // user name must be the one the token's subject names.
    if (this.tokens && looksLikeJwt(secret)) {
      const { principal, user } = await this.tokens.verify(secret);
      if (user !== name) throw badCredentials();
      return principal;
    }
    // EDGE-AUTH-9: the suspension check comes first, for every password, known or not, cached
    // or not: no success anywhere, and no secret presented, exempts a user and address from it.
    this.throttle.refuseIfSuspended(name, address);
    const cacheKey = VerifiedCache.key(name, secret);
    // EDGE-AUTH-11: a success remembered here counts only once the store confirms that no
    // process (another node) changed users since; a miss reads the user anyway.
    const cached = await this.#verified.confirmed(cacheKey);
    // The cache only spares scrypt for the exact password already proven, and only once the
    // suspension check let the attempt through: it is no oracle, and needs no reservation (a
    // client's parallel requests with its right password are not held back).
    if (cached) {
      this.throttle.succeeded(name, address);
      return cached;
    }
    // EDGE-AUTH-10: one check per password at a time, the user read only after the store's
    // version is taken, so a change during scrypt leaves no stale success behind.
    return this.#verified.check(cacheKey, async () => {
      const user = await this.users.get(name);
      // Every other attempt is reserved, so parallel guesses cannot exceed the failures left.
      // Unknown users count too, so suspension tells nothing about who exists, and are checked
      // against a dummy hash: they cost what known ones do, so timing tells nothing either.
      const attempt = this.throttle.check(name, address);
      try {
        const verified = await this.verify(secret, user?.passwordHash ?? DUMMY_HASH);
        if (!user || !verified) {
          attempt.failed();
          throw badCredentials();
        }
        attempt.succeeded();
        return { value: principalOf(user) };
      } finally {
        attempt.release();
      }
    });
  }
}

function principalOf(user: UserRecord): Principal {
  return { kind: 'user', name: user.name, admin: user.admin, groups: user.groups, via: 'password' };
}

function looksLikeJwt(secret: string): boolean {
  return /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/.test(secret);
}

export function badCredentials(): EdgeError {
  return new EdgeError('BAD_CREDENTIALS', 'Bad credentials');
}
