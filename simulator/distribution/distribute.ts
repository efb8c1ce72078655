import { z } from 'zod';
import { removeBundle } from './bundles.ts';
import type { DistributionDeps } from './deps.ts';
import { badRequest, conflict } from './errors.ts';
import type { Site } from './mission-control.ts';
import { deleteFromSite, deliverToSite, type SiteJob } from './runner.ts';
import { distributionRule, matchSites, type DistributionRule } from './sites.ts';
import type { BundleRecord } from './state.ts';
import { newSiteProgress, targetJson, trackerStatus, type SiteProgress, type Tracker, type TrackerType } from './tracker.ts';

/**
 * Distribute (jfrog-compat.md §3.6) and delete from Edges (§3.8): resolve the target sites
 * through Mission Control, answer at once (200 dry run, 202 scheduled, `{id, sites}`), and run
 * every site concurrently in the background, each reporting into the tracker (§3.7).
 */
const rules = z.array(distributionRule).min(1, 'must resolve at least one edge: give at least one rule');

export const distributeBody = z.object({
  // §3.6: dry_run defaults to false; auto_create_missing_repositories to false.
  dry_run: z.boolean().default(false),
  auto_create_missing_repositories: z.boolean().default(false),
  distribution_rules: rules,
});

export const deleteBody = z.object({
  // §3.8: the documented default of dry_run for delete is true (sic); followed as documented.
  dry_run: z.boolean().default(true),
  distribution_rules: rules,
  on_success: z.enum(['keep', 'delete']).default('keep'),
});

export interface Scheduled {
  status: 200 | 202;
  body: { id?: number; sites: ReturnType<typeof targetJson>[] };
}

export async function distribute(deps: DistributionDeps, bundle: BundleRecord, body: z.infer<typeof distributeBody>): Promise<Scheduled> {
  if (bundle.state !== 'READY_FOR_DISTRIBUTION') {
    throw conflict(`Release bundle ${bundle.name}/${bundle.version} is ${bundle.state}: sign it before distributing.`);
  }
  const { jws } = bundle;
  if (jws === undefined) throw conflict(`Release bundle ${bundle.name}/${bundle.version} has no signature.`);
  const sites = await targets(deps, body.distribution_rules);
  if (body.dry_run) return { status: 200, body: { sites: sites.map(targetJson) } };

  const totals = { files: bundle.artifacts.length, bytes: bundle.artifacts.reduce((sum, a) => sum + a.size, 0) };
  const jobs = await jobsFor(deps, sites, totals);
  const tracker = newTracker(deps, 'distribute', bundle, body.distribution_rules, jobs);
  bundle.distributedBy = deps.options.adminUser;
  run(deps, tracker, jobs, (job) =>
    deliverToSite(deps.ctx, deps.source, deps.retry, {
      ...job,
      name: bundle.name,
      version: bundle.version,
      jws,
      autoCreateMissingRepositories: body.auto_create_missing_repositories,
    }),
  );
  return { status: 202, body: { id: tracker.id, sites: sites.map(targetJson) } };
}

export async function deleteFromEdges(deps: DistributionDeps, bundle: BundleRecord, body: z.infer<typeof deleteBody>): Promise<Scheduled> {
  const sites = await targets(deps, body.distribution_rules);
  if (body.dry_run) return { status: 200, body: { sites: sites.map(targetJson) } };

  const jobs = await jobsFor(deps, sites, { files: 0, bytes: 0 });
  const tracker = newTracker(deps, 'delete_release_bundle_version', bundle, body.distribution_rules, jobs);
  run(
    deps,
    tracker,
    jobs,
    (job) => deleteFromSite(deps.ctx, deps.retry, { ...job, name: bundle.name, version: bundle.version }),
    // §3.8 on_success: "delete" removes the version from Distribution once every Edge deleted it.
    () => {
      if (body.on_success === 'delete' && trackerStatus(tracker) === 'Completed') removeBundle(deps.state, bundle);
    },
  );
  return { status: 202, body: { id: tracker.id, sites: sites.map(targetJson) } };
}

async function targets(deps: DistributionDeps, distributionRules: DistributionRule[]): Promise<Site[]> {
  // A fresh check by MC, so each site's status and service id are current (§3.11).
  const sites = matchSites(await deps.mc.edgeSites(true), distributionRules);
  if (sites.length === 0) {
    throw badRequest('The distribution rules resolve no Edge node.', `rules: ${JSON.stringify(distributionRules)}`);
  }
  return sites;
}

/** Credentials for every site before anything starts: MC failing is the caller's 502, not a half-started run. */
async function jobsFor(deps: DistributionDeps, sites: Site[], totals: { files: number; bytes: number }): Promise<SiteJob[]> {
  return Promise.all(sites.map(async (site) => ({ site, authorization: await deps.mc.authorization(site.jpdId), progress: newSiteProgress(site, totals) })));
}

function newTracker(
  deps: DistributionDeps,
  type: TrackerType,
  bundle: BundleRecord,
  distributionRules: DistributionRule[],
  jobs: { progress: SiteProgress }[],
): Tracker {
  const { state, ctx } = deps;
  const friendlyId = state.nextTrackerSeq++;
  const startTime = ctx.now();
  const tracker: Tracker = {
    // JFrog's ids are large numbers (§3.6 `188527534551203840`) next to a small friendly id; ours
    // are the start time in ms times 1000 plus the sequence: unique, sortable, safe integers.
    id: startTime * 1000 + (friendlyId % 1000),
    friendlyId,
    type,
    name: bundle.name,
    version: bundle.version,
    distributedBy: deps.options.adminUser,
    startTime,
    finishTime: undefined,
    rules: distributionRules,
    sites: jobs.map((job) => job.progress),
  };
  state.trackers.push(tracker);
  return tracker;
}

/** Runs every site concurrently in the background; the tracker finishes when all have. */
function run(deps: DistributionDeps, tracker: Tracker, jobs: SiteJob[], work: (job: SiteJob) => Promise<void>, after?: () => void): void {
  const perSite = jobs.map(async (job) => {
    const { progress } = job;
    try {
      await work(job);
    } catch (err) {
      // A bug must not leave a site "In progress" forever.
      deps.ctx.log(`distribution: site ${job.site.name} failed unexpectedly: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      progress.status = 'Failed';
      progress.generalError = `internal error: ${err instanceof Error ? err.message : String(err)}`;
    }
  });
  const all = Promise.all(perSite).then(() => {
    tracker.finishTime = deps.ctx.now();
    after?.();
  });
  deps.running.add(all);
  void all.finally(() => deps.running.delete(all));
}
