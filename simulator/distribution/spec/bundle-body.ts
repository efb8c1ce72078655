import { z } from 'zod';
import { bundleName, bundleVersion } from '../../../protocol/bundle/model.ts';
import { REPO_KEY_PATTERN } from '../../../protocol/paths.ts';

/**
 * Bodies of create (`POST /api/v1/release_bundle`) and update
 * (`PUT /api/v1/release_bundle/{name}/{version}`), jfrog-compat.md §3.1 and §3.2, with the
 * validation JFrog's Terraform provider applies (§3.1): name ≤128 and version ≤32 characters
 * matching `^[A-Za-z0-9][A-Za-z0-9_\.\-:]+$`, version not `LATEST` (EDP-SIG-10, EDP-SIG-11);
 * `query_name` 2–32 characters matching `^[A-Za-z][A-Za-z0-9_\-\.:]+$`; release notes syntax
 * markdown, asciidoc or plain_text (default plain_text). `dry_run` and `sign_immediately`
 * default to false.
 */

const QUERY_NAME = /^[A-Za-z][A-Za-z0-9_\-.:]+$/;

const prop = z.object({ key: z.string().min(1), values: z.array(z.string()) });

const mapping = z.object({
  input: z.string().min(1).refine(compiles, 'must be a valid regular expression'),
  output: z.string(),
});

const query = z.object({
  aql: z.string().min(1),
  query_name: z.string().min(2).max(32).regex(QUERY_NAME, `must match ${QUERY_NAME}`).optional(),
  mappings: z.array(mapping).optional(),
  added_props: z.array(prop).optional(),
  exclude_props_patterns: z.array(z.string().min(1)).optional(),
  // GET answers carry query_type (§3.4); a client may send a bundle back as it read it. Only
  // AQL queries can be run here; UI-built ("SIMPLE") ones cannot.
  query_type: z.literal('AQL', 'only AQL queries are supported').optional(),
});

const bundleFields = {
  dry_run: z.boolean().default(false),
  sign_immediately: z.boolean().default(false),
  // §3.1: null or absent means the source Artifactory's default storing repository.
  // The Edge's repository key rule (EDP-SIG-15), so a storing repository is a real key.
  storing_repository: z.string().regex(REPO_KEY_PATTERN, `must be a repository key (${REPO_KEY_PATTERN})`).nullable().optional(),
  description: z.string().max(10_000).optional(),
  release_notes: z
    .object({
      syntax: z.enum(['markdown', 'asciidoc', 'plain_text']).default('plain_text'),
      content: z.string(),
    })
    .optional(),
  spec: z.object({ queries: z.array(query).min(1, 'needs at least one query') }),
};

export const updateBundleBody = z.object(bundleFields);
export const createBundleBody = z.object({ name: bundleName, version: bundleVersion, ...bundleFields });

export type UpdateBundleBody = z.infer<typeof updateBundleBody>;

export interface BundleQuery {
  aql: string;
  query_name: string;
  mappings: { input: string; output: string }[];
  added_props: { key: string; values: string[] }[];
  exclude_props_patterns: string[];
}

/** The spec as stored and shown: every member present, as JFrog's GET shows it (§3.4). */
export interface BundleSpec {
  queries: BundleQuery[];
}

export function normaliseSpec(spec: UpdateBundleBody['spec']): BundleSpec {
  return {
    queries: spec.queries.map((q, index) => ({
      aql: q.aql,
      // §3.4 shows JFrog naming unnamed queries "query-0", "query-1", ...
      query_name: q.query_name ?? `query-${index}`,
      mappings: q.mappings ?? [],
      added_props: q.added_props ?? [],
      exclude_props_patterns: q.exclude_props_patterns ?? [],
    })),
  };
}

/** Compiled exactly as mappings.ts uses it, so a pattern accepted here cannot fail there. */
function compiles(pattern: string): boolean {
  try {
    new RegExp(`^(?:${pattern})$`, 'u');
    return true;
  } catch {
    return false;
  }
}
