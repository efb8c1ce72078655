import { describe, expect, it, vi } from 'vitest';
import { EdgeError } from '../../protocol/errors.ts';
import type { UserRecord, UserStore } from '../storage/metadata.ts';
import { Authenticator } from './authenticate.ts';
import { LoginThrottle } from './login-throttle.ts';

/**
 * EDGE-AUTH-9 at the authenticator: the throttle before any cache, parallel guesses reserved,
 * unknown users checked like known ones. The password check is injected: it compares against
 * `hash:<password>`, counts its calls, and can be held to make attempts overlap.
 */

const ADMIN: UserRecord = { name: 'admin', email: '', passwordHash: 'hash:right', admin: true, groups: [], created: 0 };
const ATTACKER = '203.0.113.7';
const ADMIN_DESK = '10.0.0.2';

/** Users as the store holds them; `put` replaces one and moves the version, as every write does. */
function users(...records: UserRecord[]): UserStore {
  const byName = new Map(records.map((u) => [u.name, u]));
  let version = 0;
  return {
    get: async (name: string) => byName.get(name),
    put: async (user: UserRecord) => {
      byName.set(user.name, user);
      version++;
    },
    version: () => version,
    confirmVersion: async () => {},
  } as UserStore;
}

function world() {
  let now = 1_800_000_000_000;
  const calls: { password: string; hash: string }[] = [];
  let held: (() => void)[] | undefined;
  const verify = async (password: string, hash: string) => {
    calls.push({ password, hash });
    if (held) await new Promise<void>((resolve) => held?.push(resolve));
    return hash === `hash:${password}`;
  };
  const clock = () => now;
  const store = users(ADMIN);
  const auth = new Authenticator(store, undefined, clock, new LoginThrottle(clock), verify);
  return {
    auth,
    store,
    calls,
    advance: (ms: number) => (now += ms),
    hold: () => (held = []),
    releaseAll: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const resolve of waiting) resolve();
    },
  };
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** The result of one login: the principal's name, or the error's code. */
async function login(auth: Authenticator, user: string, password: string, address: string): Promise<string> {
  try {
    const principal = await auth.authenticate(basic(user, password), address);
    return principal.kind === 'user' ? `ok:${principal.name}` : principal.kind;
  } catch (error) {
    if (error instanceof EdgeError) return error.code;
    throw error;
  }
}

describe('EDGE-AUTH-9: authenticator and login suspension', () => {
  it('EDGE-AUTH-9: a success elsewhere does not exempt a suspended address: the right password there gets 429, unchecked', async () => {
    const { auth, calls } = world();
    expect(await login(auth, 'admin', 'right', ADMIN_DESK)).toBe('ok:admin');
    for (let i = 0; i < 5; i++) expect(await login(auth, 'admin', `guess-${i}`, ATTACKER)).toBe('BAD_CREDENTIALS');
    const checked = calls.length;
    expect(await login(auth, 'admin', 'right', ATTACKER)).toBe('LOGIN_SUSPENDED');
    expect(await login(auth, 'admin', 'wrong', ATTACKER)).toBe('LOGIN_SUSPENDED');
    expect(calls.length).toBe(checked);
    // The admin's own address is not suspended, and its cached password still works there.
    expect(await login(auth, 'admin', 'right', ADMIN_DESK)).toBe('ok:admin');
  });

  it('EDGE-AUTH-9: wrong guesses after an admin success elsewhere still count and still suspend', async () => {
    const { auth, advance } = world();
    expect(await login(auth, 'admin', 'right', ADMIN_DESK)).toBe('ok:admin');
    for (let i = 0; i < 5; i++) expect(await login(auth, 'admin', `guess-${i}`, ATTACKER)).toBe('BAD_CREDENTIALS');
    expect(await login(auth, 'admin', 'guess-5', ATTACKER)).toBe('LOGIN_SUSPENDED');
    advance(1_000);
    expect(await login(auth, 'admin', 'guess-6', ATTACKER)).toBe('BAD_CREDENTIALS');
    expect(await login(auth, 'admin', 'guess-7', ATTACKER)).toBe('LOGIN_SUSPENDED');
  });

  it('EDGE-AUTH-9: a success from the suspended address itself exempts nothing: the right password gets 429 while suspended', async () => {
    const { auth, advance } = world();
    expect(await login(auth, 'admin', 'right', ATTACKER)).toBe('ok:admin');
    for (let i = 0; i < 5; i++) expect(await login(auth, 'admin', `guess-${i}`, ATTACKER)).toBe('BAD_CREDENTIALS');
    expect(await login(auth, 'admin', 'right', ATTACKER)).toBe('LOGIN_SUSPENDED');
    expect(await login(auth, 'admin', 'guess-5', ATTACKER)).toBe('LOGIN_SUSPENDED');
    advance(1_000);
    expect(await login(auth, 'admin', 'right', ATTACKER)).toBe('ok:admin');
  });

  it('EDGE-AUTH-9: a burst of 20 parallel wrong logins: at most 5 reach the password check, the rest get 429', async () => {
    const { auth, calls, hold, releaseAll } = world();
    hold();
    const burst = Array.from({ length: 20 }, (_, i) => login(auth, 'admin', `guess-${i}`, ATTACKER));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls.length).toBe(5);
    releaseAll();
    const results = await Promise.all(burst);
    expect(results.filter((r) => r === 'BAD_CREDENTIALS')).toHaveLength(5);
    expect(results.filter((r) => r === 'LOGIN_SUSPENDED')).toHaveLength(15);
    // The five failures suspended the address.
    expect(await login(auth, 'admin', 'right', ATTACKER)).toBe('LOGIN_SUSPENDED');
    expect(calls.length).toBe(5);
  });

  it('EDGE-AUTH-9: a proven password is not held back: 20 parallel logins with it from one address all succeed', async () => {
    const { auth, calls, hold } = world();
    expect(await login(auth, 'admin', 'right', ATTACKER)).toBe('ok:admin');
    hold();
    const results = await Promise.all(Array.from({ length: 20 }, () => login(auth, 'admin', 'right', ATTACKER)));
    expect(results).toEqual(Array(20).fill('ok:admin'));
    expect(calls).toHaveLength(1);
  });

  it('EDGE-AUTH-9: an attempt whose check fails with an error frees its reservation', async () => {
    let now = 0;
    const clock = () => now;
    let broken = true;
    const verify = async (password: string, hash: string) => {
      if (broken) throw new Error('disk on fire');
      return hash === `hash:${password}`;
    };
    const auth = new Authenticator(users(ADMIN), undefined, clock, new LoginThrottle(clock), verify);
    for (let i = 0; i < 10; i++) await expect(auth.authenticate(basic('admin', 'right'), ATTACKER)).rejects.toThrow('disk on fire');
    broken = false;
    now += 1;
    expect(await login(auth, 'admin', 'right', ATTACKER)).toBe('ok:admin');
  });

  it('EDGE-AUTH-9: unknown and known users both run the password check (no fast 401 for names that do not exist)', async () => {
    const { auth, calls } = world();
    expect(await login(auth, 'nobody', 'guess', ATTACKER)).toBe('BAD_CREDENTIALS');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await login(auth, 'admin', 'guess', ATTACKER)).toBe('BAD_CREDENTIALS');
    expect(calls).toHaveLength(2);
  });
});

