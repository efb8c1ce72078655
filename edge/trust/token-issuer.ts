import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { EdgeError } from '../../protocol/errors.ts';
import {
  ANY_SERVICE,
  USER_SCOPE,
  formatScope,
  grantsAnything,
  parseAudience,
  parseScope,
  refused,
  signToken,
  subjectUser,
  userSubject,
  type TokenClaims,
} from '../../protocol/token/index.ts';
import type { TokenRecord, TokenStore, UserStore } from '../storage/metadata.ts';
import { unauthenticated } from './access.ts';
import type { EdgeIdentity } from './edge-identity.ts';
import type { Principal } from './principal.ts';
import { validateUserName } from './users.ts';

/** A token request as JFrog's `POST /access/api/v1/tokens` takes it. */
export interface TokenRequest {
  username?: string | undefined;
  scope?: string | undefined;
  expiresIn?: number | undefined;
  audience?: string | undefined;
  refreshable?: boolean | undefined;
  description?: string | undefined;
}

/** JFrog's token response. */
export interface TokenResponse {
  token_id: string;
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope: string;
  token_type: 'Bearer';
}

export interface TokenLimits {
  defaultExpiresInSecs: number;
  maxExpiresInSecs: number;
}

/** JFrog tokens carry it; it names the API, not a permission, so it is kept but grants nothing. */
const API_SCOPE = 'api:*';

/**
 * Issues, refreshes, lists and revokes this Edge's own access tokens (EDGE-TRUST-6, -7, -16,
 * -18). Every issued token is recorded by its `jti`, so revoking takes effect at once.
 */
export class TokenIssuer {
  constructor(
    private readonly identity: EdgeIdentity,
    private readonly tokens: TokenStore,
    private readonly users: UserStore,
    private readonly limits: TokenLimits,
    private readonly now: () => number,
  ) {}

