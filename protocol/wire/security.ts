import { z } from 'zod';

/** Artifactory's security API shapes the Edge serves: users and permission targets (v2). */
export const SECURITY_USERS = '/artifactory/api/security/users';
export const PERMISSIONS = '/artifactory/api/v2/security/permissions';

export const UserListEntry = z.looseObject({ name: z.string(), uri: z.string(), realm: z.string() });
export type UserListEntry = z.infer<typeof UserListEntry>;

export const User = z.looseObject({ name: z.string(), email: z.string(), admin: z.boolean(), groups: z.array(z.string()) });
export type User = z.infer<typeof User>;

/** What `PUT`/`POST /api/security/users/{name}` take; a new user needs a password. */
export interface UserRequest {
  email?: string;
  password?: string;
  admin?: boolean;
  groups?: string[];
}

export const PermissionListEntry = z.looseObject({ name: z.string(), uri: z.string() });
export type PermissionListEntry = z.infer<typeof PermissionListEntry>;

const actions = z.record(z.string(), z.array(z.string()));

export const PermissionTarget = z.looseObject({
  name: z.string(),
  repo: z.looseObject({
    repositories: z.array(z.string()),
    'include-patterns': z.array(z.string()),
    'exclude-patterns': z.array(z.string()),
    actions: z.looseObject({ users: actions, groups: actions }),
  }),
});
export type PermissionTarget = z.infer<typeof PermissionTarget>;

/** What `PUT`/`POST` of a permission target take: patterns and actions may be left out. */
export interface PermissionTargetRequest {
  repo: {
    repositories: string[];
    'include-patterns'?: string[];
    'exclude-patterns'?: string[];
    actions?: { users?: Record<string, string[]>; groups?: Record<string, string[]> };
  };
}
