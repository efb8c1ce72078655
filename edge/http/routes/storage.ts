import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EdgeError } from '../../../protocol/errors.ts';
import { parsePropertiesParam, parsePropertyKeys, splitPropertyValues } from '../../../protocol/properties.ts';
import type { EdgeContext } from '../../context.ts';
import { fileInfoJson, fileListJson, folderInfoJson, itemUrls } from '../shapes.ts';
import { needs } from '../route-access.ts';
import { artifactoryUrl, flag, intParam, itemAddress } from '../urls.ts';

type Query = Record<string, string | undefined>;

const STORAGE = '/artifactory/api/storage';
const METADATA = '/artifactory/api/metadata';

const metadataPatch = z.strictObject({
  props: z.record(z.string(), z.union([z.string(), z.array(z.string()), z.null()])),
});

/** The storage API (jfrog-compat.md §1.4, §1.6): item info, listings, properties. */
export async function storageRoutes(app: FastifyInstance, ctx: EdgeContext): Promise<void> {
  app.get(`${STORAGE}/*`, needs('read'), async (request) => {
    const query = request.query as Query;
    const base = artifactoryUrl(request, ctx.config);
    const resolved = await ctx.artifacts.resolve(request.principal, itemAddress(request, STORAGE));
    const { repo, item, path } = resolved;

    if ('properties' in query) {
      const all = await ctx.artifacts.getProperties(request.principal, { repo: repo.key, path });
      const wanted = query.properties ? query.properties.split(',') : undefined;
      const properties = wanted ? Object.fromEntries(Object.entries(all).filter(([k]) => wanted.includes(k))) : all;
      if (Object.keys(properties).length === 0) throw new EdgeError('NOT_FOUND', 'No properties could be found.');
      return { properties, uri: itemUrls(base, repo.key, path).uri };
    }
    if ('list' in query) {
      if (item && !item.folder) throw new EdgeError('NOT_A_FOLDER', `'${repo.key}/${path}' is a file; ?list needs a folder.`);
      const deep = flag(query, 'deep', false);
      const depth = deep ? intParam(query, 'depth', Number.MAX_SAFE_INTEGER) : 1;
      const listFolders = flag(query, 'listFolders', false);
      const items = (await ctx.artifacts.list(request.principal, resolved, Math.max(depth, 1))).filter((i) => listFolders || !i.folder);
      return fileListJson(base, repo.key, path, items, item?.created ?? repo.created);
    }
    if (item && !item.folder) return fileInfoJson(base, item);
    return folderInfoJson(base, repo.key, item, await ctx.artifacts.children(request.principal, resolved), repo.created);
  });

  app.put(`${STORAGE}/*`, needs('annotate'), async (request, reply) => {
    const query = request.query as Query;
    if (query.properties === undefined) throw new EdgeError('BAD_REQUEST', "Missing 'properties' parameter.");
    const address = itemAddress(request, STORAGE);
    const properties = parsePropertiesParam(query.properties);
    await ctx.artifacts.patchProperties(request.principal, address, properties, flag(query, 'recursive', true));
    return reply.status(204).send();
  });

  app.delete(`${STORAGE}/*`, needs('annotate'), async (request, reply) => {
    const query = request.query as Query;
    if (!query.properties) throw new EdgeError('BAD_REQUEST', "Missing 'properties' parameter.");
    const address = itemAddress(request, STORAGE);
    const keys = parsePropertyKeys(query.properties);
    await ctx.artifacts.patchProperties(request.principal, address, Object.fromEntries(keys.map((k) => [k, null])), flag(query, 'recursive', true));
    return reply.status(204).send();
  });

  app.patch(`${METADATA}/*`, needs('annotate'), async (request: FastifyRequest, reply) => {
    const query = request.query as Query;
    const address = itemAddress(request, METADATA);
    const parsed = metadataPatch.safeParse(request.body);
    if (!parsed.success) throw new EdgeError('INVALID_BODY', 'Expected {"props": {"key": "value" | ["values"] | null}}.');
    const patch = Object.fromEntries(
      Object.entries(parsed.data.props).map(([k, v]) => [k, v === null ? null : Array.isArray(v) ? v : splitPropertyValues(v)]),
    );
    await ctx.artifacts.patchProperties(request.principal, address, patch, flag(query, 'recursiveProperties', false));
    return reply.status(204).send();
  });
}
