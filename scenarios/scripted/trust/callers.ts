import type { ScenarioContext } from '../../kit/context.ts';
import type { RawResponse } from '../../kit/http.ts';
import { permission, UPLOADS_REPO, user, type TestUser } from '../../kit/world.ts';

/**
 * The people the token scenarios act as, on a shared Edge: alice (in group `readers`, may
 * read and write the uploads repository), bob (no permissions), the group `readers` (may only
 * read it), and a seed file there. All names are unique to the run.
 */
export interface Callers {
  alice: TestUser;
  bob: TestUser;
  readers: string;
  /** `<uploads>/<name>`: a file everyone with read permission can download. */
  seed: string;
}

export async function callers(t: ScenarioContext): Promise<Callers> {
  const readers = t.name('readers');
  const alice = await user(t, 'alice', { groups: [readers] });
  const bob = await user(t, 'bob');
  await permission(t, 'alice-uploads', { repositories: [UPLOADS_REPO], users: { [alice.name]: ['read', 'write'] } });
  await permission(t, 'readers-uploads', { repositories: [UPLOADS_REPO], groups: { [readers]: ['read'] } });
  const seed = `${UPLOADS_REPO}/${t.name('seed')}.txt`;
  const { artifactory } = t.clients();
  await artifactory.deploy(seed, 'seed');
  t.defer(() => artifactory.delete(seed));
  return { alice, bob, readers, seed };
}

/** What a caller with `authorization` tries: read the seed, write a new file (removed afterwards), an admin-only read. */
export function as(t: ScenarioContext, world: Pick<Callers, 'seed'>, authorization: string) {
  return {
    read: (): Promise<RawResponse> => t.http('GET', `/artifactory/${world.seed}`, { auth: authorization }),
    async write(base: string): Promise<RawResponse> {
      const path = `${UPLOADS_REPO}/${t.name(base)}.txt`;
      const res = await t.http('PUT', `/artifactory/${path}`, { auth: authorization, body: base });
      if (res.status === 201) t.defer(() => t.clients().artifactory.delete(path));
      return res;
    },
    listUsers: (): Promise<RawResponse> => t.http('GET', '/artifactory/api/security/users', { auth: authorization }),
  };
}
