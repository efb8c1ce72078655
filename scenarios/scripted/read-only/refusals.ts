import { expectError, snapshot } from '../../kit/assertions.ts';
import { combination } from '../../kit/combination.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import type { RawResponse } from '../../kit/http.ts';
import { everyIdentity, type Identity } from '../../kit/identities.ts';
import { scenario, type Scenario } from '../../kit/scenario.ts';
import { scratch, UPLOADS } from '../../kit/uploads.ts';
import { REPOSITORY_KINDS, type HeldRepository, type RepositoryKind } from './kinds.ts';
import { copiesAndMoves, writesTo, type Seed, type Write } from './writes.ts';

/**
 * EDGE-RO-1, EDGE-RO-2: every write, on every kind of repository an Edge holds besides the
 * uploads repository, by every identity, is refused with the licence's exact body and changes
 * nothing. One scenario per kind and requirement; one step per write × identity.
 */

/** jfrog-compat.md §1.9: the message an Edge answers every write outside the uploads repository with. */
export const READ_ONLY_MESSAGE = 'Deployment to an Edge Artifactory node is not supported.';

/** EDGE-RO-1's refusal, exactly. */
export function expectReadOnly(res: RawResponse): void {
  expectError(res, 403, 'EDGE_READ_ONLY', READ_ONLY_MESSAGE);
}

/**
 * The refusal `identity` must get. Anonymous callers on an Edge without anonymous access may
 * be stopped earlier, at authentication (401, as Artifactory's filters do); everyone else, and
 * anonymous where anonymous access is on, gets EDGE-RO-1's body whatever they may otherwise do.
 */
function expectRefusalFor(identity: Identity, res: RawResponse): void {
  if (identity.auth === null && identity.anonymousAllowed === false && res.status === 401) {
    expect(res.json(), res.text).toMatchObject({ errors: [{ status: 401 }] });
    return;
  }
  expectReadOnly(res);
}

interface Arranged {
  repo: HeldRepository;
  seed: Seed;
  identities: Identity[];
  /** Where a write could land: the repositories set up and the seed's folder in the uploads repository. */
  scope: string[];
}

/** Sets up the kind, the seed in the uploads repository and the identities; the seed is what copies and deploys by checksum use. */
async function arrange(t: ScenarioContext, kind: RepositoryKind): Promise<Arranged> {
  return t.step(`set up ${kind.title}, a seed in ${UPLOADS} and every identity`, async () => {
    const root = scratch(t, 'ro-seed');
    const folder = `${root}/dir`;
    const seed: Seed = { file: `${folder}/seed.txt`, folder, content: `content the uploads repository holds for ${t.name('seed')}\n` };
    await t.clients().artifactory.deploy(`${UPLOADS}/${seed.file}`, seed.content);
    const repo = await kind.setUp(t, seed.file);
    // Control: the repository exists and is readable, so the refusals below are not 404s in disguise.
    const info = await t.http('GET', `/artifactory/api/storage/${repo.key}`);
    expect(info.status, `${repo.key} is readable: ${info.text}`).toBe(200);
    return { repo, seed, identities: await everyIdentity(t), scope: [repo.key, ...(repo.related ?? []), `${UPLOADS}/${root}`] };
  });
}

async function refuseEach(t: ScenarioContext, kind: RepositoryKind, writes: (repo: HeldRepository, seed: Seed) => Write[]): Promise<void> {
  const { repo, seed, identities, scope } = await arrange(t, kind);
  // Nothing may change: after each request, the places it could change are compared with the
  // state before the first; the whole Edge is compared once all are sent (it may be large).
  const whole = await snapshot(t);
  const before = await snapshot(t, scope);
  for (const w of writes(repo, seed)) {
    for (const identity of identities) {
      // Cache management (EDGE-SR-16) is the admin's: its deletes there are checked by the
      // smart-remote scenarios; anyone else's is a 403, the read-only one or the admin-only one
      // (an anonymous caller may be asked to sign in first: 401).
      const cacheDelete = repo.adminDeletes === true && w.method === 'DELETE';
      if (cacheDelete && identity.who === 'admin') continue;
      await combination(t, `${w.name} on ${kind.title} (${repo.key}) as ${identity.who}`, async () => {
        const res = await w.send(t, identity.auth);
        if (cacheDelete && identity.auth === null && res.status === 401) expect(res.json(), res.text).toMatchObject({ errors: [{ status: 401 }] });
        else if (cacheDelete && res.status === 403)
          expect(res.json(), res.text).toMatchObject({ errors: [{ status: 403, code: expect.stringMatching(/^(EDGE_READ_ONLY|FORBIDDEN)$/) }] });
        else expectRefusalFor(identity, res);
        expect(await snapshot(t, scope), 'the Edge changed').toEqual(before);
      });
    }
  }
  await t.step('the whole Edge is as before', async () => {
    expect(await snapshot(t), 'the Edge changed outside the repositories the scenario wrote to').toEqual(whole);
  });
}

function writeScenarios(kind: RepositoryKind): Scenario[] {
  return [
    scenario({
      id: `read-only/writes-refused-on-${kind.name}`,
      title: `every artifact, folder and property write to ${kind.title}, by every identity (admin included), is refused with EDGE_READ_ONLY and changes nothing`,
      requirements: ['EDGE-RO-1'],
      run: (t) => refuseEach(t, kind, writesTo),
    }),
    scenario({
      id: `read-only/copy-move-refused-on-${kind.name}`,
      title: `every copy and move from, to or within ${kind.title}, by every identity (admin included), is refused with EDGE_READ_ONLY and changes nothing`,
      requirements: ['EDGE-RO-2'],
      run: (t) => refuseEach(t, kind, copiesAndMoves),
    }),
  ];
}

export const refusalScenarios: Scenario[] = REPOSITORY_KINDS.flatMap(writeScenarios);
