import { accessPaths, TokenIssued, TokenList, TrustedCertificate, TrustedCertificates, type TokenInfo, type TokenRequest } from '../wire/access.ts';
import { Transport, type Body, type CallOptions, type ClientOptions } from './transport.ts';

/**
 * The Access API of an Edge's circle of trust (jfrog-compat.md §5, docs/circle-of-trust.md):
 * tokens, the root certificate, trusted certificates.
 */
export class AccessClient {
  readonly #http: Transport;

  constructor(options: ClientOptions) {
    this.#http = new Transport(options);
  }

  /** `POST /tokens` (EDGE-TRUST-6); a refresh when `grant_type` is `refresh_token`. */
  async createToken(request: TokenRequest = {}, options: CallOptions = {}): Promise<TokenIssued> {
    return (await this.#http.json({ ...options, method: 'POST', path: accessPaths.tokens, json: request }, TokenIssued)).value;
  }

  /** `GET /tokens` (EDGE-TRUST-16): the caller's tokens, or everyone's for an admin. */
  async tokens(options: CallOptions = {}): Promise<TokenInfo[]> {
    return (await this.#http.json({ ...options, method: 'GET', path: accessPaths.tokens }, TokenList)).value.tokens;
  }

  async revokeToken(id: string, options: CallOptions = {}): Promise<void> {
    await this.#http.status({ ...options, method: 'DELETE', path: accessPaths.token(id) }, [200, 204]);
  }

  /** The Edge's root certificate, PEM (EDGE-TRUST-2; admin only). */
  async rootCertificate(options: CallOptions = {}): Promise<string> {
    return (await this.#http.text({ ...options, method: 'GET', path: accessPaths.rootCertificate })).text;
  }

  /** EDGE-TRUST-5: what the trusted folder holds, and what it refused. */
  async trustedCertificates(options: CallOptions = {}): Promise<TrustedCertificates> {
    return (await this.#http.json({ ...options, method: 'GET', path: accessPaths.trustedCertificates }, TrustedCertificates)).value;
  }

  /** Adds (or replaces) a certificate, PEM or DER; `replaced` when the alias was taken. */
  async trustCertificate(alias: string, certificate: Body, options: CallOptions = {}): Promise<{ certificate: TrustedCertificate; replaced: boolean }> {
    const call = {
      ...options,
      method: 'PUT',
      path: accessPaths.trustedCertificate(alias),
      headers: { 'content-type': 'application/x-pem-file', ...options.headers },
      body: certificate,
    };
    const { status, value } = await this.#http.json(call, TrustedCertificate, [200, 201]);
    return { certificate: value, replaced: status === 200 };
  }

  async removeTrustedCertificate(alias: string, options: CallOptions = {}): Promise<void> {
    await this.#http.status({ ...options, method: 'DELETE', path: accessPaths.trustedCertificate(alias) }, [200, 204]);
  }
}
