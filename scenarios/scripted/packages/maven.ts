import { expectError } from '../../kit/assertions.ts';
import { commit, signedBundle, uploadFile, type BundleFile } from '../../kit/bundles.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { anonymousAccess } from '../../kit/credentials.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { open, publish } from '../../kit/transactions.ts';
import { basic, localRepo, permission, user } from '../../kit/world.ts';
import { expectReadOnly } from '../read-only/refusals.ts';
import { artifactPath, type Coordinates, mavenFiles, metadataVersions, pomXml, versionFolder } from './maven-world.ts';
import { digest, packageRepo } from './package-world.ts';

/** EDGE-MVN: a Maven repository's plain layout, for files a signed bundle delivered. */

const CHALLENGE = 'Basic realm="Artifactory Realm"';
const metadataOf = (repo: string, coords: Pick<Coordinates, 'groupId' | 'artifactId'>) => `/artifactory/${repo}/${artifactPath(coords)}/maven-metadata.xml`;
const jarBytes = (t: ScenarioContext, what: string): Buffer => Buffer.from(`PK jar ${what} ${t.name('maven-content')}`);

/** `coords` at each of `versions`, with the run's own jar bytes. */
function versionsOf(t: ScenarioContext, repo: string, coords: Omit<Coordinates, 'version'>, versions: string[]): BundleFile[] {
  return versions.flatMap((version) => mavenFiles(repo, { ...coords, version }, jarBytes(t, version)));
}

/** The checksum files of `path` answer the checksums of `bytes`, on GET and on HEAD. */
async function expectChecksumFiles(t: ScenarioContext, path: string, bytes: Buffer, auth?: string): Promise<void> {
  const options = auth ? { auth } : {};
  for (const algorithm of ['sha1', 'md5', 'sha256'] as const) {
    const expected = digest(algorithm as 'sha1', bytes);
    const res = await t.http('GET', `${path}.${algorithm}`, options);
    expect(res.status, `${path}.${algorithm}: ${res.text}`).toBe(200);
    expect(res.text.trim(), `${path}.${algorithm}`).toBe(expected);
    const head = await t.http('HEAD', `${path}.${algorithm}`, options);
    expect(head.status, `HEAD ${path}.${algorithm}`).toBe(200);
    expect(head.body.length).toBe(0);
  }
}

