import { expectError, expectRefusedUnchanged, expectStatus } from '../../kit/assertions.ts';
import { distribute, sha256, signedBundle } from '../../kit/bundles.ts';
import { combination } from '../../kit/combination.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { expectAbsent, smartRemote, startUpstream, virtualRepo } from '../../kit/upstream.ts';
import { localRepo, permission, UPLOADS_REPO, uploadsFolder, user } from '../../kit/world.ts';
import { READ_ONLY_MESSAGE } from '../read-only/refusals.ts';
import { contentOf, expectListed, folderNames, upstreamAsked } from '../smart-remote/upstreams.ts';

/** Virtual repositories: members, order, patterns, listings, deploy, permissions (EDGE-VR-*). */

const config = (key: string) => `/artifactory/api/repositories/${key}`;

/** Puts `bytes` at `path` in the uploads repository (as the admin). */
async function uploaded(t: ScenarioContext, path: string, bytes: Buffer): Promise<void> {
  await expectStatus(t.http('PUT', `/artifactory/${UPLOADS_REPO}/${path}`, { body: bytes }), 201);
}

/** A local repository holding `bytes` at `path`, published by a signed bundle (local repositories take no deploys on an Edge). */
async function publishedRepo(t: ScenarioContext, path: string, bytes: Buffer): Promise<string> {
  const key = await localRepo(t, 'vr-local');
  await t.installTrust();
  await distribute(t, await signedBundle(t, t.name('vr-bundle'), '1.0', [{ repoPath: `${key}/${path}`, bytes }]));
  return key;
}

/** A download through `repo` answered 200 with exactly `bytes`. */
async function expectBytes(t: ScenarioContext, repo: string, path: string, bytes: Buffer, what: string, auth?: string): Promise<void> {
  const res = await t.http('GET', `/artifactory/${repo}/${path}`, auth === undefined ? {} : { auth });
  expect(res.status, `${what}: ${res.text.slice(0, 200)}`).toBe(200);
  expect(sha256(res.body), what).toBe(sha256(bytes));
}

