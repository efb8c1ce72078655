import { X509Certificate } from 'node:crypto';
import { compactVerify } from 'jose';
import { keyId } from '../../../protocol/token/kid.ts';
import { accessPaths } from '../../../protocol/wire/access.ts';
import { expectError } from '../../kit/assertions.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { bearer, decodeToken, issueToken, serviceIdOf } from '../../kit/tokens.ts';
import { user } from '../../kit/world.ts';

/** The Edge's identity as its peers see it: the root certificate they trust it by. */

export const rootCertificateScenarios = [
  scenario({
    id: 'trust/root-certificate',
    title:
      "an admin reads the root certificate as PEM: self-signed for the service id, RSA of 2048 bits or more, and it verifies the Edge's tokens under their kid",
    requirements: ['EDGE-TRUST-2', 'EDGE-TRUST-19'],
    async run(t) {
      const res = await t.http('GET', accessPaths.rootCertificate);
      expect(res.status).toBe(200);
      expect(String(res.headers['content-type'])).toContain('text/plain');
      expect(res.text).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n?$/);
      const certificate = new X509Certificate(res.text);
      expect(certificate.subject).toBe(`CN=${await serviceIdOf(t)}`);
      expect(certificate.checkIssued(certificate)).toBe(true);
      expect(certificate.verify(certificate.publicKey)).toBe(true);
      expect(certificate.publicKey.asymmetricKeyType).toBe('rsa');
      expect(certificate.publicKey.asymmetricKeyDetails?.modulusLength).toBeGreaterThanOrEqual(2048);
      expect(new Date(certificate.validFrom).getTime()).toBeLessThan(Date.now());
      expect(new Date(certificate.validTo).getTime()).toBeGreaterThan(Date.now());

      const { access_token } = await issueToken(t, t.edge.admin);
      expect(decodeToken(access_token).header.kid).toBe(await keyId(certificate.publicKey));
      // What a peer holding the certificate does with the Edge's token.
      await compactVerify(access_token, certificate.publicKey, { algorithms: ['RS256'] });
    },
  }),
  scenario({
    id: 'trust/root-certificate-admin-token',
    title: 'an admin-scoped token reads the root certificate too, as in Artifactory since 7.12',
    requirements: ['EDGE-TRUST-2'],
    async run(t) {
      const { access_token } = await issueToken(t, t.edge.admin, { scope: 'applied-permissions/admin' });
      const res = await t.http('GET', accessPaths.rootCertificate, { auth: bearer(access_token) });
      expect(res.status).toBe(200);
      expect(res.text).toBe((await t.http('GET', accessPaths.rootCertificate)).text);
    },
  }),
  scenario({
    id: 'trust/root-certificate-admins-only',
    title: 'the root certificate is refused without credentials (401) and to a user who is not an admin (403)',
    requirements: ['EDGE-TRUST-2'],
    async run(t) {
      const bob = await user(t, 'bob');
      expectError(await t.http('GET', accessPaths.rootCertificate, { auth: null }), 401, 'UNAUTHENTICATED', 'Authentication is required');
      expectError(await t.http('GET', accessPaths.rootCertificate, { auth: bob.auth }), 403, 'FORBIDDEN', 'This operation requires an admin user.');
    },
  }),
];
