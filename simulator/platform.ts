import { createPrivateKey, createPublicKey } from 'node:crypto';
import { formatScope, keyId, signToken } from '../protocol/token/index.ts';
import { listen, type Listener } from './core/listen.ts';
import { outboundFetch } from './core/outbound.ts';
import { Recorder } from './core/recorder.ts';
import { plainContext, type SimService } from './core/service.ts';
import { createDistribution, type Distribution, type RetryPolicy } from './distribution/index.ts';
import { FaultInjector } from './faults/injector.ts';
import type { FaultPlan } from './faults/plan.ts';
import { createMissionControl, type MissionControl } from './mission-control/index.ts';
import type { ServiceName } from './names/services.ts';
import { createSource, type SourceService } from './source/source.ts';

/**
 * The whole simulated platform on loopback ports: Mission Control, a source Artifactory, a
 * smart-remote upstream and Distribution wired to them, one recorder for every exchange and
 * one seeded fault plan applied at every transport.
 */
export const SIM_ADMIN = { user: 'admin', password: 'edgeproof-sim-password' } as const;
/** Distribution's service id; the access identity's certificate is issued to it. */
export const SIM_DISTRIBUTION_ID = 'jfds@01edgeproofsim00000000000';
/** The alias of the GPG key Distribution signs with unless told otherwise. */
export const SIM_GPG_ALIAS = 'edgeproof-fixture';

/**
 * Who the simulators are: the keys a real platform would have been set up with. The caller
 * hands them in (the CLI and the tests pass fixtures/keys, so a vendor can pre-trust them).
 */
export interface PlatformIdentity {
  /** Distribution's signing key pair, armored OpenPGP; loaded under SIM_GPG_ALIAS. */
  readonly gpg: { readonly publicKey: string; readonly privateKey: string };
  /** The simulators' access identity: the PEM private key that signs circle-of-trust tokens, and its certificate. */
  readonly access: { readonly privateKeyPem: string; readonly certificatePem: string };
}

export interface PlatformOptions {
  identity: PlatformIdentity;
  plan?: FaultPlan | undefined;
  ports?: Partial<Record<ServiceName, number>>;
  now?: () => number;
  retry?: Partial<RetryPolicy>;
  log?: (line: string) => void;
}

export interface EdgeSite {
  name: string;
  url: string;
  countryCode: string;
  cityName?: string;
  /** `Authorization` value for the Edge; a token signed by the simulators' identity when absent. */
  authorization?: string;
}

export interface Platform {
  readonly urls: Readonly<Record<ServiceName, string>>;
  readonly recorder: Recorder;
  readonly distribution: Distribution;
  readonly missionControl: MissionControl;
  readonly source: SourceService;
  readonly upstream: SourceService;
  /** `Authorization` for any simulator's API (basic auth of the fixture admin). */
  readonly admin: string;
  /** PEM of the certificate an Edge must trust so the simulators' tokens are accepted. */
  readonly accessCertificatePem: string;
  /** Armored OpenPGP public key of Distribution's signing key. */
  readonly gpgPublicKey: string;
  /** A circle-of-trust token (admin scope, any audience) signed by the simulators' identity. */
  accessToken(ttlSecs?: number): Promise<string>;
  /** Registers an Edge with Mission Control; returns its JPD id. */
  registerEdge(site: EdgeSite): Promise<string>;
  close(): Promise<void>;
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const { identity } = options;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const recorder = new Recorder({ now });
  const faults = options.plan ? new FaultInjector(options.plan) : undefined;
  const context = (name: ServiceName) => plainContext(name, { now, log, fetch: outboundFetch(name, { faults, recorder }) });
  const admin = `Basic ${Buffer.from(`${SIM_ADMIN.user}:${SIM_ADMIN.password}`).toString('base64')}`;
  const credentials = { adminUser: SIM_ADMIN.user, adminPassword: SIM_ADMIN.password };
  const listeners: Listener[] = [];
  const serve = async (service: SimService, name: ServiceName) => {
    const listener = await listen(service, { port: options.ports?.[name] ?? 0, faults, recorder });
    listeners.push(listener);
    return listener.url;
  };

