import { describe, expect, it } from 'vitest';
import type { EdgeContext } from '../context.ts';
import type { BundleRecord, BundleStore, TransactionRecord } from '../storage/bundles.ts';
import type { Principal } from '../trust/principal.ts';
import { mayReadBundle } from './bundle-access.ts';

const bundle = { name: 'app', version: '1.0', txId: 'tx-1' } as BundleRecord;
const tx = { id: 'tx-1', files: [{ repo: 'gone-local', path: 'rel/app.bin' }] } as unknown as TransactionRecord;
const store = { transaction: async (id: string) => (id === tx.id ? tx : undefined) } as unknown as BundleStore;
const user = (admin: boolean): Principal => ({ kind: 'user', name: admin ? 'admin' : 'reader', admin, groups: [], via: 'password' });

/** An Edge whose repositories are `repos`, where every caller may read everything there. */
function edgeWith(repos: string[]): EdgeContext {
  return {
    metadata: { repos: { get: async (key: string) => (repos.includes(key) ? { key, rclass: 'local' } : undefined) } },
    access: { can: async () => true },
  } as unknown as EdgeContext;
}

describe('EDGE-AUTH-5: bundle visibility when a target repository is missing', () => {
  it('EDGE-AUTH-5: an admin sees a bundle whose target repository is gone', async () => {
    expect(await mayReadBundle(edgeWith([]), store, user(true), bundle)).toBe(true);
  });

  it('EDGE-AUTH-5: to anyone else such a bundle stays hidden; with the repository there, it shows', async () => {
    expect(await mayReadBundle(edgeWith([]), store, user(false), bundle)).toBe(false);
    expect(await mayReadBundle(edgeWith([]), store, { kind: 'anonymous' }, bundle)).toBe(false);
    expect(await mayReadBundle(edgeWith(['gone-local']), store, user(false), bundle)).toBe(true);
  });
});
