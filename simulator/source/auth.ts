import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { EdgeError } from '../../protocol/errors.ts';

export interface SourceCredentials {
  adminUser: string;
  adminPassword: string;
  /** Let requests without credentials read (downloads, storage API, AQL, bundle reads). */
  anonymousReads?: boolean;
}

export interface SourceAuth {
  /** Writes and administration: the admin only. */
  admin: MiddlewareHandler;
  /** Reads: the admin, or anyone when anonymous reads are on. */
  reader: MiddlewareHandler;
}

/**
 * Basic auth against one admin account. Wrong credentials are refused even where anonymous
 * reads are allowed, as Artifactory does: a client that sent a password wants to know it is wrong.
 */
export function createAuth(credentials: SourceCredentials): SourceAuth {
  const expected = Buffer.from(`${credentials.adminUser}:${credentials.adminPassword}`);
  const check = (header: string | undefined, anonymousOk: boolean): void => {
    if (header === undefined) {
      if (anonymousOk) return;
      throw new EdgeError('UNAUTHENTICATED', 'Authentication is required');
    }
    const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
    const given = match ? Buffer.from(match[1] as string, 'base64') : Buffer.alloc(0);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      // jfrog-compat.md §0.2: the real 401 body says exactly this.
      throw new EdgeError('BAD_CREDENTIALS', 'Bad credentials');
    }
  };
  return {
    admin: async (c, next) => {
      check(c.req.header('authorization'), false);
      await next();
    },
    reader: async (c, next) => {
      check(c.req.header('authorization'), credentials.anonymousReads === true);
      await next();
    },
  };
}
