import { globMatcher } from './glob.ts';
import type { Prop } from './state.ts';

/**
 * The properties a bundle gives a file (jfrog-compat.md §3.1): the source file's properties,
 * less the keys matching any of `exclude_props_patterns`, plus `added_props`. JFrog documents
 * neither the pattern syntax nor how an added key meets an existing one; we decide: patterns
 * are wildcards (`*`, `?`) over the whole key, case-sensitive as property keys are; an added
 * key's values are appended to the existing ones, without duplicates.
 */
export function bundleProps(sourceProps: readonly Prop[], query: { exclude_props_patterns: readonly string[]; added_props: readonly Prop[] }): Prop[] {
  const excluded = query.exclude_props_patterns.map((pattern) => globMatcher(pattern, { caseInsensitive: false }));
  const byKey = new Map<string, string[]>();
  for (const { key, values } of sourceProps) {
    if (!excluded.some((matches) => matches(key))) byKey.set(key, [...values]);
  }
  for (const { key, values } of query.added_props) {
    const existing = byKey.get(key) ?? [];
    byKey.set(key, [...existing, ...values.filter((value) => !existing.includes(value))]);
  }
  return [...byKey].map(([key, values]) => ({ key, values }));
}
