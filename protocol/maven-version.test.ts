import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareMavenVersions, isSnapshotVersion } from './maven-version.ts';

/** Fixed, so a failure replays; the sample is printed with the disagreement. */
const SEED = 2208;
/** Maven's own class (Debian's `maven` package), whose `main` prints how consecutive arguments compare. */
const MAVEN_ARTIFACT_JAR = '/usr/share/maven/lib/maven-artifact-3.x.jar';

const sign = (n: number): '<' | '==' | '>' => (n < 0 ? '<' : n > 0 ? '>' : '==');

/** How Maven orders each consecutive pair of `versions`, in one JVM start. */
function mavenOrder(versions: string[]): string[] {
  const out = execFileSync('java', ['-cp', MAVEN_ARTIFACT_JAR, 'org.apache.maven.artifact.versioning.ComparableVersion', ...versions], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => /^ {3}\S/.test(line))
    .map((line) => line.trim().split(' ')[1] as string);
}

const token = fc.constantFrom(
  ...['0', '1', '2', '10', '01', '9999999999', '99999999999999999999', 'a', 'b', 'm', 'alpha', 'beta', 'milestone', 'rc', 'cr', 'snapshot', 'SNAPSHOT'],
  ...['ga', 'final', 'release', 'sp', 'foo', 'Foo', 'xyz', ''],
);
const version = fc
  .array(fc.tuple(token, fc.constantFrom('.', '-', '')), { minLength: 1, maxLength: 5 })
  .map((parts) => parts.map(([t, sep]) => t + sep).join(''))
  .filter((v) => v.length > 0);

describe('Maven version order (EDGE-MVN-3)', () => {
  it('EDGE-MVN-3: known orderings of Maven 3.8', () => {
    const ascending = ['1-alpha-1', '1-alpha2', '1-b1', '1-milestone-1', '1-rc1', '1-SNAPSHOT', '1', '1-sp', '1-foo', '1-1', '1.0.1', '1.1', '1.10', '2'];
    for (let i = 1; i < ascending.length; i++) {
      expect(sign(compareMavenVersions(ascending[i - 1] as string, ascending[i] as string)), `${ascending[i - 1]} vs ${ascending[i]}`).toBe('<');
    }
    for (const [a, b] of [
      ['1.0', '1'],
      ['1-ga', '1'],
      ['1.0-final', '1'],
      ['1-cr1', '1-rc1'],
      ['1.0.0', '1-release'],
    ]) {
      expect(compareMavenVersions(a as string, b as string), `${a} == ${b}`).toBe(0);
    }
    expect(isSnapshotVersion('1.0-SNAPSHOT')).toBe(true);
    expect(isSnapshotVersion('1.0-20260101.120000-3')).toBe(true);
    expect(isSnapshotVersion('1.0')).toBe(false);
  });

  it(`EDGE-MVN-3: agrees with Maven's own ComparableVersion on generated versions (seed ${SEED})`, () => {
    const samples = fc.sample(fc.array(version, { minLength: 2, maxLength: 40 }), { seed: SEED, numRuns: 30 }).flat();
    const maven = mavenOrder(samples);
    expect(maven.length).toBe(samples.length - 1);
    const disagreements = maven.flatMap((op, i) => {
      const ours = sign(compareMavenVersions(samples[i] as string, samples[i + 1] as string));
      return ours === op ? [] : [`${samples[i]} ${op} ${samples[i + 1]} (ours: ${ours})`];
    });
    expect(disagreements).toEqual([]);
  });
});
