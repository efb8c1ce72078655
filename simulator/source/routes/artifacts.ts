import type { Context, Hono } from 'hono';
import { checksumsOf } from '../../../protocol/checksums.ts';
import { EdgeError } from '../../../protocol/errors.ts';
import { checksumDeployKey, checksumFileTarget, checksumMismatch, expectedChecksums, isChecksumDeploy } from '../../../protocol/wire/checksum-headers.ts';
import { headerRecord } from '../../../protocol/wire/headers.ts';
import { itemCreatedJson } from '../../../protocol/wire/items.ts';
import { MEDIA } from '../../../protocol/wire/media-types.ts';
import { fileResponse, folderListing } from '../download.ts';
import { artifactoryBase, itemAddress, json, noContent, text } from '../http.ts';
import { wireItem, type FileItem, type SourceState } from '../state.ts';
import type { RouteDeps } from './deps.ts';

const PREFIX = '/artifactory';
/** Simulator content is test-sized; anything bigger is a mistake in a scenario. */
export const MAX_DEPLOY_BYTES = 64 * 1024 * 1024;

/**
 * `/artifactory/{repo}/{path}`: deploy (jfrog-compat.md §1.1, §1.2), download and the upstream
 * read side (§1.3), delete (§1.5). Registered after every `/artifactory/api/...` route.
 */
export function artifactRoutes(app: Hono, { state, auth, adminUser }: RouteDeps): void {
  app.get(`${PREFIX}/*`, auth.reader, (c) => {
    const address = itemAddress(c, PREFIX);
    state.requireRepository(address.repo);
    const item = address.path === '' ? undefined : state.item(address.repo, address.path);
    if (item?.kind === 'file') return fileResponse(c.req.raw, item);
    if (item || address.path === '') return folderListing(address.repo, address.path, state.children(address.repo, address.path));
    const checksum = checksumFileOf(state, address.repo, address.path);
    if (checksum !== undefined) return text(checksum);
    // jfrog-compat.md §0.2: the documented 404 message.
    throw new EdgeError('NOT_FOUND', 'File not found.');
  });

  app.put(`${PREFIX}/*`, auth.admin, async (c) => {
    const address = itemAddress(c, PREFIX);
    state.requireRepository(address.repo);
    if (address.path === '') throw new EdgeError('BAD_PATH', 'Invalid path: a path inside the repository is required.');
    if (address.folder) {
      const folder = state.createFolder(address.repo, address.path, adminUser);
      return json(itemCreatedJson(artifactoryBase(c), wireItem(folder)), 201, MEDIA.itemCreated);
    }
    const file = isChecksumDeploy(headerRecord(c.req.raw.headers))
      ? deployByChecksum(c, state, address.repo, address.path, address.matrix, adminUser)
      : await deployBytes(c, state, address.repo, address.path, address.matrix, adminUser);
    return json(itemCreatedJson(artifactoryBase(c), wireItem(file)), 201, MEDIA.itemCreated);
  });

  app.delete(`${PREFIX}/*`, auth.admin, (c) => {
    const address = itemAddress(c, PREFIX);
    state.requireRepository(address.repo);
    if (address.path === '') throw new EdgeError('BAD_PATH', 'Invalid path: deleting a repository root is not supported.');
    if (!state.deleteItem(address.repo, address.path)) throw new EdgeError('NOT_FOUND', 'File not found.');
    // jfrog-compat.md §1.5 / §8 gap 7: 204 assumed.
    return noContent();
  });
}

/** jfrog-compat.md §1.2: copy stored content with the same checksum, or 404 "upload expected". */
function deployByChecksum(c: Context, state: SourceState, repo: string, path: string, matrix: Record<string, string[]>, user: string): FileItem {
  const expected = expectedChecksums(headerRecord(c.req.raw.headers));
  const { algorithm, hex } = checksumDeployKey(expected);
  const content = state.findContent(expected);
  if (!content) throw new EdgeError('CHECKSUM_DEPLOY_UNKNOWN', `Checksum deploy failed: no stored content has ${algorithm} ${hex}; upload the content.`);
  return state.deployFile(repo, path, content.bytes, matrix, user, content.checksums);
}

/** jfrog-compat.md §1.1: "Artifactory rejects the deployment if the checksums do not match". */
async function deployBytes(c: Context, state: SourceState, repo: string, path: string, matrix: Record<string, string[]>, user: string): Promise<FileItem> {
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > MAX_DEPLOY_BYTES) throw tooLarge();
  const bytes = Buffer.from(await c.req.arrayBuffer());
  if (bytes.length > MAX_DEPLOY_BYTES) throw tooLarge();
  const expected = expectedChecksums(headerRecord(c.req.raw.headers));
  const actual = checksumsOf(bytes);
  const mismatch = checksumMismatch(`${repo}/${path}`, expected, actual);
  if (mismatch) throw mismatch;
  return state.deployFile(repo, path, bytes, matrix, user, actual);
}

/** `<file>.sha256` and friends answer the file's checksum when no such file is stored (§1.3). */
function checksumFileOf(state: SourceState, repo: string, path: string): string | undefined {
  const described = checksumFileTarget(path);
  if (!described) return undefined;
  const item = state.item(repo, described.path);
  return item?.kind === 'file' ? item.checksums[described.algorithm] : undefined;
}

function tooLarge(): EdgeError {
  return new EdgeError('BODY_TOO_LARGE', `The source simulator stores files of at most ${MAX_DEPLOY_BYTES} bytes.`);
}
