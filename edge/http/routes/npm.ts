import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EdgeError, READ_ONLY_MESSAGE } from '../../../protocol/errors.ts';
import { parseItemUrl, validateRepoKey } from '../../../protocol/paths.ts';
import { NPM_ABBREVIATED, npmErrorBody, packageNameOfPath, packument, wantsAbbreviated } from '../../../protocol/wire/npm-packument.ts';
import { encodePath } from '../../../protocol/wire/urls.ts';
import type { EdgeContext } from '../../context.ts';
import type { NpmIndex } from '../../packages/npm-index.ts';
import type { RepoFiles } from '../../packages/repo-files.ts';
import { sendError } from '../errors.ts';
import { needs } from '../route-access.ts';
import { artifactoryUrl, rawPathOf } from '../urls.ts';
import { sendDocument, sendLinkedFile } from './package-replies.ts';

const PREFIX = '/artifactory/api/npm';

/** The repository key and the raw (still encoded) rest of `/artifactory/api/npm/{repo}/{rest}`. */
function target(request: FastifyRequest): { repo: string; rest: string } {
  const after = rawPathOf(request).slice(PREFIX.length + 1);
  const slash = after.indexOf('/');
  return { repo: validateRepoKey(slash < 0 ? after : after.slice(0, slash)), rest: slash < 0 ? '' : after.slice(slash + 1) };
}

/**
 * `/artifactory/api/npm/{repo}/…`: packuments (EDGE-PKG-3) and tarballs for `npm install`; every
 * write npm makes (publish, unpublish, dist-tag) gets the Edge's read-only refusal (EDGE-PKG-5).
 * Errors carry npm's `error` beside Artifactory's `errors`, so npm prints the reason.
 * EDGE-PKG-8: what `npm install` reads (packument, then `dist.tarball` with the same
 * credentials, `_auth` or `_authToken`) is all here; EDGE-PKG-12: for a smart remote and a
 * virtual too, `dist.tarball` naming the repository asked, so the download goes through it.
 */
export function npmRoutes(files: RepoFiles, index: NpmIndex) {
  return async (app: FastifyInstance, ctx: EdgeContext): Promise<void> => {
    const errorHandler = (error: unknown, request: FastifyRequest, reply: Parameters<typeof sendError>[2]) => sendError(error, request, reply, npmErrorBody);

    app.route({
      method: ['GET', 'HEAD'],
      url: `${PREFIX}/:repo/*`,
      exposeHeadRoute: false,
      // Packuments list only what the caller may read; a tarball the caller may not read is absent (EDGE-AUTH-3, EDGE-AUTH-5).
      ...needs('reader'),
      errorHandler,
      handler: async (request, reply) => {
        const { repo: key, rest } = target(request);
        // npm's own endpoints: a ping answers; audit and the rest are not served.
        if (rest === '-/ping') return reply.send({});
        const repo = await files.repo(request.principal, key, 'npm');
        const name = packageNameOfPath(rest);
        if (name !== undefined) {
          const versions = await index.versions(request.principal, repo, name);
          if (versions.length > 0) {
            const base = `${artifactoryUrl(request, ctx.config)}/api/npm/${repo.key}`;
            const abbreviated = wantsAbbreviated(request.headers.accept);
            const doc = packument(
              name,
              versions.map(({ file, facts }) => ({
                manifest: facts.manifest,
                tarball: `${base}/${encodePath(file.path)}`,
                sha1: file.checksums.sha1,
                sha512: facts.sha512,
                published: file.created,
              })),
              abbreviated,
            );
            return sendDocument(request, reply, abbreviated ? NPM_ABBREVIATED : 'application/json', JSON.stringify(doc));
          }
        }
        // Not a package this repository holds: a tarball (or any file) by its path in the repository.
        const { path } = parseItemUrl(`/${repo.key}/${rest}`);
        return sendLinkedFile(ctx, request, reply, { repo: repo.key, path }, name === undefined ? undefined : () => notFound(name, repo.key));
      },
    });

    // EDGE-PKG-5, EDGE-RO-1: `npm publish` (PUT), `npm unpublish` (DELETE) and the like are refused
    // as every write to an Edge repository is, whoever asks; the body is never read.
    app.route({
      method: ['PUT', 'POST', 'DELETE'],
      url: `${PREFIX}/:repo/*`,
      ...needs('reader'),
      errorHandler,
      handler: async (request) => {
        ctx.access.requireUser(request.principal);
        throw new EdgeError('EDGE_READ_ONLY', READ_ONLY_MESSAGE);
      },
    });
  };
}

function notFound(name: string, repo: string): EdgeError {
  return new EdgeError('NOT_FOUND', `Package '${name}' not found in repository ${repo}.`);
}
