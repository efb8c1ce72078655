import 'reflect-metadata';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, webcrypto, X509Certificate } from 'node:crypto';
import { X509CertificateGenerator } from '@peculiar/x509';
import type { TokenIssued, TokenRequest } from '../../protocol/wire/access.ts';
import { keyId } from '../../protocol/token/kid.ts';
import { signWith, type SigningKeyPair } from '../../protocol/token/mutations.ts';
import { createRootCertificate } from '../../protocol/token/root-certificate.ts';
import type { EdgeUnderTest } from '../targets/target.ts';
import type { ScenarioContext } from './context.ts';

/**
 * Other services of a circle of trust, for scenarios: their keys and root certificates, the
 * tokens they sign, and the token calls an Edge answers (docs/circle-of-trust.md).
 */

/** A service with its own token key and root certificate. */
export interface Issuer extends SigningKeyPair {
  serviceId: string;
  certificatePem: string;
}

const DAY_MS = 24 * 3600 * 1000;
const YEAR_MS = 365 * DAY_MS;

/** A throwaway service, its root certificate valid ten years from `now` (as an Edge makes its own). */
export async function makeIssuer(serviceId: string, options: { bits?: number; now?: number } = {}): Promise<Issuer> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: options.bits ?? 2048 });
  const certificatePem = await createRootCertificate(privateKey, publicKey, serviceId, options.now ?? Date.now());
  return { serviceId, privateKey, publicKey, kid: await keyId(publicKey), certificatePem };
}

/** Made eleven years ago: its ten years are over. */
export const expiredIssuer = () => makeIssuer('jfrt@01expired0000000000000000', { now: Date.now() - 11 * YEAR_MS });
/** Made "in two days": a day of backdating still leaves it not yet valid. */
export const futureIssuer = () => makeIssuer('jfrt@01future00000000000000000', { now: Date.now() + 2 * DAY_MS });

/**
 * The simulated platform's access identity, which the Edge trusts (installed by the harness, or
 * by the vendor with `--no-install-trust`); its service id is its certificate's common name.
 */
export async function trustedService(t: ScenarioContext): Promise<Issuer> {
  await t.installTrust();
  const { privateKeyPem, certificatePem } = t.material.simulatorIdentity.access;
  const privateKey = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const serviceId = new X509Certificate(certificatePem).subject.replace(/^CN=/, '');
  return { serviceId, privateKey, publicKey, kid: await keyId(publicKey), certificatePem };
}

/** A self-signed certificate for a P-256 key: well formed, but no key for RS256 tokens. */
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

/** A certificate's DER bytes. */
export const derOf = (pem: string): Buffer => Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');

export const bearer = (token: string): string => `Bearer ${token}`;

export function decodeToken(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [header = '', claims = ''] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(claims, 'base64url').toString()) as Record<string, unknown>,
  };
}

/** tokenClockSkewSecs as docs/circle-of-trust.md gives its default: the allowance for other services' tokens. */
export const DEFAULT_SKEW_SECS = 60;
/** How far the harness's clock and the Edge's may disagree, on top of the skew, without a verdict changing. */
export const CLOCK_MARGIN_SECS = 5;

/** The refusal of a token whose kid no trusted certificate has (EDGE-TRUST-11), as edgeproof words it. */
export const UNTRUSTED_ISSUER = "Invalid token: its signing key (kid) is not this Edge's and no trusted certificate has it.";

/** Seconds since the epoch, as token times are written. */
export const nowSecs = (): number => Math.floor(Date.now() / 1000);

/** The service id tokens for `edge` name in `aud` (EDGE-SYS-1). */
export function serviceIdOf(t: ScenarioContext, edge: Pick<EdgeUnderTest, 'url' | 'admin'> = t.edge): Promise<string> {
  return t.clients(edge.admin, edge).artifactory.serviceId();
}

/** `POST /access/api/v1/tokens` as `authorization`, which must succeed. */
export function issueToken(
  t: ScenarioContext,
  authorization: string,
  fields: TokenRequest | Record<string, unknown> = {},
  edge: Pick<EdgeUnderTest, 'url'> = t.edge,
): Promise<TokenIssued> {
  return t.clients(authorization, edge).access.createToken(fields as TokenRequest);
}

/**
 * Claims of an admin-scoped token of `issuer` for any service, valid from ten seconds ago for
 * ten minutes; `changes` replace or add claims (`undefined` removes one).
 */
export function adminClaims(issuer: Pick<Issuer, 'serviceId'>, changes: Record<string, unknown> = {}): Record<string, unknown> {
  const now = nowSecs();
  const claims: Record<string, unknown> = {
    sub: `${issuer.serviceId}/users/admin`,
    scp: 'applied-permissions/admin',
    aud: '*@*',
    iss: issuer.serviceId,
    iat: now - 10,
    exp: now + 600,
    jti: randomUUID(),
    ...changes,
  };
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}

/** A token of `issuer` with these claims, signed RS256 under the issuer's kid unless `header` says otherwise. */
export function signedToken(issuer: SigningKeyPair, claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  return signWith(claims, { ver: '2', typ: 'JWT', alg: 'RS256', kid: issuer.kid, ...header }, issuer.privateKey);
}
