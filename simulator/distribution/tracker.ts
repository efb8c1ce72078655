import type { Site } from './mission-control.ts';
import type { DistributionRule } from './sites.ts';

/**
 * Distribution status trackers (jfrog-compat.md §3.7): one per distribute or delete request,
 * with one entry per target site. Sites are updated in place by the runner while it works.
 */
export type SiteStatus = 'In progress' | 'Completed' | 'Failed';
export type TrackerType = 'distribute' | 'delete_release_bundle_version';

/** A file the Edge refused during a push, as the source reported the Edge's answer. */
export interface FileError {
  repo_path: string;
  /** The Edge's HTTP status, as the source reports it; 0 when the Edge did not answer. */
  status: number;
  code?: string;
  message: string;
}

export interface SiteProgress {
  site: Site;
  status: SiteStatus;
  /** What went wrong, quoting the peer's answer (status, code, message); set when Failed. */
  generalError: string | undefined;
  totalFiles: number;
  totalBytes: number;
  /** Files (and their bytes) the Edge holds for this bundle, as its transaction last said. */
  distributedFiles: number;
  distributedBytes: number;
  fileErrors: FileError[];
  filesInProgress: string[];
  /** Attempts made so far (our addition: shows retries). */
  attempts: number;
}

export interface Tracker {
  id: number;
  friendlyId: number;
  type: TrackerType;
  name: string;
  version: string;
  distributedBy: string;
  startTime: number;
  finishTime: number | undefined;
  rules: DistributionRule[];
  sites: SiteProgress[];
}

export function newSiteProgress(site: Site, totals: { files: number; bytes: number }): SiteProgress {
  return {
    site,
    status: 'In progress',
    generalError: undefined,
    totalFiles: totals.files,
    totalBytes: totals.bytes,
    distributedFiles: 0,
    distributedBytes: 0,
    fileErrors: [],
    filesInProgress: [],
    attempts: 0,
  };
}

/** In progress while any site is; then Failed when any site failed; else Completed. */
export function trackerStatus(tracker: Tracker): SiteStatus {
  if (tracker.sites.some((s) => s.status === 'In progress')) return 'In progress';
  return tracker.sites.some((s) => s.status === 'Failed') ? 'Failed' : 'Completed';
}

/** The tracker as §3.7 shows it (`GET .../distribution/{tracker_id}`). */
export function trackerJson(tracker: Tracker): Record<string, unknown> {
  return {
    distribution_id: tracker.id,
    distribution_friendly_id: tracker.friendlyId,
    type: tracker.type,
    release_bundle_name: tracker.name,
    release_bundle_version: tracker.version,
    status: trackerStatus(tracker),
    distributed_by: tracker.distributedBy,
    start_time: iso(tracker.startTime),
    ...(tracker.finishTime === undefined ? {} : { finish_time: iso(tracker.finishTime) }),
    distribution_rules: tracker.rules,
    sites: tracker.sites.map(siteJson),
  };
}

function siteJson(progress: SiteProgress): Record<string, unknown> {
  return {
    status: progress.status,
    ...(progress.generalError === undefined ? {} : { general_error: progress.generalError }),
    target_artifactory: { service_id: progress.site.serviceId, name: progress.site.name, type: 'edge' },
    total_files: progress.totalFiles,
    total_bytes: progress.totalBytes,
    distributed_bytes: progress.distributedBytes,
    distributed_files: progress.distributedFiles,
    file_errors: progress.fileErrors,
    files_in_progress: progress.filesInProgress,
    attempts: progress.attempts,
  };
}

/** The `sites` of a distribute/delete answer (§3.6). */
export function targetJson(site: Site): { service_id: string | null; name: string; type: 'edge' } {
  return { service_id: site.serviceId, name: site.name, type: 'edge' };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