  async issue(caller: Principal, request: TokenRequest): Promise<TokenResponse> {
    if (caller.kind === 'anonymous') throw unauthenticated();
    const username = validateUserName(request.username ?? caller.name);
    const scope = this.#scope(request.scope ?? USER_SCOPE);
    const { grant } = parseScope(scope);
    // EDGE-TRUST-7: nobody gets more through a token than they have.
    if (!caller.admin) {
      if (username !== caller.name) throw new EdgeError('FORBIDDEN', 'Only an admin may create tokens for other users.');
      if (grant.admin) throw new EdgeError('FORBIDDEN', 'Only an admin may create tokens with admin scope.');
      if (grant.groups.some((group) => !caller.groups.includes(group))) {
        throw new EdgeError('FORBIDDEN', 'Only an admin may create tokens for groups the caller is not a member of.');
      }
    }
    if (grant.user && !(await this.users.get(username))) {
      throw new EdgeError('INVALID_BODY', `User '${username}' does not exist; scope ${USER_SCOPE} needs an existing user.`);
    }
    const expiresIn = this.#expiresIn(request.expiresIn);
    const audience = parseAudience(request.audience ?? ANY_SERVICE);
    if ('invalid' in audience) {
      throw new EdgeError('INVALID_BODY', "Invalid 'audience': use service ids such as jfrt@<id>, jfrt@* or *@*, separated by spaces.");
    }
    return this.#mint({
      subject: userSubject(this.identity.serviceId, username),
      scope,
      audience: audience.entries,
      expiresIn,
      refreshable: request.refreshable === true,
      description: request.description ?? '',
    });
  }

  /**
   * EDGE-TRUST-18: a refresh token is good for one refresh. The new token keeps subject, scope,
   * audience and lifetime; the old one is revoked in the same transaction.
   */
  async refresh(refreshToken: string, accessToken: string | undefined): Promise<TokenResponse> {
    const record = await this.tokens.byRefreshHash(sha256(refreshToken));
    if (!record || record.revoked !== null) throw refused('TOKEN_REVOKED', 'the refresh token is unknown or was already used');
    if (accessToken !== undefined && jtiOf(accessToken) !== record.id) {
      throw new EdgeError('INVALID_BODY', "The 'access_token' is not the token this refresh token belongs to.");
    }
    return this.#mint(
      {
        subject: record.subject,
        scope: record.scope,
        audience: record.audience,
        expiresIn: Math.round((record.expiry - record.issued) / 1000),
        refreshable: true,
        description: record.description,
      },
      record.id,
    );
  }

  /** Admins see every token; users their own. */
  async list(caller: Principal): Promise<TokenRecord[]> {
    if (caller.kind === 'anonymous') throw unauthenticated();
    const all = await this.tokens.list();
    return caller.admin ? all : all.filter((token) => subjectUser(token.subject) === caller.name);
  }

  /** EDGE-TRUST-16: admins revoke any token, users their own; others are "not found". */
  async revoke(caller: Principal, id: string): Promise<void> {
    if (caller.kind === 'anonymous') throw unauthenticated();
    const record = await this.tokens.get(id);
    if (!record || (!caller.admin && subjectUser(record.subject) !== caller.name)) {
      throw new EdgeError('NOT_FOUND', 'Token not found.');
    }
    await this.tokens.revoke(id, this.now());
  }

  async #mint(
    token: { subject: string; scope: string; audience: string[]; expiresIn: number; refreshable: boolean; description: string },
    replacing?: string,
  ): Promise<TokenResponse> {
    const iat = Math.floor(this.now() / 1000);
    const jti = randomUUID();
    const [only, ...more] = token.audience;
    const claims: TokenClaims = {
      sub: token.subject,
      scp: token.scope,
      // One audience is written as a string, as JFrog does; several as an array.
      aud: only !== undefined && more.length === 0 ? only : token.audience,
      iss: this.identity.serviceId,
      iat,
      exp: iat + token.expiresIn,
      jti,
    };
    const accessToken = await signToken(claims, this.identity);
    const refreshToken = token.refreshable ? randomBytes(32).toString('base64url') : undefined;
    const record: TokenRecord = {
      id: jti,
      subject: token.subject,
      scope: token.scope,
      audience: token.audience,
      description: token.description,
      issued: iat * 1000,
      expiry: claims.exp * 1000,
      refreshHash: refreshToken === undefined ? null : sha256(refreshToken),
      revoked: null,
    };
    if (replacing === undefined) await this.tokens.add(record);
    else if (!(await this.tokens.replace(replacing, record, this.now()))) {
      // Another refresh with the same refresh token won the race.
      throw refused('TOKEN_REVOKED', 'the refresh token is unknown or was already used');
    }
    return {
      token_id: record.id,
      access_token: accessToken,
      ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
      expires_in: token.expiresIn,
      scope: token.scope,
      token_type: 'Bearer',
    };
  }

  /** The scope as this Edge writes it: applied permissions in canonical form, `api:*` kept. */
  #scope(requested: string): string {
    const { grant, other } = parseScope(requested);
    const unsupported = other.filter((item) => item !== API_SCOPE);
    if (unsupported.length > 0 || !grantsAnything(grant)) {
      throw new EdgeError(
        'INVALID_BODY',
        "Invalid 'scope': this Edge issues applied-permissions/user, applied-permissions/admin and applied-permissions/groups:<names> (optionally with api:*).",
      );
    }
    return [formatScope(grant), ...(other.includes(API_SCOPE) ? [API_SCOPE] : [])].join(' ');
  }

  #expiresIn(requested: number | undefined): number {
    const { defaultExpiresInSecs, maxExpiresInSecs } = this.limits;
    if (requested === undefined) return Math.min(defaultExpiresInSecs, maxExpiresInSecs);
    // EDGE-TRUST-7: JFrog's 0 means "never expires"; such tokens are revocable and so useless in a circle of trust (jfrog-compat.md §5).
    if (requested === 0) throw new EdgeError('INVALID_BODY', "Invalid 'expires_in': this Edge issues only tokens that expire (0 means never).");
    if (requested > maxExpiresInSecs) throw new EdgeError('INVALID_BODY', `Invalid 'expires_in': at most ${maxExpiresInSecs} seconds.`);
    return requested;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function jtiOf(token: string): string | undefined {
  try {
    return decodeJwt(token).jti;
  } catch {
    throw new EdgeError('INVALID_BODY', "The 'access_token' is not a token.");
  }
}
