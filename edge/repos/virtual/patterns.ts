import { antMatch, antMatchStart } from '../../trust/path-patterns.ts';
import type { RepoRecord } from '../../storage/metadata.ts';

/**
 * EDGE-VR-3: a virtual's `includesPattern`/`excludesPattern` (comma-separated Ant patterns,
 * jfrog-compat.md §1.7) decide which paths it shows at all.
 */
function patterns(repo: RepoRecord, field: 'includesPattern' | 'excludesPattern', fallback: string): string[] {
  const value = repo.config[field];
  const text = typeof value === 'string' ? value : fallback;
  return text
    .split(',')
    .map((p) => p.trim().replace(/^\/+/, ''))
    .filter((p) => p !== '');
}

function excluded(repo: RepoRecord, path: string): boolean {
  return patterns(repo, 'excludesPattern', '').some((p) => antMatch(p, path));
}

/**
 * Before anything is asked: could `path` be shown through every virtual of `chain`, as a file
 * or as a folder on the way to included files? The repository root always is.
 */
export function mayShow(chain: readonly RepoRecord[], path: string): boolean {
  if (path === '') return true;
  return chain.every((repo) => !excluded(repo, path) && patterns(repo, 'includesPattern', '**/*').some((p) => antMatchStart(p, path)));
}

/** Once it is known whether `path` is a folder: is it shown through every virtual of `chain`? */
export function shows(chain: readonly RepoRecord[], item: { path: string; folder: boolean }): boolean {
  if (!mayShow(chain, item.path)) return false;
  return item.folder || chain.every((repo) => patterns(repo, 'includesPattern', '**/*').some((p) => antMatch(p, item.path)));
}
