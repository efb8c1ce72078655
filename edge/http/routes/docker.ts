import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import { EdgeError, READ_ONLY_MESSAGE } from '../../../protocol/errors.ts';
import { validateRepoKey } from '../../../protocol/paths.ts';
import {
  API_VERSION,
  API_VERSION_HEADER,
  bearerChallenge,
  DIGEST_HEADER,
  digestOf,
  isImageName,
  isTag,
  nextLink,
  ociErrorBody,
  OCI_INDEX,
  REGISTRY_HEADER,
  referrersIndex,
  sha256Of,
  tagPage,
} from '../../../protocol/wire/oci.ts';
import type { EdgeContext } from '../../context.ts';
import type { DockerIndex, Located } from '../../packages/docker-index.ts';
import type { RepoFiles } from '../../packages/repo-files.ts';
import type { RepoRecord } from '../../storage/metadata.ts';
import { unauthenticated } from '../../trust/access.ts';
import type { TokenIssuer } from '../../trust/token-issuer.ts';
import { sendFile } from '../download.ts';
import { AUTH_CHALLENGE, sendError } from '../errors.ts';
import { needs } from '../route-access.ts';
import { artifactoryUrl, rawPathOf } from '../urls.ts';
import { sendDocument } from './package-replies.ts';

/** Artifactory's internal form of the registry API; `/v2/{repo}/…` is the repository-path form. */
const API = '/artifactory/api/docker';
const PULL = ['GET', 'HEAD'] as const;
const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** What a request under `/v2/` addresses, once the repository key is known. */
type Address = { kind: 'manifests' | 'blobs' | 'referrers'; image: string; reference: string } | { kind: 'tags'; image: string } | { kind: 'unknown' };

const ACTION = /^(.+)\/(manifests|blobs|referrers)\/([^/]+)$/;

/** `{image…}/manifests/{ref}` and the like; the image may have any number of segments. */
function addressOf(rest: string): Address {
  if (rest.endsWith('/tags/list')) return { kind: 'tags', image: rest.slice(0, -'/tags/list'.length) };
  const match = ACTION.exec(rest);
  if (!match) return { kind: 'unknown' };
  let reference: string;
  try {
    reference = decodeURIComponent(match[3] as string);
  } catch {
    return { kind: 'unknown' };
  }
  return { kind: match[2] as 'manifests' | 'blobs' | 'referrers', image: match[1] as string, reference };
}

/** The repository key and what follows `/v2/`, for both forms; `repo` is absent for the root `/v2/`. */
function target(request: FastifyRequest): { repo?: string; rest: string; base: string } {
  const path = rawPathOf(request);
  if (path.startsWith(`${API}/`)) {
    const [repo = '', ...after] = path.slice(API.length + 1).split('/');
    // `/artifactory/api/docker/v2/token`: the root's realm (no repository named).
    if (repo === 'v2') return { rest: after.join('/'), base: `${API}/v2` };
    return { repo: validateRepoKey(repo), rest: after.slice(1).join('/'), base: `${API}/${repo}/v2` };
  }
  const rest = path.slice('/v2/'.length);
  const slash = rest.indexOf('/');
  if (rest === '' || rest === 'token' || slash < 0) return { rest, base: '/v2' };
  const repo = rest.slice(0, slash);
  return { repo: validateRepoKey(repo), rest: rest.slice(slash + 1), base: `/v2/${repo}` };
}

function safeTarget(request: FastifyRequest): { repo?: string; rest: string } {
  try {
    return target(request);
  } catch {
    return { rest: '' };
  }
}

/**
 * The Docker registry API (distribution-spec pull, EDGE-OCI family) on the Edge's Docker
 * repositories: `/v2/{repo}/{image…}/…` (Artifactory's repository-path method: the first
 * segment is the repository key) and `/artifactory/api/docker/{repo}/v2/{image…}/…`.
 * Read-only: every push is refused in the registry's error shape (EDGE-OCI-8).
 * EDGE-OCI-9, EDGE-OCI-10: what `docker login`, `docker pull` and `skopeo` read (ping, token,
 * manifests by tag then digest, blobs, tags) is all here, for every repository class.
 */
