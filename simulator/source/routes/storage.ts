import type { Hono } from 'hono';
import { EdgeError } from '../../../protocol/errors.ts';
import type { ItemAddress } from '../../../protocol/paths.ts';
import { fileInfoJson, fileListJson, folderInfoJson, STORAGE_API as STORAGE } from '../../../protocol/wire/items.ts';
import { MEDIA } from '../../../protocol/wire/media-types.ts';
import { itemPropertiesJson, parsePropertiesParam, parsePropertyKeys } from '../../../protocol/wire/properties.ts';
import { countParam, flagParam } from '../../../protocol/wire/query.ts';
import { itemUrls } from '../../../protocol/wire/urls.ts';
import { artifactoryBase, itemAddress, json, noContent, searchParams } from '../http.ts';
import { wireItem, type SourceState } from '../state.ts';
import type { RouteDeps } from './deps.ts';

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
      const answer = itemPropertiesJson(item?.properties ?? {}, params.get('properties') ?? undefined, itemUrls(base, repo.key, address.path).uri);
      return json(answer, 200, MEDIA.itemProperties);
    }
    if (asked[0] === 'list') {
      if (item?.kind === 'file') throw new EdgeError('NOT_A_FOLDER', `${repo.key}/${address.path} is a file; ?list needs a folder.`);
      const deep = flagParam('deep', params.get('deep'), false);
      const depth = deep ? Math.max(countParam('depth', params.get('depth'), Number.MAX_SAFE_INTEGER), 1) : 1;
      const listFolders = flagParam('listFolders', params.get('listFolders'), false);
      const items = state.descendants(repo.key, address.path, depth).filter((i) => listFolders || i.kind === 'file');
      return json(fileListJson(base, repo.key, address.path, items.map(wireItem), item?.created ?? repo.created), 200, MEDIA.fileList);
    }
    if (item?.kind === 'file') return json(fileInfoJson(base, { ...wireItem(item), checksums: item.checksums }), 200, MEDIA.fileInfo);
    const children = state.children(repo.key, address.path).map(wireItem);
    return json(folderInfoJson(base, repo.key, address.path, item && wireItem(item), children, repo.created), 200, MEDIA.folderInfo);
  });

  // jfrog-compat.md §1.6: set → 204, recursive on folders unless recursive=0.
  app.put(`${STORAGE}/*`, auth.admin, (c) => {
    const params = searchParams(c);
    const address = itemAddress(c, STORAGE);
    const param = propertyTarget(state, address, params);
    state.setProperties(address.repo, address.path, parsePropertiesParam(param), flagParam('recursive', params.get('recursive'), true));
    return noContent();
  });

  // jfrog-compat.md §1.6: delete → 204.
  app.delete(`${STORAGE}/*`, auth.admin, (c) => {
    const params = searchParams(c);
    const address = itemAddress(c, STORAGE);
    const param = propertyTarget(state, address, params);
    state.deleteProperties(address.repo, address.path, parsePropertyKeys(param), flagParam('recursive', params.get('recursive'), true));
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
