import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EdgeError } from '../../../protocol/errors.ts';
import type { ItemAddress } from '../../../protocol/paths.ts';
import type { EdgeContext } from '../../context.ts';
import type { ItemRecord } from '../../storage/metadata.ts';
import { checksumFileTarget, isChecksumDeploy } from '../../../protocol/wire/checksum-headers.ts';
import { folderListingHtml } from '../../../protocol/wire/folder-listing.ts';
import { itemCreatedJson } from '../../../protocol/wire/items.ts';
import { MEDIA } from '../../../protocol/wire/media-types.ts';
import { whereItLies, type Resolved } from '../../repos/resolution.ts';
import { deploymentAddress } from '../../repos/virtual/deploy.ts';
import { sendFile } from '../download.ts';
import { needs } from '../route-access.ts';
import { artifactoryUrl, itemAddress, rawPathOf } from '../urls.ts';

const PREFIX = '/artifactory';

/**
 * A file a repository's format computes at a path of the plain layout (Maven's
 * `maven-metadata.xml` and its checksums), answered in place of a stored one; undefined when
 * the format has nothing to compute there. `bytes` are read only when a body is sent.
 */
export type ComputedFile = (request: FastifyRequest, address: ItemAddress) => Promise<{ item: ItemRecord; bytes: Buffer } | undefined>;

/**
 * `/artifactory/{repo}/{path}`: deploy, download, delete. Bodies are never parsed here: the
 * request stream goes straight into the filestore, hashed on the way.
 */
export async function artifactRoutes(app: FastifyInstance, ctx: EdgeContext, computed: readonly ComputedFile[] = []): Promise<void> {
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
      for (const compute of computed) {
        const file = await compute(request, target);
        if (file)
          return sendFile(request, reply, file.item, async (range) => Readable.from([range ? file.bytes.subarray(range.start, range.end + 1) : file.bytes]));
      }
      const resolved = await resolveWithChecksumSuffix(ctx, request, target);
      if ('checksum' in resolved) return reply.type('text/plain').send(resolved.checksum);
      const { item } = resolved;
      const remote = whereItLies(resolved).remote;
      if (item && !item.folder) return sendFile(request, reply, item, (range) => ctx.reads.open(request.principal, resolved, range), remote);
      return sendListing(reply, resolved, await ctx.reads.children(request.principal, resolved), request.method === 'HEAD');
    },
  });

  // EDGE-ART-6: a trailing slash creates a folder; anything else deploys (or deploys by checksum) a file.
  app.put(`${PREFIX}/*`, needs('deploy'), async (request, reply) => {
    // EDGE-VR-5: a deploy addressed to a virtual is a deploy to its defaultDeploymentRepo.
    const target = await deploymentAddress(ctx.metadata.repos, address(request));
    const base = artifactoryUrl(request, ctx.config);
    if (target.folder) {
      const folder = await ctx.artifacts.createFolder(request.principal, target);
      return reply
        .status(201)
        .type(MEDIA.itemCreated)
        .send(folder ? itemCreatedJson(base, folder) : { repo: target.repo, path: '/' });
    }
    const item = isChecksumDeploy(request.headers)
      ? await ctx.artifacts.deployByChecksum(request.principal, target, request.headers)
      : await ctx.artifacts.deploy(request.principal, target, request.headers, request.raw, declaredLength(request));
    return reply.status(201).type(MEDIA.itemCreated).send(itemCreatedJson(base, item));
  });

  // EDGE-ART-11
  app.delete(`${PREFIX}/*`, needs('delete'), async (request, reply) => {
    await ctx.artifacts.delete(request.principal, address(request));
    return reply.status(204).send();
  });
}

function declaredLength(request: FastifyRequest): number | undefined {
  const header = request.headers['content-length'];
  return header === undefined ? undefined : Number(header);
}

/** EDGE-ART-8: `<file>.sha256` and friends answer with the file's checksum when no such file is stored. */
async function resolveWithChecksumSuffix(ctx: EdgeContext, request: FastifyRequest, target: ItemAddress): Promise<Resolved | { checksum: string }> {
  try {
    return await ctx.reads.resolve(request.principal, target);
  } catch (error) {
    if (!(error instanceof EdgeError) || error.code !== 'NOT_FOUND') throw error;
    const described = checksumFileTarget(target.path);
    if (!described) throw error;
    const base = await ctx.reads.resolve(request.principal, { repo: target.repo, path: described.path }).catch(() => {
      throw error;
    });
    // An uncached smart-remote file may not have had every checksum declared.
    const checksum = base.item?.checksums?.[described.algorithm];
    if (!checksum) throw error;
    return { checksum };
  }
}

/** EDGE-ART-8: a folder's HTML index. */
function sendListing(reply: FastifyReply, resolved: Resolved, children: { path: string; folder: boolean }[], head: boolean): FastifyReply {
  const html = folderListingHtml(resolved.repo.key, resolved.path, children);
  reply.type('text/html; charset=utf-8');
  return head ? reply.header('content-length', Buffer.byteLength(html)).send() : reply.send(html);
}
