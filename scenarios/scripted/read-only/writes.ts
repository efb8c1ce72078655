import { createHash } from 'node:crypto';
import type { HttpOptions, ScenarioContext } from '../../kit/context.ts';
import type { RawResponse } from '../../kit/http.ts';
import { UPLOADS } from '../../kit/uploads.ts';
import type { HeldRepository } from './kinds.ts';

/**
 * Every request that writes to a repository, as Artifactory's REST API and the clients
 * (protocol/clients) send them: the tables the read-only scenarios cross with every repository
 * kind and every identity. Each names what it does, so a failure names the combination.
 */

export interface Write {
  name: string;
  method: string;
  send(t: ScenarioContext, auth: string | null): Promise<RawResponse>;
}

/** What the uploads repository holds for a scenario: a file (under a folder) the writes copy, move and deploy by checksum. */
export interface Seed {
  /** Relative to the uploads repository. */
  file: string;
  folder: string;
  content: string;
}

const digest = (algorithm: string, data: string | Buffer) => createHash(algorithm).update(data).digest('hex');
const artifact = (repo: string, path: string) => `/artifactory/${repo}/${path}`;
const storage = (repo: string, path: string) => `/artifactory/api/storage/${repo}${path === '' ? '' : `/${path}`}`;
const metadata = (repo: string, path: string) => `/artifactory/api/metadata/${repo}${path === '' ? '' : `/${path}`}`;

function write(name: string, method: string, path: string, options: Omit<HttpOptions, 'auth'> = {}): Write {
  return { name, method, send: (t, auth) => t.http(method, path, { ...options, auth }) };
}

async function* chunked(text: string): AsyncIterable<Uint8Array> {
  for (const part of text.match(/.{1,8}/gs) ?? []) yield Buffer.from(part);
}

/** EDGE-RO-1: artifact PUTs of every form, deploy by checksum, folder creation, DELETE, properties, PATCH /api/metadata. */
export function writesTo(repo: HeldRepository, seed: Seed): Write[] {
  const { key, file, folder } = repo;
  const body = 'bytes an Edge must not store here\n';
  const property = repo.property ?? 'a';
  return [
    write('artifact PUT of a new file', 'PUT', artifact(key, 'new/file.txt'), { body }),
    write(`artifact PUT over ${file}`, 'PUT', artifact(key, file), { body }),
    write('artifact PUT with matrix properties', 'PUT', `${artifact(key, 'new/m.txt')};status=dev;rating=5`, { body }),
    write('artifact PUT vouching for its checksums', 'PUT', artifact(key, 'new/checked.txt'), {
      body,
      headers: { 'x-checksum-sha256': digest('sha256', body), 'x-checksum-sha1': digest('sha1', body), 'x-checksum-md5': digest('md5', body) },
    }),
    {
      name: 'artifact PUT streamed without a length',
      method: 'PUT',
      send: (t, auth) => t.http('PUT', artifact(key, 'new/streamed.txt'), { auth, body: chunked(body) }),
    },
    write('artifact PUT of an archive with X-Explode-Archive', 'PUT', artifact(key, 'new/archive.zip'), {
      body: Buffer.from('PK\x05\x06'.padEnd(22, '\0'), 'binary'),
      headers: { 'x-explode-archive': 'true' },
    }),
    write('deploy by checksum of content in the uploads repository', 'PUT', artifact(key, 'new/by-checksum.txt'), {
      headers: { 'x-checksum-deploy': 'true', 'x-checksum-sha256': digest('sha256', seed.content), 'x-checksum-sha1': digest('sha1', seed.content) },
    }),
    ...(repo.ownSha256
      ? [
          write('deploy by checksum of content this repository holds', 'PUT', artifact(key, 'new/own-copy.jar'), {
            headers: { 'x-checksum-deploy': 'true', 'x-checksum-sha256': repo.ownSha256 },
          }),
        ]
      : []),
    write('folder PUT (trailing slash)', 'PUT', artifact(key, 'new/folder/')),
    write('folder PUT of the repository root', 'PUT', `/artifactory/${key}/`),
    write(`DELETE of ${file}`, 'DELETE', artifact(key, file)),
    write(`DELETE of the folder ${folder}`, 'DELETE', artifact(key, folder)),
    write('DELETE of the repository root', 'DELETE', `/artifactory/${key}`),
    write('DELETE of the repository root with a trailing slash', 'DELETE', `/artifactory/${key}/`),
    write(`property PUT on ${file}`, 'PUT', `${storage(key, file)}?properties=a=1`),
    write(`property PUT on the folder ${folder}, recursive`, 'PUT', `${storage(key, folder)}?properties=a=1&recursive=1`),
    write('property PUT on the repository root', 'PUT', `${storage(key, '')}?properties=a=1`),
    write(`property DELETE of ${property} on ${file}`, 'DELETE', `${storage(key, file)}?properties=${property}`),
    write(`PATCH /api/metadata of ${file}`, 'PATCH', metadata(key, file), { json: { props: { a: '1', [property]: null } } }),
    write('PATCH /api/metadata of the repository root, recursive', 'PATCH', `${metadata(key, '')}?recursiveProperties=1`, { json: { props: { a: '1' } } }),
  ];
}

const copyMove = (operation: 'copy' | 'move', from: string, to: string, dry = false): Write =>
  write(`${operation} ${from} → ${to}${dry ? ' (dry run)' : ''}`, 'POST', `/artifactory/api/${operation}/${from}?to=/${to}${dry ? '&dry=1' : ''}`);

/** EDGE-RO-2: copy and move with the read-only repository as the source, the target or both. */
export function copiesAndMoves(repo: HeldRepository, seed: Seed): Write[] {
  const { key, file, folder } = repo;
  const seedFile = `${UPLOADS}/${seed.file}`;
  return [
    copyMove('copy', seedFile, `${key}/${seed.file}`),
    copyMove('move', seedFile, `${key}/${seed.file}`),
    copyMove('move', `${UPLOADS}/${seed.folder}`, `${key}/${seed.folder}`),
    copyMove('copy', seedFile, key),
    copyMove('copy', seedFile, `${key}/dry/run.txt`, true),
    copyMove('copy', `${key}/${file}`, `${UPLOADS}/${seed.folder}/from-read-only.txt`),
    copyMove('move', `${key}/${file}`, `${UPLOADS}/${seed.folder}/from-read-only.txt`),
    copyMove('move', `${key}/${folder}`, `${UPLOADS}/${seed.folder}/from-read-only`),
    copyMove('copy', `${key}/${file}`, `${key}/copied/${file}`),
    copyMove('move', `${key}/${file}`, `${key}/moved/${file}`),
  ];
}
