import { z } from 'zod';
import { globMatcher } from './glob.ts';
import type { Site } from './mission-control.ts';

/**
 * `distribution_rules` (jfrog-compat.md §3.6): each rule has `site_name`, `city_name` and
 * `country_codes`, each a wildcard defaulting to `"*"` / `["*"]`. JFrog leaves the matching
 * undocumented (§4, §8 item 5); we decide:
 * - `*` matches any run of characters, `?` one character, the whole value must match;
 * - case-insensitive (site names are typed by people; country codes are upper case in MC and
 *   often lower case in scripts);
 * - a site matches a rule when its name, its city and one of the rule's country codes all
 *   match; it is a target when it matches any rule; each target once, in Mission Control's order.
 * Only Edge-licensed JPDs are candidates (the caller passes `edgeSites`).
 */
export const distributionRule = z.object({
  site_name: z.string().default('*'),
  city_name: z.string().default('*'),
  country_codes: z.array(z.string()).min(1, 'needs at least one country code').default(['*']),
});

export type DistributionRule = z.infer<typeof distributionRule>;

export function matchSites(sites: readonly Site[], rules: readonly DistributionRule[]): Site[] {
  const matchers = rules.map((rule) => {
    const site = globMatcher(rule.site_name, { caseInsensitive: true });
    const city = globMatcher(rule.city_name, { caseInsensitive: true });
    const countries = rule.country_codes.map((code) => globMatcher(code, { caseInsensitive: true }));
    return (s: Site) => site(s.name) && city(s.cityName) && countries.some((country) => country(s.countryCode));
  });
  return sites.filter((s) => matchers.some((matches) => matches(s)));
}
