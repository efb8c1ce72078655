/**
 * Ant-style path patterns as Artifactory's permission targets use them (Spring's
 * AntPathMatcher): `**` any number of folders, `*` any characters within a name, `?` one
 * character. Paths and patterns are relative to the repository root, without a leading `/`.
 */

/** True when `pattern` matches `path` exactly; `a/**` also matches `a` itself, as in Spring. */
export function antMatch(pattern: string, path: string): boolean {
  return compiled(pattern).test(path);
}

// Listings check every item against every pattern of every target: compile each pattern once.
// Patterns come from permission targets (admin-written, few), so the cache stays small; it is
// still bounded so a long-running Edge whose targets churn cannot grow it without end.
const MAX_COMPILED = 4096;
const compiledPatterns = new Map<string, RegExp>();

function compiled(pattern: string): RegExp {
  let regex = compiledPatterns.get(pattern);
  if (regex === undefined) {
    if (compiledPatterns.size >= MAX_COMPILED) compiledPatterns.clear();
    regex = new RegExp(`^${antRegexSource(pattern)}$`);
    compiledPatterns.set(pattern, regex);
  }
  return regex;
}

function antRegexSource(pattern: string): string {
  let regex = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '/' && pattern.slice(i) === '/**') {
      regex += '(?:/.*)?';
      break;
    }
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      regex += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') regex += '[^/]*';
    else if (c === '?') regex += '[^/]';
    else regex += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return regex;
}

/**
 * True when `pattern` could match `folder` or something below it (Spring's `matchStart`):
 * what makes a folder visible to a user whose include pattern names only paths deeper down,
 * so `team/**` shows the repository root and the folder `team` on the way to its files.
 */
export function antMatchStart(pattern: string, folder: string): boolean {
  if (folder === '' || antMatch(pattern, folder)) return true;
  const patternSegments = pattern.split('/');
  const folderSegments = folder.split('/');
  for (const [i, segment] of folderSegments.entries()) {
    const wanted = patternSegments[i];
    if (wanted === undefined) return false;
    if (wanted.includes('**')) return true;
    if (!antMatch(wanted, segment)) return false;
  }
  return patternSegments.length > folderSegments.length;
}
