import type { FastifyInstance } from 'fastify';
import { EdgeError } from '../../../protocol/errors.ts';
import { MEDIA } from '../../../protocol/wire/media-types.ts';
import { repositoryConfigJson, repositoryListEntry } from '../../../protocol/wire/repositories.ts';
import type { EdgeContext } from '../../context.ts';
import { publicConfig, wireRepository } from '../../repos/repositories.ts';
import { needs } from '../route-access.ts';
import { artifactoryUrl } from '../urls.ts';

type Query = Record<string, string | undefined>;

const REPO_TYPES = ['local', 'remote', 'virtual', 'federated', 'distribution'];

/**
 * Repository configuration (jfrog-compat.md §1.7): the list and its filters (EDGE-REPO-1), create,
 * update and delete (EDGE-REPO-2, EDGE-REPO-3, EDGE-REPO-4). Reads list only what the caller may read.
 */
export async function repositoryRoutes(app: FastifyInstance, ctx: EdgeContext): Promise<void> {
  app.get('/artifactory/api/repositories', needs('reader'), async (request, reply) => {
    // EDGE-AUTH-2: who is asking is settled (401) before the query is judged (400).
    ctx.access.requireUser(request.principal);
    const { type, packageType } = request.query as Query;
    if (type !== undefined && !REPO_TYPES.includes(type.toLowerCase())) {
      throw new EdgeError('BAD_REQUEST', `Unknown repository type '${type.slice(0, 32)}': use one of ${REPO_TYPES.join(', ')}.`);
    }
    const base = artifactoryUrl(request, ctx.config);
    const visible = [];
    for (const repo of await ctx.repositories.list()) {
      if (type && repo.rclass !== type.toLowerCase()) continue;
      if (packageType && repo.packageType !== packageType.toLowerCase()) continue;
      if (await ctx.access.can(request.principal, 'read', repo, '')) visible.push(repositoryListEntry(base, wireRepository(repo)));
    }
    return reply.type(MEDIA.repositoryList).send(visible);
  });

  app.get<{ Params: { key: string } }>('/artifactory/api/repositories/:key', needs('admin'), async (request, reply) => {
    ctx.access.requireAdmin(request.principal);
    const repo = await ctx.repositories.get(request.params.key);
    return reply.type(MEDIA.repositoryConfig).send(repositoryConfigJson(repo, publicConfig(repo)));
  });

  app.put<{ Params: { key: string } }>('/artifactory/api/repositories/:key', needs('admin'), async (request, reply) => {
    ctx.access.requireAdmin(request.principal);
    await ctx.repositories.create(request.params.key, request.body ?? {});
    return reply.status(200).type('text/plain').send(`Successfully created repository '${request.params.key}'`);
  });

  app.post<{ Params: { key: string } }>('/artifactory/api/repositories/:key', needs('admin'), async (request, reply) => {
    ctx.access.requireAdmin(request.principal);
    await ctx.repositories.update(request.params.key, request.body ?? {});
    return reply.status(200).type('text/plain').send(`Repository '${request.params.key}' update successfully.`);
  });

  app.delete<{ Params: { key: string } }>('/artifactory/api/repositories/:key', needs('admin'), async (request, reply) => {
    ctx.access.requireAdmin(request.principal);
    await ctx.repositories.delete(request.params.key);
    return reply.status(200).type('text/plain').send(`Repository '${request.params.key}' and all its content have been removed successfully.`);
  });
}
