import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../trust/principal.ts';
import { z } from 'zod';
import { EdgeError } from '../../../protocol/errors.ts';
import type { EdgeContext } from '../../context.ts';
import type { PermissionTarget } from '../../storage/metadata.ts';
import { ACTIONS } from '../../trust/access.ts';
import { hashPassword } from '../../trust/passwords.ts';
import { ADMIN_USER, validateUserName } from '../../trust/users.ts';
import { needs } from '../route-access.ts';
import { artifactoryUrl } from '../urls.ts';

type Named = { Params: { name: string } };

const userBody = z.looseObject({
  name: z.string().optional(),
  email: z.string().max(256).optional(),
  password: z.string().min(8).max(256).optional(),
  admin: z.boolean().optional(),
  groups: z
    .array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/))
    .max(256)
    .optional(),
});

const actions = z.record(z.string(), z.array(z.enum(ACTIONS)));
const permissionBody = z.looseObject({
  name: z.string().optional(),
  repo: z.looseObject({
    repositories: z.array(z.string().min(1)).min(1),
    'include-patterns': z.array(z.string()).optional(),
    'exclude-patterns': z.array(z.string()).optional(),
    actions: z.object({ users: actions.optional(), groups: actions.optional() }).optional(),
  }),
});

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EdgeError('INVALID_BODY', `Invalid ${what}: '${issue?.path.join('.') ?? ''}' ${issue?.message ?? ''}`.trim());
  }
  return parsed.data;
}

/**
 * Users and permission targets, in Artifactory's security API shapes. Admin only. Every change
 * takes effect on the next request: it moves the store's version, which ends cached
 * credentials and permissions (EDGE-AUTH-10).
 */
export async function securityRoutes(app: FastifyInstance, ctx: EdgeContext): Promise<void> {
  app.get('/artifactory/api/security/users', needs('admin'), async (request) => {
    ctx.access.requireAdmin(request.principal);
    const base = artifactoryUrl(request, ctx.config);
    return (await ctx.metadata.users.list()).map((u) => ({ name: u.name, uri: `${base}/api/security/users/${u.name}`, realm: 'internal' }));
  });

  app.get<Named>('/artifactory/api/security/users/:name', needs('admin'), async (request) => {
    ctx.access.requireAdmin(request.principal);
    const user = await ctx.metadata.users.get(request.params.name);
    if (!user) throw new EdgeError('NOT_FOUND', `User '${request.params.name}' does not exist.`);
    return { name: user.name, email: user.email, admin: user.admin, groups: user.groups, realm: 'internal', profileUpdatable: true, disableUIAccess: false };
  });

  const putUser = (replace: boolean) => async (request: { params: { name: string }; body: unknown; principal: Principal }) => {
    ctx.access.requireAdmin(request.principal);
    const name = validateUserName(request.params.name);
    const body = parse(userBody, request.body ?? {}, 'user');
    if (body.name !== undefined && body.name !== name) throw new EdgeError('INVALID_BODY', 'The name in the body differs from the name in the URL.');
    const existing = await ctx.metadata.users.get(name);
    if (!existing && !replace) throw new EdgeError('NOT_FOUND', `User '${name}' does not exist.`);
    if (!existing && !body.password) throw new EdgeError('INVALID_BODY', 'A new user needs a password of at least 8 characters.');
    if (name === ADMIN_USER && body.admin === false) throw new EdgeError('INVALID_BODY', `The ${ADMIN_USER} user stays an admin.`);
    await ctx.metadata.users.put({
      name,
      email: body.email ?? existing?.email ?? '',
      passwordHash: body.password ? await hashPassword(body.password) : (existing?.passwordHash as string),
      admin: body.admin ?? existing?.admin ?? false,
      groups: body.groups ?? existing?.groups ?? [],
      created: existing?.created ?? ctx.now(),
    });
    return existing;
  };

  app.put<Named>('/artifactory/api/security/users/:name', needs('admin'), async (request, reply) => {
    const existing = await putUser(true)(request);
    return reply.status(existing ? 200 : 201).send();
  });

  app.post<Named>('/artifactory/api/security/users/:name', needs('admin'), async (request, reply) => {
    await putUser(false)(request);
    return reply.status(200).send();
  });

  app.delete<Named>('/artifactory/api/security/users/:name', needs('admin'), async (request, reply) => {
    ctx.access.requireAdmin(request.principal);
    if (request.params.name === ADMIN_USER) throw new EdgeError('FORBIDDEN', `The ${ADMIN_USER} user cannot be removed.`);
    if (!(await ctx.metadata.users.delete(request.params.name))) throw new EdgeError('NOT_FOUND', `User '${request.params.name}' does not exist.`);
    return reply.type('text/plain').send(`User '${request.params.name}' has been removed successfully.`);
  });

  const PERMISSIONS = '/artifactory/api/v2/security/permissions';

  app.get(PERMISSIONS, needs('admin'), async (request) => {
    ctx.access.requireAdmin(request.principal);
    const base = artifactoryUrl(request, ctx.config);
    return (await ctx.metadata.users.permissions()).map((p) => ({ name: p.name, uri: `${base}/api/v2/security/permissions/${p.name}` }));
  });

  app.get<Named>(`${PERMISSIONS}/:name`, needs('admin'), async (request) => {
    ctx.access.requireAdmin(request.principal);
    const target = await ctx.metadata.users.getPermission(request.params.name);
    if (!target) throw new EdgeError('NOT_FOUND', `Permission target '${request.params.name}' does not exist.`);
    return permissionJson(target);
  });

  for (const method of ['POST', 'PUT'] as const) {
    app.route<Named>({
      method,
      url: `${PERMISSIONS}/:name`,
      ...needs('admin'),
      handler: async (request, reply) => {
        ctx.access.requireAdmin(request.principal);
        const name = request.params.name;
        if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/.test(name)) throw new EdgeError('BAD_REQUEST', 'Invalid permission target name.');
        const body = parse(permissionBody, request.body ?? {}, 'permission target');
        const existing = await ctx.metadata.users.getPermission(name);
        if (method === 'POST' && existing) throw new EdgeError('CONFLICT', `Permission target '${name}' already exists.`);
        await ctx.metadata.users.putPermission({
          name,
          repositories: body.repo.repositories,
          includePatterns: body.repo['include-patterns'] ?? ['**'],
          excludePatterns: body.repo['exclude-patterns'] ?? [],
          users: body.repo.actions?.users ?? {},
          groups: body.repo.actions?.groups ?? {},
        });
        return reply.status(existing ? 200 : 201).send();
      },
    });
  }

  app.delete<Named>(`${PERMISSIONS}/:name`, needs('admin'), async (request, reply) => {
    ctx.access.requireAdmin(request.principal);
    if (!(await ctx.metadata.users.deletePermission(request.params.name))) {
      throw new EdgeError('NOT_FOUND', `Permission target '${request.params.name}' does not exist.`);
    }
    return reply.status(200).send();
  });
}

function permissionJson(target: PermissionTarget): Record<string, unknown> {
  return {
    name: target.name,
    repo: {
      repositories: target.repositories,
      'include-patterns': target.includePatterns,
      'exclude-patterns': target.excludePatterns,
      actions: { users: target.users, groups: target.groups },
    },
  };
}
