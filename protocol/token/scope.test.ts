import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatScope, grantsAnything, parseScope } from './scope.ts';

describe('EDGE-TRUST-15: token scopes', () => {
  it('reads the applied-permissions scopes', () => {
    expect(parseScope('applied-permissions/user').grant).toEqual({ admin: false, user: true, groups: [] });
    expect(parseScope('applied-permissions/admin api:*')).toEqual({ grant: { admin: true, user: false, groups: [] }, other: ['api:*'] });
    expect(parseScope('applied-permissions/groups:readers,deployers').grant.groups).toEqual(['readers', 'deployers']);
  });

  it('reads groups as JFrog writes them: quoted, with a trailing comma, with spaces inside quotes', () => {
    expect(parseScope('applied-permissions/groups:"admin-group",').grant.groups).toEqual(['admin-group']);
    expect(parseScope('applied-permissions/groups:"release team",qa api:*').grant.groups).toEqual(['release team', 'qa']);
  });

  it("reads the legacy member-of-groups scope; * means the user's own groups", () => {
    expect(parseScope('member-of-groups:readers api:*').grant).toEqual({ admin: false, user: false, groups: ['readers'] });
    expect(parseScope('member-of-groups:*').grant).toEqual({ admin: false, user: true, groups: [] });
  });

  it('grants nothing for scopes of other services or none at all', () => {
    for (const scp of ['', 'api:*', 'jfrt@01abc:admin internal:federated-repo/*', 'applied-permissions/groups:', 'applied-permissions/users']) {
      expect(grantsAnything(parseScope(scp).grant), scp).toBe(false);
    }
  });

  it('formats a grant so that parsing gives it back', () => {
    const group = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,20}$/).filter((g) => g.trim() === g);
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.uniqueArray(group, { maxLength: 4 }), (admin, user, groups) => {
        const grant = { admin, user, groups };
        expect(parseScope(formatScope(grant)).grant).toEqual(grant);
      }),
    );
  });
});
