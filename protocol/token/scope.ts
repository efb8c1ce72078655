/**
 * What a token's `scp` grants. Scopes are separated by white space; those this Edge does not
 * act on (`api:*`, other services' scopes) are returned as `other` so an issuer can refuse
 * them while a verifier ignores them.
 */
export interface Grant {
  /** `applied-permissions/admin`: everything an admin may do. */
  admin: boolean;
  /** `applied-permissions/user`: what the subject's user may do here. */
  user: boolean;
  /** `applied-permissions/groups:a,b`: what these groups may do. */
  groups: string[];
}

export interface ParsedScope {
  grant: Grant;
  other: string[];
}

const ADMIN_SCOPE = 'applied-permissions/admin';
export const USER_SCOPE = 'applied-permissions/user';
const GROUPS_PREFIX = 'applied-permissions/groups:';
/** Access 6 and older Artifactory tokens; `*` meant "the user's own groups". */
const LEGACY_GROUPS_PREFIX = 'member-of-groups:';

export function parseScope(scp: string): ParsedScope {
  const grant: Grant = { admin: false, user: false, groups: [] };
  const other: string[] = [];
  for (const item of splitOutsideQuotes(scp, /\s/)) {
    if (item === ADMIN_SCOPE) grant.admin = true;
    else if (item === USER_SCOPE) grant.user = true;
    else if (item.startsWith(GROUPS_PREFIX)) grant.groups.push(...groupList(item.slice(GROUPS_PREFIX.length)));
    else if (item.startsWith(LEGACY_GROUPS_PREFIX)) {
      const groups = groupList(item.slice(LEGACY_GROUPS_PREFIX.length));
      if (groups.includes('*')) grant.user = true;
      grant.groups.push(...groups.filter((group) => group !== '*'));
    } else other.push(item);
  }
  grant.groups = [...new Set(grant.groups)];
  return { grant, other };
}

/** True when the scope lets the token act at all. */
export function grantsAnything(grant: Grant): boolean {
  return grant.admin || grant.user || grant.groups.length > 0;
}

/** The canonical scope text for a grant, as this Edge writes it into the tokens it issues. */
export function formatScope(grant: Grant): string {
  const items: string[] = [];
  if (grant.admin) items.push(ADMIN_SCOPE);
  if (grant.user) items.push(USER_SCOPE);
  if (grant.groups.length > 0) items.push(GROUPS_PREFIX + grant.groups.map(quoteGroup).join(','));
  return items.join(' ');
}

/** JFrog quotes group names (`groups:"admin-group",`) and may leave a trailing comma. */
function groupList(text: string): string[] {
  return splitOutsideQuotes(text, /,/)
    .map((group) => (group.length >= 2 && group.startsWith('"') && group.endsWith('"') ? group.slice(1, -1) : group))
    .filter((group) => group !== '');
}

function quoteGroup(group: string): string {
  return /^[A-Za-z0-9._@-]+$/.test(group) ? group : `"${group}"`;
}

/** Splits where `separator` matches outside double quotes, so a quoted group may hold spaces. */
function splitOutsideQuotes(text: string, separator: RegExp): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    if (!quoted && separator.test(char)) {
      if (current !== '') parts.push(current);
      current = '';
    } else current += char;
  }
  if (current !== '') parts.push(current);
  return parts;
}
