import type { Hono } from 'hono';
import { z } from 'zod';
import { EdgeError } from '../../../protocol/errors.ts';
import { MEDIA } from '../../../protocol/wire/media-types.ts';
import { LOCAL_REPOSITORY_DEFAULTS, repositoryConfigJson, repositoryListEntry } from '../../../protocol/wire/repositories.ts';
import { artifactoryBase, json, readJson, text } from '../http.ts';
import { wireRepository } from '../state.ts';
import type { RouteDeps } from './deps.ts';

// jfrog-compat.md §1.7: "Missing values are set to the default values"; unknown members are kept
// by Artifactory, ignored here.
const createBody = z.looseObject({
  key: z.string().optional(),
  rclass: z.string().optional(),
  packageType: z
    .string()
    .regex(/^[a-z0-9]{1,32}$/i, 'must be a package type such as generic')
    .optional(),
  description: z.string().max(1024).optional(),
});

/** Repositories (jfrog-compat.md §1.7): local only; the source hosts, it does not proxy. */
export function repositoryRoutes(app: Hono, { state, auth }: RouteDeps): void {
  app.get('/artifactory/api/repositories', auth.reader, (c) => {
    const type = c.req.query('type');
    const all = type === undefined || type.toLowerCase() === 'local' ? state.repositories() : [];
    return json(
      all.map((repo) => repositoryListEntry(artifactoryBase(c), wireRepository(repo))),
      200,
      MEDIA.repositoryList,
    );
  });

  app.get('/artifactory/api/repositories/:key', auth.admin, (c) => {
    const repo = state.requireRepository(c.req.param('key'));
    return json(repositoryConfigJson(repo, { ...LOCAL_REPOSITORY_DEFAULTS, description: repo.description }), 200, MEDIA.repositoryConfig);
  });

  app.put('/artifactory/api/repositories/:key', auth.admin, async (c) => {
    const key = c.req.param('key');
    const body = await readJson(c, createBody, 'Repository configuration', {});
    if (body.key !== undefined && body.key !== key) throw new EdgeError('INVALID_BODY', `The body's key '${body.key}' differs from '${key}' in the URL.`);
    if (body.rclass !== undefined && body.rclass !== 'local') {
      throw new EdgeError('REPO_CLASS_UNSUPPORTED', `The source simulator hosts local repositories only, not '${body.rclass}'.`);
    }
    state.createRepository(key, {
      ...(body.packageType ? { packageType: body.packageType.toLowerCase() } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
    });
    // The text Artifactory answers (and the Edge mirrors).
    return text(`Successfully created repository '${key}'`);
  });
}
