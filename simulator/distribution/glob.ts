/**
 * Wildcards as JFrog's UIs offer them: `*` is any run of characters (also none), `?` exactly
 * one, everything else literal; the whole value must match.
 */
export function globMatcher(pattern: string, options: { caseInsensitive: boolean }): (value: string) => boolean {
  const body = [...pattern].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('');
  const regex = new RegExp(`^${body}$`, options.caseInsensitive ? 'isu' : 'su');
  return (value) => regex.test(value);
}