describe('EDGE-AUTH-10: the verified-password cache', () => {
  it('a password changed while its check is in flight is not cached over: the old one is checked again, and refused', async () => {
    const { auth, store, calls, hold, releaseAll } = world();
    hold();
    const first = login(auth, 'admin', 'right', ADMIN_DESK);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    await store.put({ ...ADMIN, passwordHash: 'hash:changed' });
    releaseAll();
    // Right when it was sent, so it is let through; but its success must not outlive the change.
    expect(await first).toBe('ok:admin');
    expect(await login(auth, 'admin', 'right', ADMIN_DESK)).toBe('BAD_CREDENTIALS');
    expect(calls).toHaveLength(2);
    expect(await login(auth, 'admin', 'changed', ADMIN_DESK)).toBe('ok:admin');
  });

  it('64 parallel first logins with the right password share one check: one scrypt, all succeed, none held back', async () => {
    const { auth, calls, hold, releaseAll } = world();
    hold();
    const burst = Array.from({ length: 64 }, () => login(auth, 'admin', 'right', ADMIN_DESK));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    releaseAll();
    expect(await Promise.all(burst)).toEqual(Array(64).fill('ok:admin'));
    expect(calls).toHaveLength(1);
  });

  it('a login arriving after a change does not join the check begun before it', async () => {
    const { auth, store, calls, hold, releaseAll } = world();
    hold();
    const before = login(auth, 'admin', 'right', ADMIN_DESK);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    await store.put({ ...ADMIN, passwordHash: 'hash:changed' });
    const after = login(auth, 'admin', 'right', ADMIN_DESK);
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    releaseAll();
    expect(await before).toBe('ok:admin');
    expect(await after).toBe('BAD_CREDENTIALS');
  });

  it('a failure is never cached: each wrong password is checked (and counted) again', async () => {
    const { auth, calls } = world();
    for (let i = 1; i <= 3; i++) {
      expect(await login(auth, 'admin', 'wrong', ADMIN_DESK)).toBe('BAD_CREDENTIALS');
      expect(calls).toHaveLength(i);
    }
  });

  it('a proven password is checked again after the TTL, though nothing changed', async () => {
    const { auth, calls, advance } = world();
    expect(await login(auth, 'admin', 'right', ADMIN_DESK)).toBe('ok:admin');
    advance(60_000);
    expect(await login(auth, 'admin', 'right', ADMIN_DESK)).toBe('ok:admin');
    expect(calls).toHaveLength(1);
    advance(1);
    expect(await login(auth, 'admin', 'right', ADMIN_DESK)).toBe('ok:admin');
    expect(calls).toHaveLength(2);
  });
});
