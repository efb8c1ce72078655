import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetadataStore } from '../metadata.ts';
import { openSqliteStore } from './sqlite-store.ts';

/** Two handles on one database file, as two worker processes hold it. */
describe('EDGE-AUTH-11: a security write through one SQLite handle moves the version the other handle reads', () => {
  let dir: string;
  let here: MetadataStore;
  let there: MetadataStore;

  const open = async () => {
    dir = await mkdtemp(join(tmpdir(), 'edgeproof-versions-'));
    here = openSqliteStore(join(dir, 'metadata.db'));
    there = openSqliteStore(join(dir, 'metadata.db'));
  };
  afterEach(async () => {
    await here.close();
    await there.close();
    await rm(dir, { recursive: true, force: true });
  });

  const token = {
    id: 't1',
    subject: 'u',
    scope: 'applied-permissions/user',
    audience: ['*@*'],
    description: '',
    issued: 1,
    expiry: 9,
    refreshHash: null,
    revoked: null,
  };

  it.each([
    ['a user written', (s: MetadataStore) => s.users.put({ name: 'u', email: 'u@x', passwordHash: 'h', admin: false, groups: [], created: 1 })],
    [
      'a permission target written',
      (s: MetadataStore) => s.users.putPermission({ name: 'p', repositories: ['r'], includePatterns: ['**'], excludePatterns: [], users: {}, groups: {} }),
    ],
  ])('users: %s', async (_what, write) => {
    await open();
    const before = here.users.version();
    await write(there);
    expect(here.users.version()).toBeGreaterThan(before);
  });

  it('tokens: an issue and a revocation', async () => {
    await open();
    const before = here.tokens.version();
    await there.tokens.add(token);
    const issued = here.tokens.version();
    expect(issued).toBeGreaterThan(before);
    await there.tokens.revoke('t1', 2);
    expect(here.tokens.version()).toBeGreaterThan(issued);
  });
});