export const virtualScenarios = [
  scenario({
    id: 'virtual/created-with-defaults',
    title: "a virtual over a local repository is created and its configuration shows its members and JFrog's defaults",
    requirements: ['EDGE-VR-1'],
    async run(t) {
      const member = await localRepo(t, 'vr-member');
      const key = await virtualRepo(t, [member]);
      const got = (await expectStatus(t.http('GET', config(key)), 200)).json() as Record<string, unknown>;
      expect(got).toMatchObject({
        key,
        rclass: 'virtual',
        packageType: 'generic',
        repositories: [member],
        includesPattern: '**/*',
        excludesPattern: '',
        artifactoryRequestsCanRetrieveRemoteArtifacts: false,
      });
      expect(got.defaultDeploymentRepo ?? null).toBeNull();
      const empty = await virtualRepo(t, []);
      expect((await expectStatus(t.http('GET', config(empty)), 200)).json()).toMatchObject({ repositories: [] });
    },
  }),
  scenario({
    id: 'virtual/bad-members-refused',
    title:
      'an unknown member, itself as a member, a member of another package type, or a loop through another virtual is 400 INVALID_BODY naming repositories, and changes nothing',
    requirements: ['EDGE-VR-1'],
    async run(t) {
      const member = await localRepo(t, 'vr-member');
      const maven = await localRepo(t, 'vr-maven', { packageType: 'maven' });
      const inner = await virtualRepo(t, [member]);
      const outer = await virtualRepo(t, [inner]);
      const fresh = t.name('vr-new');
      for (const [what, send] of [
        [
          'an unknown member',
          () => t.http('PUT', config(fresh), { json: { rclass: 'virtual', packageType: 'generic', repositories: [member, t.name('no-such-repo')] } }),
        ],
        ['itself as a member', () => t.http('PUT', config(fresh), { json: { rclass: 'virtual', packageType: 'generic', repositories: [fresh] } })],
        // A generic virtual takes members of any type, as JFrog's does; a typed one only its own.
        [
          'a member of another package type',
          () => t.http('PUT', config(fresh), { json: { rclass: 'virtual', packageType: 'maven', repositories: [maven, member] } }),
        ],
        ['itself, by an update', () => t.http('POST', config(inner), { json: { repositories: [member, inner] } })],
        ['a loop through another virtual, by an update', () => t.http('POST', config(inner), { json: { repositories: [member, outer] } })],
      ] as const)
        await combination(t, what, async () => {
          await expectRefusedUnchanged(t, send, 400, 'INVALID_BODY', /repositories/);
        });
      expectError(await t.http('GET', config(fresh)), 404, 'NOT_FOUND', new RegExp(fresh));
    },
  }),
  scenario({
    id: 'virtual/resolution-order',
    title:
      'a download through a virtual is answered by the first member holding the path: local members in list order, then remotes (cache, then upstream); nested virtuals expand in place',
    requirements: ['EDGE-VR-2'],
    needs: ['reach-loopback'],
    async run(t) {
      const upstream = await startUpstream(t, 'simulator');
      const folder = upstream.root;
      const [inUploads, inLocal, inRemote] = ['uploads', 'local', 'remote'].map((w) => contentOf(t, w, 100 + w.length)) as [Buffer, Buffer, Buffer];
      uploadsFolder(t, folder);
      await uploaded(t, `${folder}/x.txt`, inUploads);
      await upstream.put('x.txt', inRemote);
      await upstream.put('only-remote.txt', inRemote);
      const local = await publishedRepo(t, `${folder}/x.txt`, inLocal);
      const remote = await smartRemote(t, upstream);
      const localFirst = await virtualRepo(t, [remote, local, UPLOADS_REPO]);
      const uploadsFirst = await virtualRepo(t, [remote, UPLOADS_REPO, local]);
      const nested = await virtualRepo(t, [remote, uploadsFirst]);
      await t.step('local members before the remote, in list order', async () => {
        await expectBytes(t, localFirst, `${folder}/x.txt`, inLocal, 'the first local member');
        await expectBytes(t, uploadsFirst, `${folder}/x.txt`, inUploads, 'the first local member');
        expect(await upstreamAsked(upstream, 'x.txt'), 'the upstream, when a local member has the path').toBe(0);
      });
      await t.step('a nested virtual expands in place', () => expectBytes(t, nested, `${folder}/x.txt`, inUploads, 'the nested local member'));
      await t.step('a path only the remote has comes from its upstream', () =>
        expectBytes(t, localFirst, `${folder}/only-remote.txt`, inRemote, 'the remote member'),
      );
      await t.step('a path no member has is absent', async () => expectAbsent(await t.http('GET', `/artifactory/${localFirst}/${folder}/nowhere.txt`)));
    },
  }),
  scenario({
    id: 'virtual/patterns-hide-paths',
    title: "a virtual's includes/excludes patterns hide paths: 404 through it, absent from its listings, and no member or upstream is asked",
    requirements: ['EDGE-VR-3'],
    needs: ['reach-loopback'],
    async run(t) {
      const upstream = await startUpstream(t, 'simulator');
      const folder = upstream.root;
      const bytes = contentOf(t, 'hidden', 100);
      uploadsFolder(t, folder);
      await uploaded(t, `${folder}/pub/a.txt`, bytes);
      await uploaded(t, `${folder}/secret/b.txt`, bytes);
      await upstream.put('secret/r.txt', bytes);
      await upstream.put('pub/r.txt', bytes);
      const remote = await smartRemote(t, upstream);
      const key = await virtualRepo(t, [UPLOADS_REPO, remote], { includesPattern: `${folder}/**`, excludesPattern: '**/secret/**' });
      await t.step('excluded paths are 404, and the upstream is not asked', async () => {
        for (const path of ['secret/b.txt', 'secret/r.txt']) {
          expectAbsent(await t.http('GET', `/artifactory/${key}/${folder}/${path}`));
          expectAbsent(await t.http('GET', `/artifactory/api/storage/${key}/${folder}/${path}`));
        }
        expect(await upstreamAsked(upstream, 'secret/r.txt')).toBe(0);
      });
      await t.step('a path outside includesPattern is 404', async () => expectAbsent(await t.http('GET', `/artifactory/${key}/elsewhere/a.txt`)));
      await t.step('included paths are served', async () => {
        await expectBytes(t, key, `${folder}/pub/a.txt`, bytes, 'the uploads member');
        await expectBytes(t, key, `${folder}/pub/r.txt`, bytes, 'the remote member');
      });
      await t.step('listings leave the excluded paths out', async () => {
        const secret = await t.http('GET', `/artifactory/api/storage/${key}/${folder}/secret`);
        if (secret.status === 200) expect((secret.json() as { children: unknown[] }).children).toEqual([]);
        else expectAbsent(secret);
        expectListed(await folderNames(t, key, `${folder}/pub`), ['a.txt', 'r.txt'], 'the included folder');
      });
    },
  }),
  scenario({
    id: 'virtual/listings-merge-members',
    title: "folder listings through a virtual merge its members' listings, each name once",
    requirements: ['EDGE-VR-4'],
    needs: ['reach-loopback'],
    async run(t) {
      const upstream = await startUpstream(t, 'simulator');
      const folder = upstream.root;
      const mine = contentOf(t, 'mine', 120);
      const theirs = contentOf(t, 'theirs', 130);
      uploadsFolder(t, folder);
      await uploaded(t, `${folder}/m/a.txt`, mine);
      await uploaded(t, `${folder}/m/both.txt`, mine);
      await upstream.put('m/both.txt', theirs);
      await upstream.put('m/r.txt', theirs);
      await upstream.put('m/sub/s.txt', theirs);
      const remote = await smartRemote(t, upstream);
      const key = await virtualRepo(t, [remote, UPLOADS_REPO]);
      expectListed(await folderNames(t, key, `${folder}/m`), ['a.txt', 'both.txt', 'r.txt', 'sub'], 'merged');
      await expectBytes(t, key, `${folder}/m/both.txt`, mine, 'the name both members hold comes from the local one');
    },
  }),
  scenario({
    id: 'virtual/deploy-through-default-deployment-repo',
    title:
      'defaultDeploymentRepo may only be the uploads repository, as a member; a deploy through the virtual then lands there, and any other write through a virtual is the read-only 403',
    requirements: ['EDGE-VR-5'],
    async run(t) {
      const member = await localRepo(t, 'vr-member');
      const deploying = await virtualRepo(t, [member, UPLOADS_REPO], { defaultDeploymentRepo: UPLOADS_REPO });
      const plain = await virtualRepo(t, [member, UPLOADS_REPO]);
      const fresh = t.name('vr-deploy');
      for (const [what, body] of [
        ['another local member', { repositories: [member, UPLOADS_REPO], defaultDeploymentRepo: member }],
        ['the uploads repository, not a member', { repositories: [member], defaultDeploymentRepo: UPLOADS_REPO }],
        ['a repository that does not exist', { repositories: [UPLOADS_REPO], defaultDeploymentRepo: t.name('no-such-repo') }],
      ] as const)
        await combination(t, what, async () => {
          await expectRefusedUnchanged(
            t,
            () => t.http('PUT', config(fresh), { json: { rclass: 'virtual', packageType: 'generic', ...body } }),
            400,
            'INVALID_BODY',
            /defaultDeploymentRepo/,
          );
        });
      const folder = uploadsFolder(t, 'vr-deploy');
      const bytes = contentOf(t, 'deployed', 321);
      await t.step('a deploy through the virtual lands in the uploads repository', async () => {
        await expectStatus(t.http('PUT', `/artifactory/${deploying}/${folder}/d.txt`, { body: bytes }), 201);
        await expectBytes(t, UPLOADS_REPO, `${folder}/d.txt`, bytes, 'the deployed file in the uploads repository');
        await expectBytes(t, deploying, `${folder}/d.txt`, bytes, 'the deployed file through the virtual');
      });
      await t.step("the uploads repository's permissions apply: a reader may not deploy through the virtual", async () => {
        const reader = await user(t, 'vr-reader');
        await permission(t, 'vr-read', { repositories: [UPLOADS_REPO, deploying], users: { [reader.name]: ['read'] } });
        const res = await t.http('PUT', `/artifactory/${deploying}/${folder}/by-reader.txt`, { body: 'x', auth: reader.auth });
        expect(res.status, res.text).toBe(403);
        expectAbsent(await t.http('GET', `/artifactory/${UPLOADS_REPO}/${folder}/by-reader.txt`));
      });
      await t.step('without defaultDeploymentRepo, and for other writes, the read-only 403', async () => {
        for (const [what, send] of [
          ['a deploy through a virtual without defaultDeploymentRepo', () => t.http('PUT', `/artifactory/${plain}/${folder}/p.txt`, { body: 'x' })],
          ['a property write through a virtual', () => t.http('PUT', `/artifactory/api/storage/${deploying}/${folder}/d.txt?properties=a=b`)],
        ] as const)
          await t.step(what, () => expectRefusedUnchanged(t, send, 403, 'EDGE_READ_ONLY', READ_ONLY_MESSAGE));
      });
    },
  }),
  scenario({
    id: 'virtual/path-permissions-of-members',
    title:
      'through a virtual a caller sees only what it may read in the member holding it: unreadable paths are absent from downloads, storage info and listings, and an unreadable member is skipped',
    requirements: ['EDGE-VR-6'],
    async run(t) {
      const folder = uploadsFolder(t, 'vr-perm');
      const open = contentOf(t, 'open', 111);
      const inLocal = contentOf(t, 'in-local', 112);
      await uploaded(t, `${folder}/open/a.txt`, open);
      await uploaded(t, `${folder}/open/both.txt`, open);
      await uploaded(t, `${folder}/closed/b.txt`, open);
      const local = await publishedRepo(t, `${folder}/open/both.txt`, inLocal);
      const key = await virtualRepo(t, [local, UPLOADS_REPO]);
      const reader = await user(t, 'vr-path-reader');
      await permission(t, 'vr-path-read', { repositories: [UPLOADS_REPO, key], users: { [reader.name]: ['read'] }, include: [`${folder}/open/**`] });
      await t.step('what the reader may read is served', () => expectBytes(t, key, `${folder}/open/a.txt`, open, 'a readable path', reader.auth));
      await t.step('what it may not read is absent', async () => {
        expectAbsent(await t.http('GET', `/artifactory/${key}/${folder}/closed/b.txt`, { auth: reader.auth }));
        expectAbsent(await t.http('GET', `/artifactory/api/storage/${key}/${folder}/closed/b.txt`, { auth: reader.auth }));
        const listed = await t.http('GET', `/artifactory/api/storage/${key}/${folder}?list&deep=1`, { auth: reader.auth });
        const uris = listed.status === 200 ? (listed.json() as { files: { uri: string }[] }).files.map((f) => f.uri) : [];
        expect(uris.filter((u) => u.includes('closed'))).toEqual([]);
      });
      await t.step('a member the reader may not read is skipped', () =>
        expectBytes(t, key, `${folder}/open/both.txt`, open, 'the path both members hold', reader.auth),
      );
      await t.step('the admin gets it from the first member', () => expectBytes(t, key, `${folder}/open/both.txt`, inLocal, 'the path both members hold'));
    },
  }),
];
