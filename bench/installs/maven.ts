import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEPENDENCY_PLUGIN, mavenSettingsXml } from '../../fixtures/packages/maven/settings.ts';
import { type InstallFormat, payload, sh, writeAt } from './kit.ts';

const GROUP = 'org.edgeproof.bench';

const pom = (artifactId: string, dependencies: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>${GROUP}</groupId>\n  <artifactId>${artifactId}</artifactId>\n  <version>1.0</version>\n  <dependencies>\n${dependencies.map((d) => `    <dependency><groupId>${GROUP}</groupId><artifactId>${d}</artifactId><version>1.0</version></dependency>`).join('\n')}\n  </dependencies>\n</project>\n`;

/** Maven: `bench-app` 1.0 depending on `count - 1` library jars of `kib` KiB, fetched by `mvn dependency:get`. */
export const mavenFormat: InstallFormat = {
  name: 'maven',
  packageType: 'maven',
  commands: ['mvn', 'jar'],
  async build(work, count, kib) {
    const libs = Array.from({ length: count - 1 }, (_, i) => `bench-lib-${i + 1}`);
    const files = [];
    for (const [artifactId, dependencies] of [...libs.map((l) => [l, []] as [string, string[]]), ['bench-app', libs] as [string, string[]]]) {
      const content = join(work, 'maven-build', artifactId);
      await mkdir(content, { recursive: true });
      await writeFile(join(content, 'data.bin'), payload(kib, artifactId));
      const jar = join(work, 'maven-build', `${artifactId}.jar`);
      await sh('jar', ['--create', '--file', jar, '-C', content, 'data.bin']);
      const stem = `${GROUP.replace(/\./g, '/')}/${artifactId}/1.0/${artifactId}-1.0`;
      files.push({ path: `${stem}.pom`, bytes: Buffer.from(pom(artifactId, dependencies)) });
      files.push({ path: `${stem}.jar`, bytes: await readFile(jar) });
    }
    return { files, target: `${GROUP}:bench-app:1.0` };
  },
  async layPlain(dir, set) {
    // A static Maven repository: the files and the `.sha1` beside each (the settings' policy is `fail`).
    for (const file of set.files) {
      await writeAt(dir, file.path, file.bytes);
      await writeAt(dir, `${file.path}.sha1`, createHash('sha1').update(file.bytes).digest('hex'));
    }
  },
  async install(work, set, source) {
    const dir = join(work, `maven-install-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    await mkdir(dir, { recursive: true });
    const repository =
      source.kind === 'edge'
        ? { id: 'edge', url: `${source.base}/artifactory/${source.repo}`, username: source.user, password: source.password }
        : { id: 'plain', url: source.url, username: 'none', password: 'none' };
    await writeFile(join(dir, 'settings.xml'), mavenSettingsXml(repository));
    const args = [
      '--batch-mode',
      '--quiet',
      '--settings',
      join(dir, 'settings.xml'),
      `-Dmaven.repo.local=${join(dir, 'local-repo')}`,
      `${DEPENDENCY_PLUGIN}:get`,
      `-Dartifact=${set.target}`,
    ];
    await sh('mvn', args, { cwd: dir, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, MAVEN_OPTS: '-XX:TieredStopAtLevel=1 -Xshare:auto' } });
  },
};
