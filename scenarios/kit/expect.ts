import * as chai from 'chai';
import { JestAsymmetricMatchers, JestChaiExpect, JestExtend } from '@vitest/expect';

/**
 * The assertions scenarios make: the `expect` API the project's tests use (vitest's matchers
 * over chai), without the test runner, because `edgeproof conformance` runs scenarios itself.
 * A failed expectation throws chai's AssertionError, whose message and diff the reports show.
 */
chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

interface AsymmetricMatchers {
  stringMatching(pattern: string | RegExp): unknown;
  stringContaining(text: string): unknown;
  objectContaining(shape: Record<string, unknown>): unknown;
  arrayContaining(items: unknown[]): unknown;
  any(type: unknown): unknown;
  anything(): unknown;
}

type Expect = ((value: unknown, message?: string) => import('@vitest/expect').Assertion<unknown>) & AsymmetricMatchers;

const base = chai.expect as unknown as AsymmetricMatchers;

export const expect: Expect = Object.assign(
  (value: unknown, message?: string) => chai.expect(value, message) as unknown as import('@vitest/expect').Assertion<unknown>,
  {
    stringMatching: base.stringMatching,
    stringContaining: base.stringContaining,
    objectContaining: base.objectContaining,
    arrayContaining: base.arrayContaining,
    any: base.any,
    anything: base.anything,
  },
);
