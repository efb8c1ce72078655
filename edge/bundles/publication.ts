import { EdgeError } from '../../protocol/errors.ts';
import { mimeTypeOf } from '../repos/artifacts.ts';
import type { BundleRecord } from '../storage/bundles.ts';
import type { MetadataStore } from '../storage/metadata.ts';
import { planPublication, targetPaths, targetRepos } from './publication-rules.ts';

/** Rounds of read, decide, apply before a commit whose targets keep changing gives up. */
const ATTEMPTS = 5;

/**
 * EDP-TX-8, EDP-PUB-1: publishes a transaction. The rules decide on what the store holds now;
 * the store applies their plan only if nothing they looked at changed meanwhile, so a
 * concurrent write sends the commit round again, to be judged on the new state.
 */
export async function publishTransaction(metadata: MetadataStore, txId: string, at: number, uploadsRepo: string): Promise<BundleRecord> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const tx = await metadata.bundles.transaction(txId);
    const files = tx?.files ?? [];
    const repos = new Map(await Promise.all(targetRepos(files).map(async (key) => [key, await metadata.repos.get(key)] as const)));
    const paths = await metadata.bundles.pathStates(targetPaths(files));
    const published = tx && (await metadata.bundles.bundle(tx.name, tx.version));
    const plan = planPublication({ txId, transaction: tx, files, published, repos, paths, uploadsRepo, at, mimeOf: mimeTypeOf });
    const bundle = await metadata.bundles.publish(plan);
    if (bundle) return bundle;
  }
  throw new EdgeError('UNAVAILABLE', `The targets of transaction ${txId} kept changing during the commit; commit again.`);
}
