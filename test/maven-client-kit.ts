import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEPENDENCY_PLUGIN, type MavenRepository, mavenSettingsXml } from '../fixtures/packages/maven/settings.ts';
import { type Coordinates, pomXml, versionFolder } from '../scenarios/scripted/packages/maven-world.ts';

/**
 * Driving the real `mvn` (Debian's Maven 3.8) against a Maven repository URL: the test package
 * set built from Java sources, a `settings.xml` with the repository and its credentials, an
 * isolated local repository, one `mvn` start per resolution (a JVM start is the slow part).
 * Maven Central is out of reach, so Maven's own plugins come from Debian's repository
 * (`/usr/share/maven-repo`, packages libmaven-*-plugin-java), mirrored in place of Central; the
 * artifacts under test come only from the repository URL given. Used by test/maven-client.test.ts
 * and meant for the install benchmarks.
 */

const run = promisify(execFile);

export const GROUP = 'org.edgeproof.mvn';

/** One artifact of the test set: coordinates, the dependencies its POM declares, and what its jar holds. */
export interface MavenArtifact extends Coordinates {
  dependencies: Coordinates[];
  /** The class of package `GROUP` it holds, and a resource beside it (its version, for App). */
  className: 'Dep' | 'Tool' | 'App';
  resource?: { name: string; text: string };
}

/** The classes of the test set, compiled once; App tells its version from a resource of its jar. */
const SOURCES: Record<MavenArtifact['className'], string> = {
  Dep: `package ${GROUP}; public class Dep { public static final String NAME = "dep 1.2"; }`,
  Tool: `package ${GROUP}; public class Tool { public static String name() { return Dep.NAME; } }`,
  App: `package ${GROUP}; public class App { public static String greet() throws Exception {
    try (java.io.InputStream in = App.class.getResourceAsStream("app.version")) { return "app " + new String(in.readAllBytes(), "UTF-8") + " " + Dep.NAME; } } }`,
};

/**
 * The test set: `edgeproof-dep` 1.2, `edgeproof-tool` 1.0 depending on it (for `dependency:get`),
 * and `edgeproof-app` at `appVersions` (1.0, 1.5 and 2.0 unless told), depending on it (a
 * project asks for `[1.0,2.0)`, which Maven resolves from maven-metadata.xml: to 1.5 by default).
 */
export function mavenPackageSet(appVersions: string[] = ['1.0', '1.5', '2.0']): MavenArtifact[] {
  const dep: Coordinates = { groupId: GROUP, artifactId: 'edgeproof-dep', version: '1.2' };
  return [
    { ...dep, dependencies: [], className: 'Dep' },
    { groupId: GROUP, artifactId: 'edgeproof-tool', version: '1.0', dependencies: [dep], className: 'Tool' },
    ...appVersions.map(
      (version): MavenArtifact => ({
        groupId: GROUP,
        artifactId: 'edgeproof-app',
        version,
        dependencies: [dep],
        className: 'App',
        resource: { name: 'app.version', text: version },
      }),
    ),
  ];
}

/**
 * Each artifact's POM and jar at its place in the plain layout (no checksum files: the repository
 * answers those). One `javac` for all classes, one `jar` per artifact.
 */
export async function buildMavenFiles(work: string, artifacts: MavenArtifact[]): Promise<{ path: string; bytes: Buffer }[]> {
  const packagePath = GROUP.replace(/\./g, '/');
  const sources = join(work, 'src', packagePath);
  await mkdir(sources, { recursive: true });
  for (const [name, source] of Object.entries(SOURCES)) await writeFile(join(sources, `${name}.java`), source);
  const classes = join(work, 'classes');
  await run('javac', ['--release', '11', '-d', classes, ...Object.keys(SOURCES).map((name) => join(sources, `${name}.java`))]);
  const files: { path: string; bytes: Buffer }[] = [];
  for (const [i, artifact] of artifacts.entries()) {
    const extra = join(work, `resources-${i}`);
    await mkdir(join(extra, packagePath), { recursive: true });
    if (artifact.resource) await writeFile(join(extra, packagePath, artifact.resource.name), artifact.resource.text);
    const jar = join(work, `artifact-${i}.jar`);
    const resource = artifact.resource ? ['-C', extra, `${packagePath}/${artifact.resource.name}`] : [];
    await run('jar', ['--create', '--file', jar, '-C', classes, `${packagePath}/${artifact.className}.class`, ...resource]);
    const stem = `${versionFolder(artifact)}/${artifact.artifactId}-${artifact.version}`;
    files.push({ path: `${stem}.pom`, bytes: Buffer.from(pomXml(artifact, artifact.dependencies)) });
    files.push({ path: `${stem}.jar`, bytes: await readFile(jar) });
  }
  return files;
}

/** A project that compiles against `edgeproof-app` in `[1.0,2.0)` (and so its dependency). */
export function mavenProjectPom(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.edgeproof.consumer</groupId>
  <artifactId>consumer</artifactId>
  <version>1.0</version>
  <properties>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <maven.compiler.release>11</maven.compiler.release>
  </properties>
  <dependencies>
    <dependency><groupId>${GROUP}</groupId><artifactId>edgeproof-app</artifactId><version>[1.0,2.0)</version></dependency>
  </dependencies>
</project>
`;
}

export interface MavenRun {
  /** The local repository the run filled (Maven's `~/.m2/repository`). */
  localRepo: string;
  stdout: string;
}

/**
 * In a fresh folder `dir`: `mvn dependency:get` of `edgeproof-tool:1.0` (transitively) and a
 * build (`compile`) of the project, in one `mvn` start, with a fresh local repository and
 * `settings.xml` for `repository` (whose checksum policy is `fail`: each file's `.sha1` must
 * match). Throws with Maven's output when it fails.
 */
export async function mavenResolve(dir: string, repository: MavenRepository): Promise<MavenRun> {
  await rm(dir, { recursive: true, force: true });
  const sources = join(dir, 'src', 'main', 'java', 'consumer');
  await mkdir(sources, { recursive: true });
  await writeFile(join(dir, 'pom.xml'), mavenProjectPom());
  await writeFile(
    join(sources, 'Main.java'),
    `package consumer; public class Main { public static void main(String[] a) throws Exception { System.out.println(${GROUP}.App.greet()); } }`,
  );
  const settings = join(dir, 'settings.xml');
  await writeFile(settings, mavenSettingsXml(repository));
  const localRepo = join(dir, 'local-repo');
  const args = [
    '--batch-mode',
    '--settings',
    settings,
    `-Dmaven.repo.local=${localRepo}`,
    `${DEPENDENCY_PLUGIN}:get`,
    `-Dartifact=${GROUP}:edgeproof-tool:1.0`,
    'compile',
  ];
  try {
    const { stdout } = await run('mvn', args, {
      cwd: dir,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, MAVEN_OPTS: '-XX:TieredStopAtLevel=1 -Xshare:auto' },
    });
    return { localRepo, stdout };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`mvn ${args.join(' ')} failed:\n${stdout}\n${stderr}`);
  }
}

/** Runs the compiled project's `Main` against the resolved jars: what the project sees of its dependencies. */
export async function runCompiled(mvn: MavenRun, dir: string, jars: string[]): Promise<string> {
  const { stdout } = await run('java', ['-cp', [join(dir, 'target', 'classes'), ...jars.map((j) => join(mvn.localRepo, j))].join(':'), 'consumer.Main']);
  return stdout.trim();
}
