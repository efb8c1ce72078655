/** Audience entries as JFrog writes them: `<service type>@<id>`, with `*` for any type or id. */
const AUDIENCE_ENTRY = /^(?:\*|[a-z]+)@(?:\*|[0-9a-z]+)$/;

/** Any Artifactory-type service, this Edge among them. */
const ANY_ARTIFACTORY = 'jfrt@*';
/** Any service of the circle. */
export const ANY_SERVICE = '*@*';

/**
 * Whether a token is meant for this service: `aud` (a string or an array, both occur in
 * JFrog's tokens) names its service id, `jfrt@*` or `*@*`.
 */
export function audienceIncludes(aud: string | readonly string[], serviceId: string): boolean {
  const entries = typeof aud === 'string' ? [aud] : aud;
  return entries.some((entry) => entry === serviceId || entry === ANY_ARTIFACTORY || entry === ANY_SERVICE);
}

/**
 * Parses the `audience` of a token request: entries separated by spaces (as JFrog's API
 * takes them) or commas. Returns the entries, or the first one that is not an audience.
 */
export function parseAudience(text: string): { entries: string[] } | { invalid: string } {
  const entries = text.split(/[\s,]+/).filter((entry) => entry !== '');
  const invalid = entries.find((entry) => !AUDIENCE_ENTRY.test(entry));
  if (invalid !== undefined || entries.length === 0) return { invalid: invalid ?? text };
  return { entries: [...new Set(entries)] };
}
