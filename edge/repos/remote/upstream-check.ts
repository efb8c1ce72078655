import type { RemoteConfig } from './config.ts';
import { notSmart } from './config.ts';
import { UpstreamClient, UpstreamFailure } from './upstream.ts';

/**
 * EDGE-SR-1: before a smart remote is stored, its URL must answer as an Artifactory (or an Edge)
 * holding the repository: `GET <base>/api/system/ping` is 200 `OK`, and
 * `GET <base>/api/storage/<repoKey>` is 200, with the configured credentials.
 */
export async function checkUpstream(
  config: Pick<RemoteConfig, 'url' | 'base' | 'upstreamRepo' | 'username' | 'password' | 'socketTimeoutMillis'>,
): Promise<void> {
  const client = new UpstreamClient(config);
  const field = `'url' ${config.url}`;
  try {
    const ping = await client.read(`${config.base}/api/system/ping`);
    // An Artifactory answers even its public ping 401 when the credentials sent are wrong.
    if (ping.status === 401) throw refusedCredentials(field, ping.status);
    if (ping.status !== 200 || ping.text.trim() !== 'OK') {
      throw notSmart(`${field} does not answer as an Artifactory (GET ${config.base}/api/system/ping answered ${ping.status})`);
    }
    const storage = await client.read(client.storageUrl(''));
    if (storage.status === 401 || storage.status === 403) throw refusedCredentials(field, storage.status);
    if (storage.status !== 200) throw notSmart(`${field}: the upstream has no readable repository '${config.upstreamRepo}' (${storage.status})`);
  } catch (error) {
    if (error instanceof UpstreamFailure) throw notSmart(`${field} is unreachable (${error.message})`);
    throw error;
  } finally {
    await client.close().catch(() => undefined);
  }
}

function refusedCredentials(field: string, status: number): Error {
  return notSmart(`${field}: the upstream refused the configured credentials ('username', 'password') with ${status}`);
}
