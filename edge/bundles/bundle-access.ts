import type { EdgeContext } from '../context.ts';
import type { BundleRecord, BundleStore } from '../storage/bundles.ts';
import { isAdmin, type Principal } from '../trust/principal.ts';

/**
 * EDGE-AUTH-5, EDP-PUB-6, EDP-PUB-7: a release bundle names each of its files with its
 * checksum, and its JWS can only be served whole, so a caller sees a bundle (in the list, as
 * JSON, as JWS) only when they may read every file of it; otherwise it answers as absent.
 * An admin sees every bundle, even one whose target repository is gone; to anyone else a file
 * in a missing repository is one they may not read, so that bundle stays hidden from them.
 */
export async function mayReadBundle(ctx: EdgeContext, store: BundleStore, principal: Principal, bundle: BundleRecord): Promise<boolean> {
  if (isAdmin(principal)) return true;
  const tx = await store.transaction(bundle.txId);
  for (const file of tx?.files ?? []) {
    const repo = await ctx.metadata.repos.get(file.repo);
    if (!repo || !(await ctx.access.can(principal, 'read', repo, { path: file.path, folder: false }))) return false;
  }
  return tx !== undefined;
}
