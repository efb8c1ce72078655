import 'reflect-metadata';
import { generateKeyPairSync, webcrypto } from 'node:crypto';
import { X509CertificateGenerator } from '@peculiar/x509';
import { keyId } from '../protocol/token/kid.ts';
import type { SigningKeyPair } from '../protocol/token/mutations.ts';
import { createRootCertificate } from '../protocol/token/root-certificate.ts';
import { clientsOf, raw, type RawResponse } from './edge-harness.ts';
import type { TokenResponse } from '../edge/index.ts';
import type { TokenRequest } from '../protocol/wire/access.ts';
import type { PermissionTargetRequest, UserRequest } from '../protocol/wire/security.ts';

/** Test support for the circle of trust: other services' keys and certificates, token calls. */

export interface Issuer extends SigningKeyPair {
  serviceId: string;
  certificatePem: string;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

/** A service outside the Edge with its own key and root certificate (valid around `now`). */
export async function makeIssuer(serviceId = 'jfrt@01issuer00000000000000000', options: { bits?: number; now?: number } = {}): Promise<Issuer> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: options.bits ?? 2048 });
  const certificatePem = await createRootCertificate(privateKey, publicKey, serviceId, options.now ?? Date.now());
  return { serviceId, privateKey, publicKey, kid: await keyId(publicKey), certificatePem };
}

/** Root certificates valid ten years from their `now`: eleven years ago is expired, in two days not yet valid. */
export const expiredIssuer = () => makeIssuer('jfrt@01expired0000000000000000', { now: Date.now() - 11 * YEAR_MS });
export const futureIssuer = () => makeIssuer('jfrt@01future00000000000000000', { now: Date.now() + 2 * 24 * 3600 * 1000 });

export async function ecCertificatePem(): Promise<string> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, false, ['sign', 'verify']);
  const now = Date.now();
  const certificate = await X509CertificateGenerator.createSelfSigned(
    { serialNumber: '01', name: 'CN=jfrt@01ec', notBefore: new Date(now - 3600_000), notAfter: new Date(now + YEAR_MS), signingAlgorithm: algorithm, keys },
    webcrypto,
  );
  return certificate.toString('pem');
}

export const bearer = (token: string) => `Bearer ${token}`;

export function decode(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [header = '', claims = ''] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(claims, 'base64url').toString()) as Record<string, unknown>,
  };
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
