import { EdgeError } from '../errors.ts';

/**
 * Query parameters as Artifactory spells them (jfrog-compat.md §1.4, §1.6): `?list`, `?deep=1`,
 * `?recursive=0`. `value` is what the adapter's query parser gave: undefined or null when the
 * parameter is absent.
 */

/** `1`/`0`, `true`/`false`; a bare `?name` means true. */
export function flagParam(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (value === '' || value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  throw new EdgeError('BAD_REQUEST', `Parameter '${name}' must be 0, 1, true or false.`);
}

/** A count such as `depth`; empty means the default. */
export function countParam(name: string, value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) throw new EdgeError('BAD_REQUEST', `Parameter '${name}' must be a non-negative integer.`);
  return Number(value);
}
