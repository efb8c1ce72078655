import { EdgeError } from '../errors.ts';

/**
 * URLs as Artifactory writes them into its JSON (jfrog-compat.md §1.1, §1.4, §1.7) and as
 * clients build them. `base` is always the `/artifactory` URL of the server, without a
 * trailing slash.
 */

/** Item paths in URLs: each segment percent-encoded, separators kept. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** The reverse of `encodePath`; malformed percent-encoding is a BAD_PATH. */
export function decodePath(encoded: string): string {
  try {
    return encoded.split('/').map(decodeURIComponent).join('/');
  } catch {
    throw new EdgeError('BAD_PATH', 'Invalid path: malformed percent-encoding.');
  }
}

/** `http://host:port` (or a configured external URL) → its `/artifactory` base. */
export function artifactoryBase(serverUrl: string): string {
  return `${withoutTrailingSlash(serverUrl)}/artifactory`;
}

/** A server URL a client was given, with or without `/artifactory`, as the server's root. */
export function serverRoot(url: string): string {
  return withoutTrailingSlash(url).replace(/\/artifactory$/, '');
}

export function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** `uri` (the storage API's) and `downloadUri` of an item; path '' is the repository root. */
export function itemUrls(base: string, repo: string, path: string): { uri: string; downloadUri: string } {
  const tail = path === '' ? repo : `${repo}/${encodePath(path)}`;
  return { uri: `${base}/api/storage/${tail}`, downloadUri: `${base}/${tail}` };
}

export function repositoryUrl(base: string, key: string): string {
  return `${base}/${key}`;
}

/** The `uri` of a child in folder info and file lists: its path below `folder`, with a leading '/'. */
export function childUri(folder: string, path: string): string {
  return `/${relativeTo(folder, path)}`;
}

export function relativeTo(folder: string, path: string): string {
  return folder === '' ? path : path.slice(folder.length + 1);
}
