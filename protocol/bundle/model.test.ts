import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EdgeError } from '../errors.ts';
import { LIMITS, payloadBytes, samplePayload } from './__fixtures__/payloads.ts';
import { parseBundlePayload, type BundlePayload } from './model.ts';

/** Runs the parser and returns its refusal, failing the test if there is none. */
function refusal(bytes: Uint8Array, limits = LIMITS): EdgeError {
  try {
    parseBundlePayload(bytes, limits);
  } catch (err) {
    if (err instanceof EdgeError) return err;
    throw err;
  }
  throw new Error('payload was accepted');
}

/** A sample payload with one change applied to a mutable copy. */
function changed(change: (payload: Record<string, unknown> & BundlePayload) => void): Uint8Array {
  const payload = structuredClone(samplePayload()) as Record<string, unknown> & BundlePayload;
  change(payload);
  return payloadBytes(payload);
}

const firstArtifact = (payload: BundlePayload): Record<string, unknown> => payload.artifacts[0] as unknown as Record<string, unknown>;

describe('parseBundlePayload', () => {
  it('accepts the sample payload and returns its fields', () => {
    expect(parseBundlePayload(payloadBytes(samplePayload()), LIMITS)).toEqual(samplePayload());
  });

  it('accepts and drops unknown members at the top level and in artifacts (EDP-SIG-22)', () => {
    const bytes = changed((payload) => {
      payload.id = 42;
      payload.signature = 'ignored';
      firstArtifact(payload).download_token = 'tok';
    });
    const parsed = parseBundlePayload(bytes, LIMITS);
    expect(parsed).toEqual(samplePayload());
  });

  it('accepts a payload without the optional members', () => {
    const bytes = changed((payload) => {
      delete payload.description;
      delete payload.release_notes;
      delete payload.artifacts[0]?.props;
    });
    expect(parseBundlePayload(bytes, LIMITS).description).toBeUndefined();
  });

  describe('when the bytes are not an I-JSON object (EDP-SIG-9)', () => {
    it.each([
      ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), 'bundle payload is not valid UTF-8'],
      ['a byte order mark', new TextEncoder().encode('\ufeff{}'), 'bundle payload is not valid JSON'],
      ['not JSON', new TextEncoder().encode('{"name":'), 'bundle payload is not valid JSON'],
      ['an array', payloadBytes([samplePayload()]), 'bundle payload must be a JSON object'],
      ['a string', payloadBytes('bundle'), 'bundle payload must be a JSON object'],
      ['null', payloadBytes(null), 'bundle payload must be a JSON object'],
    ])('refuses %s', (_label, bytes, message) => {
      const err = refusal(bytes);
      expect(err.code).toBe('EDP_BUNDLE_MALFORMED');
      expect(err.message).toContain(message);
    });

    it('refuses a duplicated top-level member, even when spelled with escapes', () => {
      const json = JSON.stringify(samplePayload()).replace('{', '{"n\\u0061me":"other",');
      const err = refusal(new TextEncoder().encode(json));
      expect(err.code).toBe('EDP_BUNDLE_MALFORMED');
      expect(err.message).toBe('bundle payload has the member "name" more than once');
    });

    it('refuses a duplicated member inside an artifact', () => {
      const json = JSON.stringify(samplePayload()).replace('"checksum":', '"size":1,"checksum":');
      expect(refusal(new TextEncoder().encode(json)).message).toBe('bundle payload has the member "size" more than once');
    });

    it('allows the same member name in different objects', () => {
      // Every artifact has "repo_path", "checksum" and "size".
      expect(() => parseBundlePayload(payloadBytes(samplePayload()), LIMITS)).not.toThrow();
    });
  });

  describe.each<[string, (payload: Record<string, unknown> & BundlePayload) => void, string]>([
    // EDP-SIG-10
    ['name missing', (p) => void delete (p as Partial<BundlePayload>).name, 'name is missing'],
    ['name not a string', (p) => void (p.name = 7 as unknown as string), 'name must be a string'],
    ['name of one character', (p) => void (p.name = 'a'), 'name must match /^[A-Za-z0-9][A-Za-z0-9_.\\-:]+$/'],
    ['name starting with "-"', (p) => void (p.name = '-app'), 'name must match'],
    ['name with "/"', (p) => void (p.name = 'acme/app'), 'name must match'],
    ['name of 129 characters', (p) => void (p.name = 'n'.repeat(129)), 'name must be at most 128 characters'],
    // EDP-SIG-11
    ['version of 33 characters', (p) => void (p.version = '1'.repeat(33)), 'version must be at most 32 characters'],
    ['version with a space', (p) => void (p.version = '1.0 beta'), 'version must match'],
    ['version LATEST', (p) => void (p.version = 'LATEST'), 'version must not be "LATEST" (reserved)'],
    ['version latest', (p) => void (p.version = 'latest'), 'version must not be "LATEST" (reserved)'],
    ['version LaTeSt', (p) => void (p.version = 'LaTeSt'), 'version must not be "LATEST" (reserved)'],
    // EDP-SIG-12
    ['type other', (p) => void (p.type = 'release_bundle_v2' as 'release_bundle_v1'), 'type must be "release_bundle_v1"'],
    ['type missing', (p) => void delete (p as Partial<BundlePayload>).type, 'type is missing'],
    ['created missing', (p) => void delete (p as Partial<BundlePayload>).created, 'created is missing'],
    ['created not a date-time', (p) => void (p.created = 'yesterday'), 'created must be an ISO 8601 date-time'],
    ['created without an offset', (p) => void (p.created = '2020-05-03T12:33:40'), 'created must be an ISO 8601 date-time'],
    ['description null', (p) => void (p.description = null as unknown as string), 'description must be a string'],
    [
      'release_notes without content',
      (p) => void (p.release_notes = { syntax: 'markdown' } as BundlePayload['release_notes']),
      'release_notes.content is missing',
    ],
    // EDP-SIG-13
    ['artifacts missing', (p) => void delete (p as Partial<BundlePayload>).artifacts, 'artifacts is missing'],
    ['artifacts empty', (p) => void (p.artifacts = []), 'artifacts must list at least one artifact'],
    ['artifacts an object', (p) => void (p.artifacts = {} as BundlePayload['artifacts']), 'artifacts must be an array'],
  ])('when %s', (_label, change, message) => {
    it('refuses the payload naming the member', () => {
      const err = refusal(changed(change));
      expect(err.code).toBe('EDP_BUNDLE_MALFORMED');
      expect(err.message).toContain(message);
    });
  });

  describe.each<[string, (artifact: Record<string, unknown>) => void, string]>([
    // EDP-SIG-14
    [
      'repo_path with ".."',
      (a) => void (a.repo_path = 'libs-release-local/../etc/passwd'),
      'artifacts[0].repo_path "libs-release-local/../etc/passwd" has a ".." segment 2',
    ],
    ['repo_path missing', (a) => void delete a.repo_path, 'artifacts[0].repo_path is missing'],
    // EDP-SIG-18
    ['checksum in upper case', (a) => void (a.checksum = 'A'.repeat(64)), 'artifacts[0].checksum must be 64 lowercase hex digits (a sha256)'],
    ['checksum of 63 digits', (a) => void (a.checksum = 'a'.repeat(63)), 'artifacts[0].checksum must be 64 lowercase hex digits (a sha256)'],
    ['checksum a sha1', (a) => void (a.checksum = 'a'.repeat(40)), 'artifacts[0].checksum must be 64 lowercase hex digits (a sha256)'],
    ['checksum missing', (a) => void delete a.checksum, 'artifacts[0].checksum is missing'],
    // EDP-SIG-19
    ['size missing', (a) => void delete a.size, 'artifacts[0].size is missing'],
    ['size negative', (a) => void (a.size = -1), 'artifacts[0].size must be a non-negative integer'],
    ['size fractional', (a) => void (a.size = 1.5), 'artifacts[0].size must be a non-negative integer'],
    ['size a string', (a) => void (a.size = '1024'), 'artifacts[0].size must be a non-negative integer'],
    ['size beyond 2^53', (a) => void (a.size = 2 ** 53), 'artifacts[0].size must be a non-negative integer'],
    // EDP-SIG-20
    ['props an object', (a) => void (a.props = { key: 'k' }), 'artifacts[0].props must be an array'],
    ['props value not a string', (a) => void (a.props = [{ key: 'k', values: [1] }]), 'artifacts[0].props[0].values[0] must be a string'],
    ['props without values', (a) => void (a.props = [{ key: 'k' }]), 'artifacts[0].props[0].values is missing'],
  ])('when an artifact has %s', (_label, change, message) => {
    it('refuses the payload naming the artifact index and repo_path', () => {
      const err = refusal(changed((payload) => change(firstArtifact(payload))));
      expect(err.code).toBe('EDP_BUNDLE_MALFORMED');
      expect(err.message).toContain(message);
      expect(err.details).toMatchObject({ index: 0 });
    });
  });

  it('names the member, the artifact index and its repo_path (EDP-SIG-24)', () => {
    const err = refusal(changed((payload) => void (firstArtifact(payload).checksum = 'x')));
    expect(err.message).toBe(
      'artifacts[0].checksum must be 64 lowercase hex digits (a sha256) (artifact "libs-release-local/org/acme/app/1.4.0/app-1.4.0.jar")',
    );
    expect(err.details).toEqual({
      field: 'artifacts[0].checksum',
      index: 0,
      repo_path: 'libs-release-local/org/acme/app/1.4.0/app-1.4.0.jar',
    });
  });

  it('refuses a duplicate repo_path, naming both entries (EDP-SIG-17)', () => {
    const bytes = changed((payload) => {
      const [first] = payload.artifacts;
      if (first) payload.artifacts.push({ ...first, checksum: 'b'.repeat(64) });
    });
    const err = refusal(bytes);
    expect(err.code).toBe('EDP_BUNDLE_MALFORMED');
    expect(err.message).toBe('artifacts[2].repo_path "libs-release-local/org/acme/app/1.4.0/app-1.4.0.jar" duplicates artifacts[0]');
    expect(err.details).toMatchObject({ index: 2, duplicate_of: 0 });
  });

  it('compares repo_paths exactly, so paths differing in case are distinct', () => {
    const bytes = changed((payload) => {
      const [first] = payload.artifacts;
      if (first) payload.artifacts.push({ ...first, repo_path: first.repo_path.toUpperCase() });
    });
    expect(parseBundlePayload(bytes, LIMITS).artifacts).toHaveLength(3);
  });

  describe('a path that is both a file and a folder (EDP-SIG-25)', () => {
    const withPaths = (...paths: string[]) =>
      changed((payload) => {
        payload.artifacts = paths.map((repo_path) => ({ repo_path, checksum: 'c'.repeat(64), size: 1 }));
      });

    it.each([
      ['the file first', ['libs-local/a', 'libs-local/a/b'], 1, 0, '"libs-local/a/b" lies under "libs-local/a", the file of artifacts[0]'],
      ['the file after', ['libs-local/a/b', 'libs-local/a'], 1, 0, '"libs-local/a" is the folder of artifacts[0]'],
      ['several levels apart', ['libs-local/x.txt', 'libs-local/a/b/c', 'libs-local/a'], 2, 1, '"libs-local/a" is the folder of artifacts[1]'],
      [
        'a deeper file under a file',
        ['libs-local/a/b', 'libs-local/a/b/c/d'],
        1,
        0,
        '"libs-local/a/b/c/d" lies under "libs-local/a/b", the file of artifacts[0]',
      ],
    ])('refuses %s, naming both artifacts', (_label, paths, index, other, problem) => {
      const err = refusal(withPaths(...paths));
      expect(err.code).toBe('EDP_BUNDLE_MALFORMED');
      expect(err.message).toBe(`artifacts[${index}].repo_path ${problem}; a path cannot be both a file and a folder`);
      expect(err.details).toEqual({ field: `artifacts[${index}].repo_path`, index, repo_path: paths[index], conflicts_with: other });
    });

    it.each([
      ['a name that only starts like the other', ['libs-local/a', 'libs-local/ab/c']],
      ['a case variant (paths are compared exactly)', ['libs-local/A', 'libs-local/a/b']],
      ['a Unicode normalisation variant', ['libs-local/\u00e9', 'libs-local/e\u0301/b']],
      ['the same path in another repository', ['libs-local/a', 'other-local/a/b']],
      ['siblings in one folder', ['libs-local/a/b', 'libs-local/a/c']],
    ])('accepts %s', (_label, paths) => {
      expect(parseBundlePayload(withPaths(...paths), LIMITS).artifacts).toHaveLength(2);
    });

    it('is checked after duplicates and before the total size (EDP-SIG-23)', () => {
      const duplicate = refusal(withPaths('libs-local/a', 'libs-local/a/b', 'libs-local/a'));
      expect(duplicate.details).toMatchObject({ duplicate_of: 0 });
      expect(refusal(withPaths('libs-local/a', 'libs-local/a/b'), { maxTotalBytes: 0 }).code).toBe('EDP_BUNDLE_MALFORMED');
    });
  });

  describe('total size (EDP-SIG-21)', () => {
    it('accepts a total exactly at the limit', () => {
      expect(() => parseBundlePayload(payloadBytes(samplePayload()), { maxTotalBytes: 1024 })).not.toThrow();
    });

    it('refuses a total one byte over the limit with EDP_BUNDLE_TOO_LARGE', () => {
      const err = refusal(payloadBytes(samplePayload()), { maxTotalBytes: 1023 });
      expect(err.code).toBe('EDP_BUNDLE_TOO_LARGE');
      expect(err.message).toBe('artifacts add up to 1024 bytes, over the limit of 1023 bytes');
    });

    it('sums exactly beyond 2^53', () => {
      const bytes = changed((payload) => {
        payload.artifacts = [0, 1, 2].map((i) => ({
          repo_path: `libs-local/part-${i}.bin`,
          checksum: 'c'.repeat(64),
          size: Number.MAX_SAFE_INTEGER,
        }));
      });
      const err = refusal(bytes, { maxTotalBytes: Number.MAX_SAFE_INTEGER });
      expect(err.code).toBe('EDP_BUNDLE_TOO_LARGE');
      expect(err.message).toContain(`${3n * BigInt(Number.MAX_SAFE_INTEGER)} bytes`);
    });

    it('prefers EDP_BUNDLE_MALFORMED when the payload is also malformed', () => {
      const bytes = changed((payload) => void (payload.name = '-'));
      expect(refusal(bytes, { maxTotalBytes: 0 }).code).toBe('EDP_BUNDLE_MALFORMED');
    });

    it('refuses exactly when the sum of sizes is over the limit', () => {
      fc.assert(
        fc.property(fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 20 }), fc.nat({ max: 20_000_000 }), (sizes, limit) => {
          const payload = {
            ...samplePayload(),
            artifacts: sizes.map((size, i) => ({ repo_path: `r/f${i}`, checksum: 'd'.repeat(64), size })),
          };
          const total = sizes.reduce((a, b) => a + b, 0);
          const run = () => parseBundlePayload(payloadBytes(payload), { maxTotalBytes: limit });
          if (total > limit) expect(run).toThrow(/over the limit/);
          else expect(run).not.toThrow();
        }),
      );
    });
  });

  it('reports a hostile repo_path through the artifact index (EDP-SIG-14, property)', () => {
    const hostile = fc.constantFrom('..', '.', '', 'a\\b', 'a\u0000b', 'a%2Fb', 'a\u007fb');
    fc.assert(
      fc.property(hostile, fc.nat({ max: 2 }), (segment, index) => {
        const payload = samplePayload();
        const artifacts = [...payload.artifacts, { repo_path: 'r/x', checksum: 'e'.repeat(64), size: 1 }];
        const target = artifacts[index];
        if (target) target.repo_path = `r/${segment}/x`;
        const err = refusal(payloadBytes({ ...payload, artifacts }));
        expect(err.code).toBe('EDP_BUNDLE_MALFORMED');
        expect(err.message).toMatch(new RegExp(`^artifacts\\[${index}\\]\\.repo_path `));
        expect(err.details).toMatchObject({ index, repo_path: `r/${segment}/x` });
      }),
    );
  });
});
