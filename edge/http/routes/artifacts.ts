import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EdgeError } from '../../../protocol/errors.ts';
import type { ItemAddress } from '../../../protocol/paths.ts';
import type { EdgeContext } from '../../context.ts';
import type { Resolved } from '../../repos/artifacts.ts';
import { sendFile } from '../download.ts';
import { needs } from '../route-access.ts';
import { itemCreatedJson } from '../shapes.ts';
import { artifactoryUrl, itemAddress, rawPathOf } from '../urls.ts';

const PREFIX = '/artifactory';
const CHECKSUM_SUFFIXES = { '.sha256': 'sha256', '.sha1': 'sha1', '.md5': 'md5' } as const;

/**
 * `/artifactory/{repo}/{path}`: deploy, download, delete. Bodies are never parsed here: the
 * request stream goes straight into the filestore, hashed on the way.
 */
export async function artifactRoutes(app: FastifyInstance, ctx: EdgeContext): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  const address = (request: FastifyRequest): ItemAddress => {
    // Unknown /artifactory/api/... calls land here; they are not a repository.
    if (/^\/artifactory\/api(\/|$)/i.test(rawPathOf(request))) throw new EdgeError('NOT_FOUND', 'Unknown API endpoint.');
    return itemAddress(request, PREFIX);
  };

  app.route({
    method: ['GET', 'HEAD'],
    url: `${PREFIX}/*`,
    exposeHeadRoute: false,
    ...needs('read'),
    handler: async (request, reply) => {
      const target = address(request);
      const resolved = await resolveWithChecksumSuffix(ctx, request, target);
      if ('checksum' in resolved) return reply.type('text/plain').send(resolved.checksum);
      if (resolved.item && !resolved.item.folder) return sendFile(request, reply, resolved.item, ctx.content.files);
      return sendListing(reply, resolved, await ctx.artifacts.children(request.principal, resolved), request.method === 'HEAD');
    },
  });

  app.put(`${PREFIX}/*`, needs('deploy'), async (request, reply) => {
    const target = address(request);
    const base = artifactoryUrl(request, ctx.config);
    if (target.folder) {
      const folder = await ctx.artifacts.createFolder(request.principal, target);
      return reply.status(201).send(folder ? itemCreatedJson(base, folder) : { repo: target.repo, path: '/' });
    }
    const item =
      String(request.headers['x-checksum-deploy']).toLowerCase() === 'true'
        ? await ctx.artifacts.deployByChecksum(request.principal, target, request.headers)
        : await ctx.artifacts.deploy(request.principal, target, request.headers, request.raw, declaredLength(request));
    return reply.status(201).type('application/vnd.org.jfrog.artifactory.storage.ItemCreated+json').send(itemCreatedJson(base, item));
  });

  app.delete(`${PREFIX}/*`, needs('delete'), async (request, reply) => {
    await ctx.artifacts.delete(request.principal, address(request));
    return reply.status(204).send();
  });
}

function declaredLength(request: FastifyRequest): number | undefined {
  const header = request.headers['content-length'];
  return header === undefined ? undefined : Number(header);
}

/** `<file>.sha256` and friends answer with the file's checksum when no such file is stored. */
async function resolveWithChecksumSuffix(
  ctx: EdgeContext,
  request: FastifyRequest,
  target: ItemAddress,
): Promise<Resolved | { checksum: string }> {
  try {
    return await ctx.artifacts.resolve(request.principal, target);
  } catch (error) {
    if (!(error instanceof EdgeError) || error.code !== 'NOT_FOUND') throw error;
    const suffix = Object.keys(CHECKSUM_SUFFIXES).find((s) => target.path.endsWith(s)) as keyof typeof CHECKSUM_SUFFIXES | undefined;
    if (!suffix) throw error;
    const base = await ctx.artifacts.resolve(request.principal, { repo: target.repo, path: target.path.slice(0, -suffix.length) }).catch(() => {
      throw error;
    });
    if (!base.item?.checksums) throw error;
    return { checksum: base.item.checksums[CHECKSUM_SUFFIXES[suffix]] };
  }
}

function sendListing(reply: FastifyReply, resolved: Resolved, children: { path: string; folder: boolean }[], head: boolean): FastifyReply {
  const title = `Index of ${resolved.repo.key}/${resolved.path}${resolved.path ? '/' : ''}`;
  const offset = resolved.path === '' ? 0 : resolved.path.length + 1;
  const rows = children.map((child) => {
    const name = child.path.slice(offset) + (child.folder ? '/' : '');
    return `<a href="${escapeHtml(encodeURIComponent(child.path.slice(offset)) + (child.folder ? '/' : ''))}">${escapeHtml(name)}</a>`;
  });
  const parent = resolved.path === '' ? '' : '<a href="../">../</a>\n';
  const html = `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body><h1>${escapeHtml(title)}</h1><pre>${parent}${rows.join('\n')}</pre></body></html>\n`;
  reply.type('text/html; charset=utf-8');
  return head ? reply.header('content-length', Buffer.byteLength(html)).send() : reply.send(html);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
