import type { FastifyRequest } from 'fastify';
import { EdgeError } from '../../protocol/errors.ts';
import { parseItemUrl, parseItemUrlAfter, type ItemAddress } from '../../protocol/paths.ts';
import { artifactoryBase } from '../../protocol/wire/urls.ts';
import type { EdgeConfig } from '../config.ts';

/** `http://host:port/artifactory`, from config or from the request's own Host. */
export function artifactoryUrl(request: FastifyRequest, config: EdgeConfig): string {
  return artifactoryBase(config.baseUrl || `${request.protocol}://${request.host}`);
}

/** The raw (still percent-encoded) path of the request, without query. */
export function rawPathOf(request: FastifyRequest): string {
  const url = request.raw.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/**
 * The item addressed after `prefix` (e.g. `/artifactory/api/storage`), validated on the raw
 * URL (EDGE-IN-1, EDGE-IN-2) so nothing is decoded before it is checked.
 */
export function itemAddress(request: FastifyRequest, prefix: string): ItemAddress {
  return parseItemUrlAfter(rawPathOf(request), prefix);
}

/** A `to=/repo/path` style target from a query string (already decoded by the parser). */
export function targetAddress(value: unknown, name: string): ItemAddress {
  if (typeof value !== 'string' || value === '') throw new EdgeError('BAD_REQUEST', `Missing '${name}' parameter.`);
  const encoded = value
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%3B/gi, ';').replace(/%3D/gi, '='))
    .join('/');
  return parseItemUrl(encoded.startsWith('/') ? encoded : `/${encoded}`);
}
