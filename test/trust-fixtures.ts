import { makeIssuer as makeService, type Issuer } from '../scenarios/kit/tokens.ts';
import { clientsOf, raw, type RawResponse } from './edge-harness.ts';
import type { TokenResponse } from '../edge/index.ts';
import type { TokenRequest } from '../protocol/wire/access.ts';
import type { PermissionTargetRequest, UserRequest } from '../protocol/wire/security.ts';

/** Test support for the circle of trust: other services' keys and certificates (the scenario kit's), token calls. */

export type { Issuer };
export { bearer, decodeToken as decode, expiredIssuer } from '../scenarios/kit/tokens.ts';

/** A service outside the Edge with its own key and root certificate (valid around `now`). */
export function makeIssuer(serviceId = 'jfrt@01issuer00000000000000000', options: { bits?: number; now?: number } = {}): Promise<Issuer> {
  return makeService(serviceId, options);
}

export type { TokenResponse };

export function postJson(url: string, path: string, authorization: string | undefined, body: unknown): Promise<RawResponse> {
  return raw(url, 'POST', path, {
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(body),
  });
}

/**
 * `POST /access/api/v1/tokens` that must succeed. `fields` may spell values as form fields do
 * (`refreshable: 'false'`), which the Edge takes as JFrog does.
 */
export async function issueToken(url: string, authorization: string, fields: TokenRequest | Record<string, unknown> = {}): Promise<TokenResponse> {
  return clientsOf({ url, admin: authorization }).access.createToken(fields as TokenRequest);
}

/** A refusal's code, or the status when the request was not refused. */
export function codeOf(res: RawResponse): string | number {
  if (res.status < 400) return res.status;
  return (res.json() as { errors: { code: string }[] }).errors[0]?.code ?? res.status;
}

/** Creates (or replaces) user `name`, whose password is `<name>-password-1` unless `user` says otherwise. */
export async function putUser(url: string, admin: string, name: string, user: UserRequest): Promise<void> {
  await clientsOf({ url, admin }).artifactory.putUser(name, { password: `${name}-password-1`, ...user });
}

export async function putPermission(url: string, admin: string, name: string, repo: PermissionTargetRequest['repo']): Promise<void> {
  await clientsOf({ url, admin }).artifactory.putPermission(name, { repo });
}
