import type { ScenarioContext } from './context.ts';
import { expect } from './expect.ts';
import { permission, user } from './world.ts';

/**
 * The identities a request can come from, for scenarios that must hold whoever asks: the admin,
 * users holding every repository action, only read, or nothing, and anonymous.
 */

export interface Identity {
  /** How failure messages and steps name it: `admin`, `deployer`, `reader`, `no permissions`, `anonymous`. */
  readonly who: string;
  /** The Authorization header; `null` sends none. */
  readonly auth: string | null;
  /** Anonymous only: the Edge lets anonymous callers read (anonymous access is on). */
  readonly anonymousAllowed?: boolean;
}

/** Whether the Edge serves anonymous readers, as a client finds out: the repository list without credentials. */
export async function anonymousAllowed(t: ScenarioContext): Promise<boolean> {
  const res = await t.http('GET', '/artifactory/api/repositories', { auth: null });
  if (res.status === 200) return true;
  if (res.status === 401) return false;
  throw new Error(`GET /artifactory/api/repositories without credentials answered ${res.status}; expected 200 (anonymous access on) or 401 (off)`);
}

const EVERY_ACTION = ['read', 'write', 'annotate', 'delete', 'manage'];

/**
 * Every identity, with users made for this scenario: `deployer` may read, deploy, annotate,
 * delete and manage on `repositories`, `reader` may only read there, `no permissions` has no
 * grant at all.
 */
export async function everyIdentity(t: ScenarioContext, repositories: string[] = ['ANY']): Promise<Identity[]> {
  const deployer = await user(t, 'deployer');
  const reader = await user(t, 'reader');
  const nobody = await user(t, 'nobody');
  await permission(t, 'every-identity', { repositories, users: { [deployer.name]: EVERY_ACTION, [reader.name]: ['read'] } });
  return [
    { who: 'admin', auth: t.edge.admin },
    { who: 'deployer', auth: deployer.auth },
    { who: 'reader', auth: reader.auth },
    { who: 'no permissions', auth: nobody.auth },
    { who: 'anonymous', auth: null, anonymousAllowed: await anonymousAllowed(t) },
  ];
}

/** The identities that may write to `repositories`: the admin, and a deployer holding every action there. */
export async function writers(t: ScenarioContext, repositories: string[]): Promise<Identity[]> {
  const deployer = await user(t, 'deployer');
  await permission(t, 'writers', { repositories, users: { [deployer.name]: EVERY_ACTION } });
  return [
    { who: 'admin', auth: t.edge.admin },
    { who: 'deployer', auth: deployer.auth },
  ];
}

/** The user a Basic `Authorization` header signs in as; undefined for another scheme (a token). */
export function userOf(authorization: string): string | undefined {
  const [scheme, value = ''] = authorization.split(' ');
  if (scheme?.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return decoded.slice(0, decoded.indexOf(':'));
}

/** Who answers name as the admin (`createdBy`, `modifiedBy`): its user when the harness signs in with a password. */
export function adminName(t: ScenarioContext): unknown {
  return userOf(t.edge.admin) ?? expect.any(String);
}