export function dockerRoutes(files: RepoFiles, index: DockerIndex, issuer: TokenIssuer) {
  return async (app: FastifyInstance, ctx: EdgeContext): Promise<void> => {
    /** EDGE-OCI-1: every answer names the API version; a 401 challenges for a token from the repository's realm. */
    const onSend = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      reply.header(API_VERSION_HEADER, API_VERSION);
      if (reply.statusCode === 401) {
        const { repo, rest } = safeTarget(request);
        const root = `${artifactoryUrl(request, ctx.config)}/api/docker`;
        // The token endpoint itself takes Basic credentials.
        reply.header('www-authenticate', rest === 'token' ? AUTH_CHALLENGE : bearerChallenge(`${root}/${repo ?? ''}${repo ? '/' : ''}v2/token`, request.host));
      }
      return payload;
    };
    const errorHandler = (error: unknown, request: FastifyRequest, reply: FastifyReply) => sendError(error, request, reply, ociErrorBody);
    const common = { exposeHeadRoute: false, errorHandler, onSend };

    const pull = async (request: FastifyRequest, reply: FastifyReply) => {
      const { repo: key, rest, base } = target(request);
      const address = addressOf(rest);
      if (key === undefined || address.kind === 'unknown') throw new EdgeError('NOT_FOUND', 'No registry resource at this path.');
      const repo = await files.repo(request.principal, key, 'docker');
      reply.header(REGISTRY_HEADER, repo.key);
      if (!isImageName(address.image)) throw new EdgeError('NAME_INVALID', `Invalid image name '${address.image.slice(0, 200)}'.`);
      if (address.kind === 'tags') return tags(request, reply, repo, address.image, `${base}/${address.image}/tags/list`);
      if (address.kind === 'manifests') return manifest(request, reply, repo, address.image, address.reference);
      const sha256 = digestParam(address.reference);
      if (address.kind === 'blobs') {
        const blob = await index.blob(request.principal, repo, address.image, sha256);
        if (!blob) throw new EdgeError('BLOB_UNKNOWN', `Blob ${address.reference} not found in ${repo.key}/${address.image}.`);
        return serve(request, reply, blob, 'application/octet-stream');
      }
      const referrers = await index.referrers(request.principal, repo, address.image, sha256);
      const body = referrersIndex(referrers.map(({ sha256: hex, item, facts }) => ({ digest: digestOf(hex), size: item.size, facts })));
      // Bytes, so no charset is added: the spec's Content-Type carries no parameters.
      const bytes = Buffer.from(JSON.stringify(body));
      reply.header('content-type', OCI_INDEX).header('content-length', bytes.length);
      return reply.send(request.method === 'HEAD' ? undefined : bytes);
    };

    /** EDGE-OCI-1: an Edge access token for the caller (any token the Edge accepts works as well); the scope asked for is not narrowed into it: each read is checked against the caller's permissions. */
    const token = async (request: FastifyRequest) => {
      const { principal } = request;
      if (principal.kind === 'anonymous') throw unauthenticated();
      const at = new Date(ctx.now()).toISOString();
      // Signed in with a token (Bearer, or as the Basic password): that token is the answer, so a
      // circle-of-trust identity with no user here pulls too, and nothing is recorded.
      const presented = principal.via === 'token' ? presentedToken(request.headers.authorization) : undefined;
      if (presented) return { token: presented.token, access_token: presented.token, ...expiresIn(presented.token, ctx.now()), issued_at: at };
      const issued = await issuer.issue(principal, { description: 'docker registry token' });
      return { token: issued.access_token, access_token: issued.access_token, expires_in: issued.expires_in, issued_at: at };
    };

    const manifest = async (request: FastifyRequest, reply: FastifyReply, repo: RepoRecord, image: string, reference: string) => {
      // A tag that cannot be one is simply unknown (the conformance suite wants 404, not 400).
      if (reference.includes(':')) digestParam(reference);
      else if (!isTag(reference)) throw manifestUnknown(repo, image, reference);
      const found = await index.manifest(request.principal, repo, image, reference);
      if (!found) throw manifestUnknown(repo, image, reference);
      return serve(request, reply, found, found.facts.mediaType);
    };

    const tags = async (request: FastifyRequest, reply: FastifyReply, repo: RepoRecord, image: string, path: string) => {
      const query = request.query as { n?: string; last?: string };
      const n = query.n === undefined ? undefined : Number(query.n);
      if (n !== undefined && !(Number.isInteger(n) && n >= 0)) throw new EdgeError('BAD_REQUEST', "'n' must be a whole number.");
      const all = await index.tags(request.principal, repo, image);
      if (!all) throw new EdgeError('NAME_UNKNOWN', `Image ${image} not found in repository ${repo.key}.`);
      const page = tagPage(all, n, query.last);
      const last = page.tags.at(-1);
      if (page.more && n !== undefined && last !== undefined) reply.header('link', nextLink(path, n, last));
      return sendDocument(request, reply, 'application/json', JSON.stringify({ name: image, tags: page.tags }));
    };

    /** A manifest or blob, read as `/artifactory/{repo}/{path}` reads it (through a remote: pulled through), with the registry's headers. */
    const serve = async (request: FastifyRequest, reply: FastifyReply, found: Located, mediaType: string) => {
      reply.header(DIGEST_HEADER, digestOf(found.sha256));
      return sendFile(request, reply, { ...found.item, mimeType: mediaType }, (range) => ctx.reads.open(request.principal, found.resolved, range));
    };

    /** EDGE-OCI-8: an Edge takes no push; the refusal is the Edge's read-only one, as DENIED. */
    const refuse = async (request: FastifyRequest) => {
      ctx.access.requireUser(request.principal);
      throw new EdgeError('EDGE_READ_ONLY', READ_ONLY_MESSAGE);
    };

    // EDGE-OCI-1: the ping is for signed-in callers only, even when anonymous reads are on: a 200
    // here and a Docker client never sends the credentials it has.
    const ping = async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.principal.kind === 'anonymous') throw unauthenticated();
      return sendDocument(request, reply, 'application/json', '{}');
    };
    for (const url of ['/v2/', `${API}/:repo/v2/`]) app.route({ method: [...PULL], url, ...needs('signedIn'), ...common, handler: ping });
    for (const url of [`${API}/v2/token`, `${API}/:repo/v2/token`]) app.route({ method: 'GET', url, ...needs('signedIn'), ...common, handler: token });
    for (const url of ['/v2/*', `${API}/:repo/v2/*`]) {
      app.route({ method: [...PULL], url, ...needs('reader'), ...common, handler: pull });
      app.route({ method: [...WRITES], url, ...needs('reader'), ...common, handler: refuse });
    }
  };
}

