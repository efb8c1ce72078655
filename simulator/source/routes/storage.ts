import type { Hono } from 'hono';
import { EdgeError } from '../../../protocol/errors.ts';
import type { ItemAddress } from '../../../protocol/paths.ts';
import { artifactoryBase, flag, itemAddress, json, noContent, nonNegativeInt, searchParams } from '../http.ts';
import { parsePropertiesParam, parsePropertyKeys } from '../../../protocol/properties.ts';
import { fileInfoJson, fileListJson, folderInfoJson, itemUrls, MEDIA } from '../shapes.ts';
import type { SourceState } from '../state.ts';
import type { RouteDeps } from './deps.ts';

const STORAGE = '/artifactory/api/storage';
/** jfrog-compat.md §1.4: these query parameters select mutually exclusive answers. */
const EXCLUSIVE = ['list', 'properties'] as const;

/** The storage API (jfrog-compat.md §1.4, §1.6): item info, listings, properties. */
export function storageRoutes(app: Hono, { state, auth }: RouteDeps): void {
  app.get(`${STORAGE}/*`, auth.reader, (c) => {
    const params = searchParams(c);
    const address = itemAddress(c, STORAGE);
    const repo = state.requireRepository(address.repo);
    const item = address.path === '' ? undefined : state.item(repo.key, address.path);
    if (address.path !== '' && !item) throw new EdgeError('NOT_FOUND', `Unable to find item ${repo.key}/${address.path}`);
    const base = artifactoryBase(c);
    const asked = EXCLUSIVE.filter((name) => params.has(name));
    if (asked.length > 1) throw new EdgeError('BAD_REQUEST', `Parameters ${asked.join(' and ')} cannot be combined.`);

    if (asked[0] === 'properties') {
      const all = item?.properties ?? {};
      const wanted = params.get('properties') ? (params.get('properties') as string).split(',') : undefined;
      const properties = Object.fromEntries(Object.entries(all).filter(([key]) => !wanted || wanted.includes(key)));
      // jfrog-compat.md §1.6: jfrog-client-go looks for exactly this text in the 404.
      if (Object.keys(properties).length === 0) throw new EdgeError('NOT_FOUND', 'No properties could be found.');
      return json({ properties, uri: itemUrls(base, repo.key, address.path).uri }, 200, MEDIA.itemProperties);
    }
    if (asked[0] === 'list') {
      if (item?.kind === 'file') throw new EdgeError('NOT_A_FOLDER', `${repo.key}/${address.path} is a file; ?list needs a folder.`);
      const deep = flag(params, 'deep', false);
      const depth = deep ? Math.max(nonNegativeInt(params, 'depth', Number.MAX_SAFE_INTEGER), 1) : 1;
      const listFolders = flag(params, 'listFolders', false);
      const items = state.descendants(repo.key, address.path, depth).filter((i) => listFolders || i.kind === 'file');
      return json(fileListJson(base, repo, address.path, item?.created ?? repo.created, items), 200, MEDIA.fileList);
    }
    if (item?.kind === 'file') return json(fileInfoJson(base, item), 200, MEDIA.fileInfo);
    return json(folderInfoJson(base, repo, address.path, item, state.children(repo.key, address.path)), 200, MEDIA.folderInfo);
  });

  // jfrog-compat.md §1.6: set → 204, recursive on folders unless recursive=0.
  app.put(`${STORAGE}/*`, auth.admin, (c) => {
    const params = searchParams(c);
    const address = itemAddress(c, STORAGE);
    const param = propertyTarget(state, address, params);
    state.setProperties(address.repo, address.path, parsePropertiesParam(param), flag(params, 'recursive', true));
    return noContent();
  });

  // jfrog-compat.md §1.6: delete → 204.
  app.delete(`${STORAGE}/*`, auth.admin, (c) => {
    const params = searchParams(c);
    const address = itemAddress(c, STORAGE);
    const param = propertyTarget(state, address, params);
    state.deleteProperties(address.repo, address.path, parsePropertyKeys(param), flag(params, 'recursive', true));
    return noContent();
  });
}

/** The `properties` parameter of a property change, once the target is known to be an item. */
function propertyTarget(state: SourceState, address: ItemAddress, params: URLSearchParams): string {
  state.requireRepository(address.repo);
  if (address.path === '') throw new EdgeError('BAD_PATH', 'Invalid path: properties of a repository root are not supported.');
  const param = params.get('properties');
  if (param === null) throw new EdgeError('BAD_REQUEST', "Missing 'properties' parameter.");
  return param;
}
