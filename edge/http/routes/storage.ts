import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EdgeError } from '../../../protocol/errors.ts';
import { fileInfoJson, fileListJson, folderInfoJson, STORAGE_API as STORAGE } from '../../../protocol/wire/items.ts';
import { MEDIA } from '../../../protocol/wire/media-types.ts';
import { itemPropertiesJson, parsePropertiesParam, parsePropertyKeys, splitPropertyValues } from '../../../protocol/wire/properties.ts';
import { countParam, flagParam } from '../../../protocol/wire/query.ts';
import { itemUrls } from '../../../protocol/wire/urls.ts';
import type { EdgeContext } from '../../context.ts';
import { whereItLies } from '../../repos/resolution.ts';
import { artifactoryUrl, itemAddress } from '../urls.ts';
import { needs } from '../route-access.ts';

type Query = Record<string, string | undefined>;

const METADATA = '/artifactory/api/metadata';

const metadataPatch = z.strictObject({
  props: z.record(z.string(), z.union([z.string(), z.array(z.string()), z.null()])),
});

/** The storage API (jfrog-compat.md §1.4, §1.6): item info, listings (EDGE-ART-9), properties (EDGE-ART-10). */
export async function storageRoutes(app: FastifyInstance, ctx: EdgeContext): Promise<void> {
  app.get(`${STORAGE}/*`, needs('read'), async (request, reply) => {
    const query = request.query as Query;
    const base = artifactoryUrl(request, ctx.config);
    const found = await ctx.reads.resolve(request.principal, itemAddress(request, STORAGE));
    const resolved = ctx.reads.refresh ? await ctx.reads.refresh(found) : found;
    const { repo, item, path } = resolved;
    const remote = whereItLies(resolved).remote;

    if ('properties' in query) {
      // Through a virtual, the properties of the item in the member that answers (EDGE-VR-2).
      const all = await ctx.artifacts.getProperties(request.principal, { repo: whereItLies(resolved).repo.key, path });
      return reply.type(MEDIA.itemProperties).send(itemPropertiesJson(all, query.properties, itemUrls(base, repo.key, path).uri));
    }
    if ('list' in query) {
      if (item && !item.folder) throw new EdgeError('NOT_A_FOLDER', `'${repo.key}/${path}' is a file; ?list needs a folder.`);
      const deep = flagParam('deep', query.deep, false);
      const depth = deep ? countParam('depth', query.depth, Number.MAX_SAFE_INTEGER) : 1;
      const listFolders = flagParam('listFolders', query.listFolders, false);
      const items = (await ctx.reads.list(request.principal, resolved, Math.max(depth, 1))).filter((i) => listFolders || !i.folder);
      return reply.type(MEDIA.fileList).send(fileListJson(base, repo.key, path, items, item?.created ?? repo.created));
    }
    // Through a virtual, a file's info names the member it lies in (decision 0018); a folder is the virtual's.
    if (item?.checksums && !item.folder) {
      const info = fileInfoJson(base, { ...item, checksums: item.checksums });
      // EDGE-SR-12, EDGE-SR-15: where a smart remote's file comes from, and whether it is still there.
      return reply.type(MEDIA.fileInfo).send(remote ? { ...info, remoteUrl: remote.remoteUrl, ...(remote.originAbsent ? { originAbsent: true } : {}) } : info);
    }
    return reply.type(MEDIA.folderInfo).send(folderInfoJson(base, repo.key, path, item, await ctx.reads.children(request.principal, resolved), repo.created));
  });

  app.put(`${STORAGE}/*`, needs('annotate'), async (request, reply) => {
    const query = request.query as Query;
    if (query.properties === undefined) throw new EdgeError('BAD_REQUEST', "Missing 'properties' parameter.");
    const address = itemAddress(request, STORAGE);
    const properties = parsePropertiesParam(query.properties);
    await ctx.artifacts.patchProperties(request.principal, address, properties, flagParam('recursive', query.recursive, true));
    return reply.status(204).send();
  });

  app.delete(`${STORAGE}/*`, needs('annotate'), async (request, reply) => {
    const query = request.query as Query;
    if (!query.properties) throw new EdgeError('BAD_REQUEST', "Missing 'properties' parameter.");
    const address = itemAddress(request, STORAGE);
    const keys = parsePropertyKeys(query.properties);
    await ctx.artifacts.patchProperties(
      request.principal,
      address,
      Object.fromEntries(keys.map((k) => [k, null])),
      flagParam('recursive', query.recursive, true),
    );
    return reply.status(204).send();
  });

  app.patch(`${METADATA}/*`, needs('annotate'), async (request: FastifyRequest, reply) => {
    const query = request.query as Query;
    const address = itemAddress(request, METADATA);
    const parsed = metadataPatch.safeParse(request.body);
    if (!parsed.success) throw new EdgeError('INVALID_BODY', 'Expected {"props": {"key": "value" | ["values"] | null}}.');
    const patch = Object.fromEntries(Object.entries(parsed.data.props).map(([k, v]) => [k, v === null ? null : Array.isArray(v) ? v : splitPropertyValues(v)]));
    await ctx.artifacts.patchProperties(request.principal, address, patch, flagParam('recursiveProperties', query.recursiveProperties, false));
    return reply.status(204).send();
  });
}