/** The token of a Bearer header, or the password of a Basic one (Artifactory takes a token there too). */
function presentedToken(authorization: string | undefined): { token: string } | undefined {
  if (!authorization) return undefined;
  const [scheme = '', value = ''] = authorization.split(' ', 2);
  if (scheme.toLowerCase() === 'bearer') return { token: value };
  if (scheme.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { token: decoded.slice(colon + 1) };
}

/** The seconds a JWT has left, when it says; the field is optional for registry clients. */
function expiresIn(token: string, now: number): { expires_in?: number } {
  try {
    const { exp } = decodeJwt(token);
    return exp === undefined ? {} : { expires_in: Math.max(0, exp - Math.floor(now / 1000)) };
  } catch {
    return {};
  }
}

/** The hex of a `sha256:` digest; another algorithm or a malformed digest is refused. */
function digestParam(reference: string): string {
  const hex = sha256Of(reference);
  if (hex === undefined) throw new EdgeError('DIGEST_INVALID', `'${reference.slice(0, 200)}' is not a sha256 digest.`);
  return hex;
}

function manifestUnknown(repo: RepoRecord, image: string, reference: string): EdgeError {
  return new EdgeError('MANIFEST_UNKNOWN', `Manifest ${reference.slice(0, 200)} not found in ${repo.key}/${image}.`);
}
