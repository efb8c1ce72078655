import { describe, expect, it } from 'vitest';
import { EdgeError } from '../../../protocol/errors.ts';
import type { ItemRecord, RepoRecord, RepoStore } from '../../storage/metadata.ts';
import type { AccessControl } from '../../trust/access.ts';
import { ANONYMOUS } from '../../trust/principal.ts';
import type { RepositoryReads, Resolved } from '../resolution.ts';
import { VirtualReads } from './reads.ts';

/**
 * What a virtual asks of its members, counted: the HTTP tests (test/virtual-repositories.test.ts)
 * see answers, but only this shows which member was asked at all, which is what keeps an
 * excluded path from ever reaching a remote member's upstream (EDGE-VR-3).
 */

const repo = (key: string, rclass: RepoRecord['rclass'], config: Record<string, unknown> = {}): RepoRecord => ({
  key,
  rclass,
  packageType: 'generic',
  config,
  created: 0,
});
const file = (repoKey: string, path: string): ItemRecord => ({
  repo: repoKey,
  path,
  folder: false,
  size: 1,
  checksums: { sha1: 'a', sha256: 'b', md5: 'c' },
  mimeType: 'text/plain',
  created: 0,
  createdBy: 'x',
  modified: 0,
  modifiedBy: 'x',
  updated: 0,
});

function world(repos: RepoRecord[], holds: Record<string, string[]>) {
  const asked: string[] = [];
  const byKey = new Map(repos.map((r) => [r.key, r]));
  const reads: RepositoryReads = {
    async resolve(_principal, address) {
      asked.push(`${address.repo}:${address.path}`);
      const r = byKey.get(address.repo) as RepoRecord;
      if (address.path === '') return { repo: r, item: undefined, path: '' };
      if (!holds[address.repo]?.includes(address.path)) throw new EdgeError('NOT_FOUND', 'absent');
      return { repo: r, item: file(address.repo, address.path), path: address.path };
    },
    children: async () => [],
    list: async () => [],
    open: async () => {
      throw new Error('not used');
    },
  };
  const store = { get: async (key: string) => byKey.get(key) } as unknown as RepoStore;
  const access = { requireUser() {}, can: async () => true } as unknown as AccessControl;
  return { asked, virtual: new VirtualReads(reads, store, access), byKey };
}

describe('VirtualReads', () => {
  it('EDGE-VR-3: a path the virtual excludes, or does not include, is asked of no member', async () => {
    const v = repo('v', 'virtual', { repositories: ['loc', 'rem'], excludesPattern: 'secret/**', includesPattern: 'pub/**,secret/**' });
    const w = world([v, repo('loc', 'local'), repo('rem', 'remote')], { loc: ['secret/x.txt', 'other/y.txt'], rem: ['secret/x.txt'] });
    for (const path of ['secret/x.txt', 'other/y.txt']) {
      await expect(w.virtual.resolve(ANONYMOUS, v, path)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    expect(w.asked).toEqual([]);
  });

  it('EDGE-VR-2: local members are asked before remote ones, each in list order, nested virtuals in place', async () => {
    const inner = repo('inner', 'virtual', { repositories: ['rem-b', 'loc-b'] });
    const v = repo('v', 'virtual', { repositories: ['rem-a', 'inner', 'loc-a'] });
    const w = world([v, inner, repo('rem-a', 'remote'), repo('rem-b', 'remote'), repo('loc-a', 'local'), repo('loc-b', 'local')], { 'rem-b': ['f'] });
    const found: Resolved = await w.virtual.resolve(ANONYMOUS, v, 'f');
    expect(found.member?.repo.key).toBe('rem-b');
    expect(w.asked).toEqual(['loc-b:f', 'loc-a:f', 'rem-a:f', 'rem-b:f']);
  });

  it('EDGE-VR-2: the first member that has the path answers and the later ones are not asked', async () => {
    const v = repo('v', 'virtual', { repositories: ['one', 'two', 'three'] });
    const w = world([v, repo('one', 'local'), repo('two', 'local'), repo('three', 'remote')], { two: ['f'], three: ['f'] });
    expect((await w.virtual.resolve(ANONYMOUS, v, 'f')).member?.repo.key).toBe('two');
    expect(w.asked).toEqual(['one:f', 'two:f']);
  });
});
