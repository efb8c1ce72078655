import { z } from 'zod';
import { checksumRequestHeaders, type ExpectedChecksums } from '../wire/checksum-headers.ts';
import { AqlResult } from '../wire/aql.ts';
import { CopyMoveResult, FileInfo, FileList, FolderInfo, ItemCreated, storagePath } from '../wire/items.ts';
import { ItemProperties, matrixParams, propertiesParam, type Properties } from '../wire/properties.ts';
import { REPOSITORIES, RepositoryConfig, RepositoryListEntry, repositoryPath } from '../wire/repositories.ts';
import {
  PERMISSIONS,
  PermissionListEntry,
  PermissionTarget,
  SECURITY_USERS,
  User,
  UserListEntry,
  type PermissionTargetRequest,
  type UserRequest,
} from '../wire/security.ts';
import { SYSTEM, Version } from '../wire/system.ts';
import { encodePath } from '../wire/urls.ts';
import { Transport, type Body, type CallOptions, type ClientOptions } from './transport.ts';

/**
 * Artifactory's REST API as an Edge serves it (jfrog-compat.md §1): artifacts, the storage API,
 * repositories, users and permission targets, system. `repoPath` is always `<repo>/<path>`
 * (no leading slash). Refusals throw `ApiError` with the server's error body.
 */
export class ArtifactoryClient {
  readonly #http: Transport;

  constructor(options: ClientOptions) {
    this.#http = new Transport(options);
  }

  // --- artifacts (§1.1 – §1.3, §1.5) ---