  try {
    const missionControl = createMissionControl(context('mission-control'), credentials);
    const source = createSource(context('source'), credentials);
    // The source Artifactory plays the upstream role too (issue #5): a second instance of it.
    const upstream = createSource(context('upstream'), { ...credentials, serviceId: 'jfrt@01jupstream00000000000000000', anonymousReads: true });
    const mcUrl = await serve(missionControl, 'mission-control');
    const sourceUrl = await serve(source, 'source');
    const upstreamUrl = await serve({ ...upstream, name: 'upstream' }, 'upstream');
    const distribution = createDistribution(context('distribution'), {
      ...credentials,
      serviceId: SIM_DISTRIBUTION_ID,
      missionControl: { url: mcUrl, authorization: admin },
      source: { url: sourceUrl, authorization: admin },
      ...(options.retry ? { retry: options.retry } : {}),
    });
    const distributionUrl = await serve(distribution, 'distribution');
    const urls = { distribution: distributionUrl, 'mission-control': mcUrl, source: sourceUrl, upstream: upstreamUrl };

    // Distribution holds the fixture GPG key from the start, as a set-up Distribution would.
    const key = await distribution.app.request('/distribution/api/v1/keys/gpg', {
      method: 'POST',
      headers: { authorization: admin, 'content-type': 'application/json' },
      body: JSON.stringify({
        key: { alias: SIM_GPG_ALIAS, public_key: identity.gpg.publicKey, private_key: identity.gpg.privateKey },
        propagate_to_edge_nodes: false,
        set_as_default: true,
      }),
    });
    if (key.status >= 300) throw new Error(`loading the signing key into Distribution failed: ${key.status} ${await key.text()}`);

    const privateKey = createPrivateKey(identity.access.privateKeyPem);
    const kid = await keyId(createPublicKey(privateKey));
    const accessToken = (ttlSecs = 30 * 24 * 3600) =>
      signToken(
        {
          sub: `${SIM_DISTRIBUTION_ID}/users/admin`,
          scp: formatScope({ admin: true, user: false, groups: [] }),
          aud: '*@*',
          iss: SIM_DISTRIBUTION_ID,
          iat: Math.floor(now() / 1000),
          exp: Math.floor(now() / 1000) + ttlSecs,
        },
        { privateKey, kid },
      );

    return {
      urls,
      recorder,
      distribution,
      missionControl,
      source,
      upstream,
      admin,
      accessCertificatePem: identity.access.certificatePem,
      gpgPublicKey: identity.gpg.publicKey,
      accessToken,
      async registerEdge(site) {
        const authorization = site.authorization ?? `Bearer ${await accessToken()}`;
        const credentials = authorization.startsWith('Bearer ') ? { token: authorization.slice('Bearer '.length) } : basicCredentials(authorization);
        const res = await fetch(`${mcUrl}/mc/api/v1/jpds`, {
          method: 'POST',
          headers: { authorization: admin, 'content-type': 'application/json' },
          body: JSON.stringify({
            name: site.name,
            url: site.url,
            location: { city_name: site.cityName ?? site.name, country_code: site.countryCode, latitude: 0, longitude: 0 },
            licenses: [{ type: 'EDGE' }],
            ...credentials,
          }),
        });
        const body = (await res.json()) as { id?: string };
        if (res.status !== 201 || !body.id) throw new Error(`registering ${site.url} with Mission Control failed: ${res.status} ${JSON.stringify(body)}`);
        return body.id;
      },
      async close() {
        missionControl.close();
        await distribution.idle();
        await Promise.all(listeners.map((l) => l.close()));
      },
    };
  } catch (error) {
    await Promise.all(listeners.map((l) => l.close()));
    throw error;
  }
}

function basicCredentials(authorization: string): { username: string; password: string } {
  const decoded = Buffer.from(authorization.replace(/^Basic /, ''), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