export const mavenScenarios = [
  scenario({
    id: 'packages/maven-metadata',
    title: "a bundle's versions appear in the artifact's maven-metadata.xml in Maven's order, with latest and release, and leave it when the bundle is deleted",
    requirements: ['EDGE-MVN-2', 'EDGE-MVN-3', 'EDGE-PKG-1'],
    async run(t) {
      const repo = await packageRepo(t, 'maven-local', 'maven');
      const coords = { groupId: 'org.scn.meta', artifactId: 'scn-lib' };
      const metadata = metadataOf(repo, coords);
      expect((await t.http('GET', metadata)).status, 'no versions yet').toBe(404);
      const first = await signedBundle(t, t.name('maven-bundle'), '1.0', versionsOf(t, repo, coords, ['1.10', '1.2', '1.0']));
      await publish(t, first);
      await t.step('the versions, ascending in Maven order (1.10 after 1.2)', async () => {
        const res = await t.http('GET', metadata);
        expect(res.status, res.text).toBe(200);
        expect(res.headers['content-type']).toMatch(/xml/);
        expect(res.text).toContain(`<groupId>${coords.groupId}</groupId>`);
        expect(res.text).toContain(`<artifactId>${coords.artifactId}</artifactId>`);
        expect(res.text).toMatch(/<lastUpdated>\d{14}<\/lastUpdated>/);
        expect(metadataVersions(res.text)).toEqual({ versions: ['1.0', '1.2', '1.10'], latest: '1.10', release: '1.10' });
      });
      const second = await signedBundle(t, t.name('maven-bundle'), '2.0', versionsOf(t, repo, coords, ['2.0-rc1', '2.0-SNAPSHOT']));
      await publish(t, second);
      await t.step('a later bundle adds its versions; a SNAPSHOT is latest but never release', async () => {
        const res = await t.http('GET', metadata);
        expect(metadataVersions(res.text)).toEqual({ versions: ['1.0', '1.2', '1.10', '2.0-rc1', '2.0-SNAPSHOT'], latest: '2.0-SNAPSHOT', release: '2.0-rc1' });
      });
      await t.step('deleting a bundle takes its versions out', async () => {
        await t.clients().edp.deleteBundle(first.payload.name, first.payload.version);
        expect(metadataVersions((await t.http('GET', metadata)).text)).toEqual({
          versions: ['2.0-rc1', '2.0-SNAPSHOT'],
          latest: '2.0-SNAPSHOT',
          release: '2.0-rc1',
        });
        await t.clients().edp.deleteBundle(second.payload.name, second.payload.version);
        expect((await t.http('GET', metadata)).status).toBe(404);
      });
    },
  }),
  scenario({
    id: 'packages/maven-checksums',
    title: 'every file and the computed maven-metadata.xml answer .sha1, .md5 and .sha256, on GET and HEAD, though the bundle carried no checksum files',
    requirements: ['EDGE-MVN-5'],
    async run(t) {
      const repo = await packageRepo(t, 'maven-local', 'maven');
      const coords = { groupId: 'org.scn.sums', artifactId: 'scn-sums', version: '3.1' };
      const files = mavenFiles(repo, coords, jarBytes(t, 'sums'));
      await publish(t, await signedBundle(t, t.name('maven-bundle'), '1.0', files));
      for (const file of files) {
        const path = `/artifactory/${file.repoPath}`;
        const head = await t.http('HEAD', path);
        expect(head.status, path).toBe(200);
        expect(Number(head.headers['content-length'])).toBe(file.bytes.length);
        expect(head.headers['x-checksum-sha1']).toBe(digest('sha1', file.bytes));
        await expectChecksumFiles(t, path, file.bytes);
      }
      const metadata = metadataOf(repo, coords);
      const document = await t.http('GET', metadata);
      expect(document.status, document.text).toBe(200);
      await expectChecksumFiles(t, metadata, document.body);
      const head = await t.http('HEAD', metadata);
      expect(head.status).toBe(200);
      expect(Number(head.headers['content-length'])).toBe(document.body.length);
      expect(head.headers['x-checksum-sha1']).toBe(digest('sha1', document.body));
      expect((await t.http('GET', metadata)).text, 'the same document at each request').toBe(document.text);
    },
  }),
  scenario({
    id: 'packages/maven-snapshot-metadata',
    title: "a SNAPSHOT folder's maven-metadata.xml names its newest timestamped build, per classifier and extension",
    requirements: ['EDGE-MVN-4'],
    async run(t) {
      const repo = await packageRepo(t, 'maven-local', 'maven');
      const coords = { groupId: 'org.scn.snap', artifactId: 'scn-snap', version: '1.0-SNAPSHOT' };
      const build = (stamp: string, n: number) => mavenFiles(repo, coords, jarBytes(t, `${stamp}-${n}`), { file: `scn-snap-1.0-${stamp}-${n}` });
      const sources: BundleFile = {
        repoPath: `${repo}/${versionFolder(coords)}/scn-snap-1.0-20261101.090000-1-sources.jar`,
        bytes: jarBytes(t, 'sources'),
      };
      const files = [...build('20261101.090000', 1), ...build('20261102.100000', 2), sources];
      await publish(t, await signedBundle(t, t.name('maven-bundle'), '1.0', files));
      const res = await t.http('GET', `/artifactory/${repo}/${versionFolder(coords)}/maven-metadata.xml`);
      expect(res.status, res.text).toBe(200);
      expect(res.text).toContain('<version>1.0-SNAPSHOT</version>');
      expect(res.text).toMatch(/<snapshot>\s*<timestamp>20261102\.100000<\/timestamp>\s*<buildNumber>2<\/buildNumber>\s*<\/snapshot>/);
      const entries = [...res.text.matchAll(/<snapshotVersion>([\s\S]*?)<\/snapshotVersion>/g)].map((m) => ({
        classifier: /<classifier>([^<]*)</.exec(m[1] as string)?.[1],
        extension: /<extension>([^<]*)</.exec(m[1] as string)?.[1],
        value: /<value>([^<]*)</.exec(m[1] as string)?.[1],
      }));
      expect(entries).toEqual([
        { classifier: undefined, extension: 'jar', value: '1.0-20261102.100000-2' },
        { classifier: undefined, extension: 'pom', value: '1.0-20261102.100000-2' },
        { classifier: 'sources', extension: 'jar', value: '1.0-20261101.090000-1' },
      ]);
      const artifact = await t.http('GET', metadataOf(repo, coords));
      expect(metadataVersions(artifact.text)).toEqual({ versions: ['1.0-SNAPSHOT'], latest: '1.0-SNAPSHOT' });
    },
  }),
  scenario({
    id: 'packages/maven-metadata-readable-only',
    title: 'maven-metadata.xml lists for a user only the versions whose files they may read',
    requirements: ['EDGE-MVN-2', 'EDGE-PKG-2'],
    async run(t) {
      const repo = await packageRepo(t, 'maven-local', 'maven');
      const coords = { groupId: 'org.scn.perm', artifactId: 'scn-perm' };
      await publish(t, await signedBundle(t, t.name('maven-bundle'), '1.0', versionsOf(t, repo, coords, ['1.0', '2.0'])));
      const reader = await user(t, 'maven-reader');
      await permission(t, 'maven-read', { repositories: [repo], users: { [reader.name]: ['read'] }, exclude: [`${artifactPath(coords)}/2.0/**`] });
      const seen = await t.http('GET', metadataOf(repo, coords), { auth: reader.auth });
      expect(metadataVersions(seen.text)).toEqual({ versions: ['1.0'], latest: '1.0', release: '1.0' });
      expect((await t.http('GET', `/artifactory/${repo}/${artifactPath(coords)}/2.0/scn-perm-2.0.pom`, { auth: reader.auth })).status).toBe(404);
      expect(metadataVersions((await t.http('GET', metadataOf(repo, coords))).text).versions, 'the admin sees both').toEqual(['1.0', '2.0']);
    },
  }),
  scenario({
    id: 'packages/maven-basic-challenge',
    title:
      'a read without credentials, or with wrong ones, gets 401 with WWW-Authenticate: Basic realm="Artifactory Realm"; the same read with the right ones succeeds',
    requirements: ['EDGE-MVN-1'],
    async run(t) {
      const repo = await packageRepo(t, 'maven-local', 'maven');
      const coords = { groupId: 'org.scn.auth', artifactId: 'scn-auth', version: '1.0' };
      const files = mavenFiles(repo, coords, jarBytes(t, 'auth'));
      await publish(t, await signedBundle(t, t.name('maven-bundle'), '1.0', files));
      const pom = `/artifactory/${files[0]?.repoPath}`;
      const reader = await user(t, 'maven-reader');
      await permission(t, 'maven-read', { repositories: [repo], users: { [reader.name]: ['read'] } });
      const attempts: [string, string | null][] = [['a wrong password', basic(reader.name, 'not-the-password')]];
      if (!(await anonymousAccess(t))) attempts.push(['no credentials (as Maven sends first)', null]);
      for (const [what, auth] of attempts) {
        for (const method of ['GET', 'HEAD']) {
          const res = await t.http(method, pom, { auth });
          expect(res.status, `${method} with ${what}`).toBe(401);
          expect(res.headers['www-authenticate'], `${method} with ${what}`).toBe(CHALLENGE);
        }
        expect((await t.http('GET', metadataOf(repo, coords), { auth })).headers['www-authenticate'], `metadata with ${what}`).toBe(CHALLENGE);
      }
      const res = await t.http('GET', pom, { auth: reader.auth });
      expect(res.status, res.text).toBe(200);
      expect(res.text).toBe(files[0]?.bytes.toString());
    },
  }),
  scenario({
    id: 'packages/maven-deploy-refused',
    title: "mvn deploy's PUTs (artifact, POM, checksum, metadata) to a Maven repository are refused as read-only, and nothing changes",
    requirements: ['EDGE-MVN-6'],
    async run(t) {
      const repo = await packageRepo(t, 'maven-local', 'maven');
      const coords = { groupId: 'org.scn.deploy', artifactId: 'scn-deploy', version: '1.0' };
      await publish(t, await signedBundle(t, t.name('maven-bundle'), '1.0', mavenFiles(repo, coords, jarBytes(t, 'deployed'))));
      const before = await t.http('GET', metadataOf(repo, coords));
      const folder = `/artifactory/${repo}/${versionFolder(coords)}`;
      for (const [path, body] of [
        [`${folder}/scn-deploy-1.0.jar`, 'other jar'],
        [`${folder}/scn-deploy-1.0.pom`, pomXml(coords)],
        [`${folder}/scn-deploy-1.0.pom.sha1`, digest('sha1', Buffer.from(pomXml(coords)))],
        [`/artifactory/${repo}/org/scn/deploy/scn-deploy/2.0/scn-deploy-2.0.jar`, 'new version'],
        [metadataOf(repo, coords), '<metadata/>'],
      ] as const) {
        expectReadOnly(await t.http('PUT', path, { body }));
      }
      expect((await t.http('GET', metadataOf(repo, coords))).text).toBe(before.text);
      expect((await t.http('GET', `/artifactory/${repo}/org/scn/deploy/scn-deploy/2.0/scn-deploy-2.0.jar`)).status).toBe(404);
    },
  }),
  scenario({
    id: 'packages/maven-bad-pom-refused',
    title: 'a bundle whose POM is not well-formed XML or disagrees with its path is refused at commit, naming the file, and the metadata stays as it was',
    requirements: ['EDGE-MVN-7', 'EDGE-PKG-1'],
    async run(t) {
      const repo = await packageRepo(t, 'maven-local', 'maven');
      const coords = { groupId: 'org.scn.bad', artifactId: 'scn-bad', version: '1.0' };
      await publish(t, await signedBundle(t, t.name('maven-bundle'), '1.0', mavenFiles(repo, coords, jarBytes(t, 'good'))));
      const before = (await t.http('GET', metadataOf(repo, coords))).text;
      const v2 = { ...coords, version: '2.0' };
      const salt = t.name('maven-content');
      const broken: [string, string][] = [
        ['not well-formed', `<project><groupId>org.scn.bad</groupId><!-- ${salt} -->`],
        ['not a project', `<metadata><!-- ${salt} --></metadata>`],
        ['another artifactId', pomXml({ ...v2, artifactId: 'scn-other' }).replace('</project>', `<!-- ${salt} --></project>`)],
        ['another version', pomXml({ ...v2, version: '2.1' }).replace('</project>', `<!-- ${salt} --></project>`)],
        ['another groupId', pomXml({ ...v2, groupId: 'org.scn.elsewhere' }).replace('</project>', `<!-- ${salt} --></project>`)],
      ];
      for (const [what, xml] of broken) {
        await t.step(what, async () => {
          const file = { repoPath: `${repo}/${versionFolder(v2)}/scn-bad-2.0.pom`, bytes: Buffer.from(xml) };
          const { id } = await open(t, await signedBundle(t, t.name('maven-bundle'), '1.0', [file]));
          expect((await uploadFile(t, id, file)).status).toBe(201);
          const res = await commit(t, id);
          expectError(res, 422, 'EDP_PACKAGE_INVALID', new RegExp(file.repoPath.replace(/[.]/g, '\\.')), { repo_path: file.repoPath });
          expect((await t.http('GET', metadataOf(repo, coords))).text).toBe(before);
          expect((await t.http('GET', `/artifactory/${file.repoPath}`)).status).toBe(404);
        });
      }
      await t.step('a repository with suppressPomConsistencyChecks takes a POM that disagrees with its path', async () => {
        const lenient = await localRepo(t, 'maven-lenient', { packageType: 'maven', suppressPomConsistencyChecks: true });
        const [, , , [, xml]] = broken as [unknown, unknown, unknown, [string, string]];
        const file = { repoPath: `${lenient}/${versionFolder(v2)}/scn-bad-2.0.pom`, bytes: Buffer.from(xml) };
        await publish(t, await signedBundle(t, t.name('maven-bundle'), '1.0', [file]));
        expect((await t.http('GET', `/artifactory/${file.repoPath}`)).text).toBe(xml);
      });
    },
  }),
];