  /** Deploys `body` as it is read (never buffered); `checksums` are vouched for, `properties` set as matrix parameters. */
  async deploy(
    repoPath: string,
    body: Body,
    options: CallOptions & { checksums?: ExpectedChecksums; properties?: Properties; size?: number } = {},
  ): Promise<ItemCreated> {
    const headers = {
      ...checksumRequestHeaders(options.checksums ?? {}),
      ...(options.size === undefined ? {} : { 'content-length': String(options.size) }),
      ...options.headers,
    };
    const call = { ...options, method: 'PUT', path: artifactPath(repoPath, options.properties), headers, body };
    return (await this.#http.json(call, ItemCreated, [200, 201])).value;
  }

  /** §1.2: no body; 404 (`ApiError`) when the server holds no readable content with these checksums. */
  async deployByChecksum(repoPath: string, checksums: ExpectedChecksums, options: CallOptions & { properties?: Properties } = {}): Promise<ItemCreated> {
    const headers = { ...checksumRequestHeaders(checksums), 'x-checksum-deploy': 'true', ...options.headers };
    return (await this.#http.json({ ...options, method: 'PUT', path: artifactPath(repoPath, options.properties), headers }, ItemCreated, [200, 201])).value;
  }

  async createFolder(repoPath: string, options: CallOptions = {}): Promise<void> {
    await this.#http.status({ ...options, method: 'PUT', path: `${artifactPath(repoPath)}/` }, [200, 201]);
  }

  /**
   * GET of a file: the response with its body unread, to stream. 200, 206 for a `range`
   * (`bytes=0-99`), 304 for a satisfied condition (pass `if-none-match` etc. in `headers`).
   */
  async download(repoPath: string, options: CallOptions & { range?: string } = {}): Promise<Response> {
    const headers = { ...(options.range === undefined ? {} : { range: options.range }), ...options.headers };
    return this.#http.expect({ ...options, method: 'GET', path: artifactPath(repoPath), headers }, [200, 206, 304]);
  }

  /** HEAD of a file: status and headers (checksums, length, ETag). */
  async head(repoPath: string, options: CallOptions = {}): Promise<{ status: number; headers: Headers }> {
    const response = await this.#http.expect({ ...options, method: 'HEAD', path: artifactPath(repoPath) }, [200, 304]);
    await response.body?.cancel();
    return { status: response.status, headers: response.headers };
  }

  async delete(repoPath: string, options: CallOptions = {}): Promise<void> {
    await this.#http.status({ ...options, method: 'DELETE', path: artifactPath(repoPath) }, [200, 204]);
  }

  // --- storage API (§1.4, §1.6) ---

  async fileInfo(repoPath: string, options: CallOptions = {}): Promise<FileInfo> {
    return (await this.#http.json({ ...options, method: 'GET', path: storagePath(repoPath) }, FileInfo)).value;
  }

  /** Folder info; `repoPath` may be a repository key alone (its root). */
  async folderInfo(repoPath: string, options: CallOptions = {}): Promise<FolderInfo> {
    return (await this.#http.json({ ...options, method: 'GET', path: storagePath(repoPath) }, FolderInfo)).value;
  }

  async fileList(repoPath: string, query: { deep?: boolean; depth?: number; listFolders?: boolean } = {}, options: CallOptions = {}): Promise<FileList> {
    const call = { ...options, method: 'GET', path: storagePath(repoPath), query: { list: true, ...query } };
    return (await this.#http.json(call, FileList)).value;
  }

  /** The item's properties (only `keys`, when given); 404 (`ApiError`) when it has none. */
  async properties(repoPath: string, keys?: string[], options: CallOptions = {}): Promise<Properties> {
    const call = { ...options, method: 'GET', path: storagePath(repoPath), query: { properties: keys === undefined ? true : keys.join(',') } };
    return (await this.#http.json(call, ItemProperties)).value.properties;
  }

  async setProperties(repoPath: string, properties: Properties, options: CallOptions & { recursive?: boolean } = {}): Promise<void> {
    const query = { properties: propertiesParam(properties), recursive: options.recursive };
    await this.#http.status({ ...options, method: 'PUT', path: storagePath(repoPath), query }, [204]);
  }

  async deleteProperties(repoPath: string, keys: string[], options: CallOptions & { recursive?: boolean } = {}): Promise<void> {
    const query = { properties: keys.join(','), recursive: options.recursive };
    await this.#http.status({ ...options, method: 'DELETE', path: storagePath(repoPath), query }, [204]);
  }

  /** `PATCH /api/metadata`: a value sets, `null` deletes (§1.6). */
  async updateProperties(
    repoPath: string,
    props: Record<string, string | string[] | null>,
    options: CallOptions & { recursive?: boolean } = {},
  ): Promise<void> {
    const call = {
      ...options,
      method: 'PATCH',
      path: `/artifactory/api/metadata/${encodePath(repoPath)}`,
      query: { recursiveProperties: options.recursive },
      json: { props },
    };
    await this.#http.status(call, [200, 204]);
  }

  copy(from: string, to: string, options: CallOptions & { dryRun?: boolean } = {}): Promise<CopyMoveResult> {
    return this.#copyOrMove('copy', from, to, options);
  }

  move(from: string, to: string, options: CallOptions & { dryRun?: boolean } = {}): Promise<CopyMoveResult> {
    return this.#copyOrMove('move', from, to, options);
  }

  async #copyOrMove(operation: 'copy' | 'move', from: string, to: string, options: CallOptions & { dryRun?: boolean }): Promise<CopyMoveResult> {
    const call = { ...options, method: 'POST', path: `/artifactory/api/${operation}/${encodePath(from)}`, query: { to: `/${to}`, dry: options.dryRun } };
    return (await this.#http.json(call, CopyMoveResult)).value;
  }

  /** AQL (`items.find(...)`), as text; the answer's `results` as the server wrote them. */
  async aql(query: string, options: CallOptions = {}): Promise<AqlResult> {
    const call = {
      ...options,
      method: 'POST',
      path: '/artifactory/api/search/aql',
      headers: { 'content-type': 'text/plain', ...options.headers },
      body: query,
    };
    return (await this.#http.json(call, AqlResult)).value;
  }

  // --- repositories (§1.7) ---

  async repositories(query: { type?: string; packageType?: string } = {}, options: CallOptions = {}): Promise<RepositoryListEntry[]> {
    return (await this.#http.json({ ...options, method: 'GET', path: REPOSITORIES, query }, z.array(RepositoryListEntry))).value;
  }

  async repository(key: string, options: CallOptions = {}): Promise<RepositoryConfig> {
    return (await this.#http.json({ ...options, method: 'GET', path: repositoryPath(key) }, RepositoryConfig)).value;
  }

  /** `PUT`: creates (`rclass` is required by the Edge). */
  async createRepository(key: string, config: Record<string, unknown>, options: CallOptions = {}): Promise<void> {
    await this.#http.status({ ...options, method: 'PUT', path: repositoryPath(key), json: config }, [200, 201]);
  }

  /** `POST`: updates the given members. */
  async updateRepository(key: string, config: Record<string, unknown>, options: CallOptions = {}): Promise<void> {
    await this.#http.status({ ...options, method: 'POST', path: repositoryPath(key), json: config }, [200]);
  }

  async deleteRepository(key: string, options: CallOptions = {}): Promise<void> {
    await this.#http.status({ ...options, method: 'DELETE', path: repositoryPath(key) }, [200, 204]);
  }

  // --- security ---

  async users(options: CallOptions = {}): Promise<UserListEntry[]> {
    return (await this.#http.json({ ...options, method: 'GET', path: SECURITY_USERS }, z.array(UserListEntry))).value;
  }

  async user(name: string, options: CallOptions = {}): Promise<User> {
    return (await this.#http.json({ ...options, method: 'GET', path: userPath(name) }, User)).value;
  }

  /** `PUT`: creates or replaces; true when it created the user. */
  async putUser(name: string, user: UserRequest, options: CallOptions = {}): Promise<boolean> {
    return (await this.#http.status({ ...options, method: 'PUT', path: userPath(name), json: user }, [200, 201])) === 201;
  }

  /** `POST`: changes an existing user. */
  async updateUser(name: string, user: UserRequest, options: CallOptions = {}): Promise<void> {
    await this.#http.status({ ...options, method: 'POST', path: userPath(name), json: user }, [200]);
  }

  async deleteUser(name: string, options: CallOptions = {}): Promise<void> {
    await this.#http.status({ ...options, method: 'DELETE', path: userPath(name) }, [200, 204]);
  }

  async permissions(options: CallOptions = {}): Promise<PermissionListEntry[]> {
    return (await this.#http.json({ ...options, method: 'GET', path: PERMISSIONS }, z.array(PermissionListEntry))).value;
  }

  async permission(name: string, options: CallOptions = {}): Promise<PermissionTarget> {
    return (await this.#http.json({ ...options, method: 'GET', path: permissionPath(name) }, PermissionTarget)).value;
  }

  /** `PUT`: creates or replaces; true when it created the target. */
  async putPermission(name: string, target: PermissionTargetRequest, options: CallOptions = {}): Promise<boolean> {
    return (await this.#http.status({ ...options, method: 'PUT', path: permissionPath(name), json: { name, ...target } }, [200, 201])) === 201;
  }

  async deletePermission(name: string, options: CallOptions = {}): Promise<void> {
    await this.#http.status({ ...options, method: 'DELETE', path: permissionPath(name) }, [200, 204]);
  }

  // --- system (§1.8, §0.5) ---

  async ping(options: CallOptions = {}): Promise<string> {
    return (await this.#http.text({ ...options, method: 'GET', path: `${SYSTEM}/ping` })).text;
  }

  async version(options: CallOptions = {}): Promise<Version> {
    return (await this.#http.json({ ...options, method: 'GET', path: `${SYSTEM}/version` }, Version)).value;
  }

  async serviceId(options: CallOptions = {}): Promise<string> {
    return (await this.#http.text({ ...options, method: 'GET', path: `${SYSTEM}/service_id` })).text;
  }
}

function artifactPath(repoPath: string, properties?: Properties): string {
  return `/artifactory/${encodePath(repoPath)}${properties ? matrixParams(properties) : ''}`;
}

function userPath(name: string): string {
  return `${SECURITY_USERS}/${encodeURIComponent(name)}`;
}

function permissionPath(name: string): string {
  return `${PERMISSIONS}/${encodeURIComponent(name)}`;
}
