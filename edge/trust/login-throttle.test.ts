import { describe, expect, it } from 'vitest';
import { EdgeError } from '../../protocol/errors.ts';
import { DEFAULT_LOGIN_THROTTLE, LoginThrottle, throttleKey } from './login-throttle.ts';

function clock(start = 1_800_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function refusal(throttle: LoginThrottle, user: string, address: string): EdgeError | undefined {
  try {
    throttle.check(user, address);
    return undefined;
  } catch (error) {
    if (error instanceof EdgeError) return error;
    throw error;
  }
}

describe('EDGE-AUTH-9: login suspension per user and address', () => {
  it('EDGE-AUTH-9: suspends from the fifth failure in a row, doubling from 1 s up to 60 s', () => {
    const time = clock();
    const throttle = new LoginThrottle(time.now);
    const suspensions = Array.from({ length: 12 }, () => {
      const ms = throttle.failed('admin', '10.0.0.1');
      time.advance(ms);
      return ms;
    });
    expect(suspensions).toEqual([0, 0, 0, 0, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
  });

  it('EDGE-AUTH-9: refuses with 429 LOGIN_SUSPENDED and the seconds to wait, then lets the next attempt through', () => {
    const time = clock();
    const throttle = new LoginThrottle(time.now);
    for (let i = 0; i < 6; i++) throttle.failed('admin', '10.0.0.1');
    const suspended = refusal(throttle, 'admin', '10.0.0.1');
    expect(suspended).toMatchObject({ status: 429, code: 'LOGIN_SUSPENDED', details: { retry_after: 2 } });
    expect(suspended?.message).toBe("Too many failed logins for user 'admin' from this address; try again in 2 seconds.");
    time.advance(1_999);
    expect(refusal(throttle, 'admin', '10.0.0.1')?.details).toEqual({ retry_after: 1 });
    time.advance(1);
    expect(refusal(throttle, 'admin', '10.0.0.1')).toBeUndefined();
  });

  it('EDGE-AUTH-9: keys by user and address: the same user elsewhere, and another user here, are not suspended', () => {
    const time = clock();
    const throttle = new LoginThrottle(time.now);
    for (let i = 0; i < 10; i++) throttle.failed('admin', '203.0.113.7');
    expect(refusal(throttle, 'admin', '203.0.113.7')?.code).toBe('LOGIN_SUSPENDED');
    expect(refusal(throttle, 'admin', '10.0.0.1')).toBeUndefined();
    expect(refusal(throttle, 'alice', '203.0.113.7')).toBeUndefined();
  });

  it('EDGE-AUTH-9: a success starts the count again; so does a quarter of an hour without failures', () => {
    const time = clock();
    const throttle = new LoginThrottle(time.now);
    for (let i = 0; i < 4; i++) throttle.failed('admin', 'a');
    throttle.succeeded('admin', 'a');
    expect(throttle.failed('admin', 'a')).toBe(0);
    for (let i = 0; i < 3; i++) throttle.failed('admin', 'a');
    time.advance(DEFAULT_LOGIN_THROTTLE.forgetAfterMs);
    expect(throttle.failed('admin', 'a')).toBe(0);
  });

  it('EDGE-AUTH-9: never suspends when suspendAfterFailures is 0', () => {
    const throttle = new LoginThrottle(clock().now, { ...DEFAULT_LOGIN_THROTTLE, suspendAfterFailures: 0 });
    for (let i = 0; i < 50; i++) expect(throttle.failed('admin', 'a')).toBe(0);
    expect(refusal(throttle, 'admin', 'a')).toBeUndefined();
  });

  it('EDGE-AUTH-9: holds at most maxEntries names and addresses; a flood of other names cannot flush a suspension', () => {
    const time = clock();
    const throttle = new LoginThrottle(time.now, { ...DEFAULT_LOGIN_THROTTLE, maxEntries: 100 });
    for (let i = 0; i < 6; i++) throttle.failed('admin', 'victim');
    for (let i = 0; i < 1_000; i++) {
      time.advance(1);
      throttle.failed(`user${i}`, 'spray');
    }
    expect(throttle.size).toBe(100);
    // The suspended entry stayed, though it is the oldest; the oldest unsuspended went instead.
    expect(refusal(throttle, 'admin', 'victim')?.code).toBe('LOGIN_SUSPENDED');
    for (let i = 0; i < 4; i++) throttle.failed('user999', 'spray');
    expect(refusal(throttle, 'user999', 'spray')?.code).toBe('LOGIN_SUSPENDED');
  });

  it('EDGE-AUTH-9: when full, entries that never reached a suspension go before counted ones, suspended ones last', () => {
    const time = clock();
    const throttle = new LoginThrottle(time.now, { ...DEFAULT_LOGIN_THROTTLE, maxEntries: 3 });
    for (let i = 0; i < 5; i++) throttle.failed('counted', 'a'); // suspended for 1 s
    time.advance(1_000); // suspension over, the count (5) stays
    for (let i = 0; i < 5; i++) throttle.failed('suspended', 'a');
    for (let i = 0; i < 20; i++) throttle.failed(`spray${i}`, 'a');
    expect(throttle.size).toBe(3);
    // Its count survived the flood: the next failure suspends at once.
    expect(throttle.failed('counted', 'a')).toBe(2_000);
    expect(refusal(throttle, 'suspended', 'a')?.code).toBe('LOGIN_SUSPENDED');
    // When all are suspended and room is needed, the oldest suspended one goes.
    for (let i = 0; i < 4; i++) throttle.failed('spray19', 'a');
    throttle.failed('late', 'a');
    expect(throttle.size).toBe(3);
    expect(refusal(throttle, 'suspended', 'a')).toBeUndefined();
    expect(refusal(throttle, 'counted', 'a')?.code).toBe('LOGIN_SUSPENDED');
    expect(refusal(throttle, 'spray19', 'a')?.code).toBe('LOGIN_SUSPENDED');
  });

  it('EDGE-AUTH-9: attempts in flight count against the failures left: no more than five overlap, then one at a time', () => {
    const time = clock();
    const throttle = new LoginThrottle(time.now);
    const attempts = Array.from({ length: 5 }, () => throttle.check('admin', 'a'));
    expect(refusal(throttle, 'admin', 'a')).toMatchObject({ code: 'LOGIN_SUSPENDED', details: { retry_after: 1 } });
    // Elsewhere, and for another user, nothing is held.
    expect(refusal(throttle, 'admin', 'b')).toBeUndefined();
    for (const attempt of attempts) attempt.failed();
    expect(refusal(throttle, 'admin', 'a')?.code).toBe('LOGIN_SUSPENDED');
    time.advance(1_000);
    const one = throttle.check('admin', 'a');
    expect(refusal(throttle, 'admin', 'a')?.code).toBe('LOGIN_SUSPENDED');
    one.succeeded();
    one.failed(); // settled already: no effect
    expect(throttle.size).toBe(0);
    const again = throttle.check('admin', 'a');
    again.release();
    expect(throttle.size).toBe(0);
  });

  it('EDGE-AUTH-9: a user name of any length costs a fixed-size key', () => {
    const long = 'x'.repeat(100_000);
    expect(throttleKey(long, '203.0.113.7')).toHaveLength(44);
    expect(throttleKey(long, '203.0.113.7')).not.toBe(throttleKey(`${long}y`, '203.0.113.7'));
    expect(throttleKey('a', 'b')).not.toBe(throttleKey('a', 'c'));
  });

  it('EDGE-AUTH-9: forgets quietly: entries past the window leave as new failures arrive', () => {
    const time = clock();
    const throttle = new LoginThrottle(time.now);
    for (let i = 0; i < 50; i++) throttle.failed(`u${i}`, 'a');
    time.advance(DEFAULT_LOGIN_THROTTLE.forgetAfterMs);
    throttle.failed('late', 'a');
    expect(throttle.size).toBe(1);
  });

  it('EDGE-AUTH-9: tells of each suspension', () => {
    const seen: unknown[] = [];
    const throttle = new LoginThrottle(clock().now, DEFAULT_LOGIN_THROTTLE, (...args) => seen.push(args));
    for (let i = 0; i < 6; i++) throttle.failed('admin', 'a');
    expect(seen).toEqual([
      ['admin', 'a', 5, 1_000],
      ['admin', 'a', 6, 2_000],
    ]);
  });
});
