import type { FastifyInstance } from 'fastify';
import { EdgeError } from '../../../protocol/errors.ts';
import { nameOf } from '../../../protocol/paths.ts';
import {
  negotiateSimpleFormat,
  normalizeProjectName,
  projectListHtml,
  projectListJson,
  projectPageHtml,
  projectPageJson,
  type SimpleFile,
} from '../../../protocol/wire/pypi-simple.ts';
import { encodePath } from '../../../protocol/wire/urls.ts';
import type { EdgeContext } from '../../context.ts';
import type { PypiIndex } from '../../packages/pypi-index.ts';
import type { RepoFiles } from '../../packages/repo-files.ts';
import { needs } from '../route-access.ts';
import { artifactoryUrl, itemAddress } from '../urls.ts';
import { sendDocument, sendLinkedFile } from './package-replies.ts';

const PREFIX = '/artifactory/api/pypi';
/** Where a repository's files download from, beside `simple/` (as Artifactory links them). */
const FILES = 'packages';

/**
 * `/artifactory/api/pypi/{repo}/simple/…` (EDGE-PKG-6, EDGE-PKG-7) and the files its pages
 * link to, `/artifactory/api/pypi/{repo}/packages/{path}`. EDGE-PKG-8: pip sends the index
 * URL's credentials with every request to the host, links included, so relative links suffice;
 * they stay under the repository asked, so through a smart remote or a virtual a file downloads
 * through it (EDGE-PKG-12).
 */
export function pypiRoutes(files: RepoFiles, index: PypiIndex) {
  return async (app: FastifyInstance, ctx: EdgeContext): Promise<void> => {
    app.route({
      method: ['GET', 'HEAD'],
      url: `${PREFIX}/:repo/*`,
      exposeHeadRoute: false,
      // Pages list only what the caller may read; a file the caller may not read is absent (EDGE-AUTH-3, EDGE-AUTH-5).
      ...needs('reader'),
      handler: async (request, reply) => {
        const address = itemAddress(request, PREFIX);
        const repo = await files.repo(request.principal, address.repo, 'pypi');
        const [area, ...rest] = address.path.split('/');
        const simple = `${artifactoryUrl(request, ctx.config)}/api/pypi/${repo.key}/simple/`;
        if (area === FILES && rest.length > 0) {
          return sendLinkedFile(ctx, request, reply, { repo: repo.key, path: rest.join('/') });
        }
        if (area !== 'simple' || rest.length > 1) throw new EdgeError('NOT_FOUND', `No resource at ${PREFIX}/${repo.key}/${address.path}.`);
        const { format, contentType } = negotiateSimpleFormat(request.headers.accept);
        const projects = await index.projects(request.principal, repo);
        const [requested] = rest;
        // PEP 503: index URLs end in '/'; the bare form redirects there.
        if (requested === undefined) {
          if (!address.folder) return reply.redirect(simple, 301);
          const names = [...projects.values()].map((p) => p.name);
          return sendDocument(request, reply, contentType, format === 'json' ? JSON.stringify(projectListJson(names)) : projectListHtml(names));
        }
        const normalized = normalizeProjectName(requested);
        const project = projects.get(normalized);
        if (!project) throw new EdgeError('NOT_FOUND', `No project '${requested}' in ${repo.key}.`);
        // EDGE-PKG-7: as PyPI, any spelling of a name leads to its normalized page.
        if (requested !== normalized || !address.folder) return reply.redirect(`${simple}${encodeURIComponent(normalized)}/`, 301);
        const links: SimpleFile[] = project.files.map((file) => ({
          filename: nameOf(file.path),
          url: `../../${FILES}/${encodePath(file.path)}`,
          sha256: file.checksums.sha256,
        }));
        return sendDocument(
          request,
          reply,
          contentType,
          format === 'json' ? JSON.stringify(projectPageJson(project.name, links)) : projectPageHtml(project.name, links),
        );
      },
    });
  };
}
