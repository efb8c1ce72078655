import { afterEach, describe, expect, it, vi } from 'vitest';
import { harnessMaterial } from '../fixtures/keys/index.ts';
import { DEFAULT_PROFILES, embeddedTarget, runConformance, SUITE, type RunResult } from '../scenarios/index.ts';
import { broken, MUTANTS, type Mutant } from './__fixtures__/mutants.ts';

/**
 * The suite validates itself: each deliberately broken Edge (edge/__fixtures__/mutants.ts) is
 * caught by the conformance scenarios of the requirement its guarantee serves, run over HTTP
 * against the embedded target exactly as `edgeproof conformance` runs them; and with every
 * switch off the same selection passes, so the catch is the mutant's doing.
 *
 * Each mock below delegates to the real module unless its mutant is switched on.
 */

vi.mock(import('jose'), async (importOriginal) => {
  const real = await importOriginal();
  const { broken } = await import('./__fixtures__/mutants.ts');
  // A segment that is not JSON reads as empty: the mock must never fail where the real check would not.
  const segment = (part: string): Record<string, unknown> => {
    try {
      const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
      return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  const compactVerify = async (jws: string | Uint8Array, key: Parameters<typeof real.compactVerify>[1], options?: Parameters<typeof real.compactVerify>[2]) => {
    try {
      return await real.compactVerify(jws, key as never, options);
    } catch (error) {
      const text = typeof jws === 'string' ? jws : new TextDecoder().decode(jws);
      const [header = '', payload = ''] = text.split('.');
      if (!(error instanceof real.errors.JWSSignatureVerificationFailed)) throw error;
      const isToken = segment(header).typ === 'JWT' || 'sub' in segment(payload);
      if (!(isToken ? broken.has('token-signature-skipped') : broken.has('bundle-signature-skipped'))) throw error;
      return { payload: Buffer.from(payload, 'base64url'), protectedHeader: segment(header) as { alg: string } };
    }
  };
  return { ...real, compactVerify: compactVerify as unknown as typeof real.compactVerify };
});

vi.mock(import('./bundles/trusted-keys.ts'), async (importOriginal) => {
  const real = await importOriginal();
  const { broken } = await import('./__fixtures__/mutants.ts');
  class Mutated extends real.TrustedKeys {
    constructor(...args: ConstructorParameters<typeof real.TrustedKeys>) {
      super(...args);
      const exact = this.resolve;
      this.resolve = async (kid) => {
        const found = await exact(kid);
        if (found || !broken.has('unknown-kid-tries-a-trusted-key')) return found;
        const [any] = await this.list();
        return any ? exact(any.kid) : undefined;
      };
    }
  }
  return { ...real, TrustedKeys: Mutated };
});

vi.mock(import('./repos/artifacts.ts'), async (importOriginal) => {
  const real = await importOriginal();
  const { broken } = await import('./__fixtures__/mutants.ts');
  class Mutated extends real.ArtifactService {
    override assertWritable(repo: Parameters<InstanceType<typeof real.ArtifactService>['assertWritable']>[0]): void {
      if (broken.has('local-repositories-writable') && repo.rclass === 'local') return;
      super.assertWritable(repo);
    }
  }
  return { ...real, ArtifactService: Mutated };
});

vi.mock(import('../protocol/wire/checksum-headers.ts'), async (importOriginal) => {
  const real = await importOriginal();
  const { broken } = await import('./__fixtures__/mutants.ts');
  return {
    ...real,
    checksumMismatch: (...args: Parameters<typeof real.checksumMismatch>) =>
      broken.has('deploy-checksums-ignored') ? undefined : real.checksumMismatch(...args),
  };
});

vi.mock(import('./bundles/edp.ts'), async (importOriginal) => {
  const real = await importOriginal();
  const { broken } = await import('./__fixtures__/mutants.ts');
  type Service = InstanceType<typeof real.EdpService>;
  class Mutated extends real.EdpService {
    readonly #early = new Map<string, Awaited<ReturnType<Service['commit']>>>();

    override async upload(...args: Parameters<Service['upload']>): ReturnType<Service['upload']> {
      const result = await super.upload(...args);
      const [id] = args;
      if (broken.has('publication-before-commit')) {
        const tx = await this.status(id);
        if (tx.state === 'OPEN' && tx.files.every((f) => f.state === 'PRESENT')) this.#early.set(id, await super.commit(id));
      }
      return result;
    }

    override async commit(id: string): ReturnType<Service['commit']> {
      return this.#early.get(id) ?? super.commit(id);
    }

    override async deleteBundle(name: string, version: string): Promise<void> {
      if (broken.has('bundle-deletion-ignored')) return;
      await super.deleteBundle(name, version);
    }
  }
  return { ...real, EdpService: Mutated };
});

vi.mock(import('./repos/repositories.ts'), async (importOriginal) => {
  const real = await importOriginal();
  const { broken } = await import('./__fixtures__/mutants.ts');
  class Mutated extends real.RepositoryService {
    override async delete(key: string): Promise<void> {
      if (broken.has('uploads-deletion-not-refused') && key === real.UPLOADS_REPO) return;
      await super.delete(key);
    }
  }
  return { ...real, RepositoryService: Mutated };
});

vi.mock(import('../protocol/token/audience.ts'), async (importOriginal) => {
  const real = await importOriginal();
  const { broken } = await import('./__fixtures__/mutants.ts');
  return {
    ...real,
    audienceIncludes: (...args: Parameters<typeof real.audienceIncludes>) => broken.has('any-audience-accepted') || real.audienceIncludes(...args),
  };
});

vi.mock(import('./trust/authenticate.ts'), async (importOriginal) => {
  const real = await importOriginal();
  const { broken } = await import('./__fixtures__/mutants.ts');
  class Mutated extends real.Authenticator {
    override async authenticate(authorization: string | undefined, address = ''): ReturnType<InstanceType<typeof real.Authenticator>['authenticate']> {
      try {
        return await super.authenticate(authorization, address);
      } catch (error) {
        if (broken.has('bad-password-is-anonymous') && (error as { code?: string }).code === 'BAD_CREDENTIALS') return super.authenticate(undefined, address);
        throw error;
      }
    }
  }
  return { ...real, Authenticator: Mutated };
});

/** The scenarios that check `requirements`, run against a fresh embedded Edge. */
function runFor(requirements: readonly string[]): Promise<RunResult> {
  return runConformance({
    target: embeddedTarget(),
    scenarios: SUITE,
    material: harnessMaterial(),
    selection: { profiles: [...DEFAULT_PROFILES], level: 'MUST', grep: `^(${requirements.join('|')})$` },
    seed: 20261130,
    runs: 5,
    suite: { name: 'edgeproof', version: 'self-validation' },
    command: 'edge/mutants.test.ts',
    today: '2026-11-30',
  });
}

const caught = (result: RunResult, mutant: Mutant) =>
  result.requirements.filter((r) => mutant.caughtBy.includes(r.id) && r.verdict === 'failed').map((r) => `${r.id} (${r.scenarios.join(', ')})`);

describe('the conformance suite catches every broken Edge', () => {
  afterEach(() => broken.clear());

  it.each(MUTANTS.map((m) => [m.name, m] as const))(
    '%s',
    async (_name, mutant) => {
      const control = await runFor(mutant.caughtBy);
      expect(control.scenarios.length, `no scenario checks ${mutant.caughtBy.join(', ')}`).toBeGreaterThan(0);
      expect(
        control.ok,
        `the intact Edge fails: ${control.scenarios
          .filter((s) => s.status !== 'passed')
          .map((s) => `${s.id}: ${s.failure?.message}`)
          .join('; ')}`,
      ).toBe(true);

      broken.add(mutant.name);
      const result = await runFor(mutant.caughtBy);
      expect(result.ok).toBe(false);
      const by = caught(result, mutant);
      expect(by, `${mutant.name} was not caught by ${mutant.caughtBy.join(', ')}`).not.toEqual([]);
      process.stdout.write(`mutant ${mutant.name}: caught by ${by.join('; ')}\n`);
    },
    300_000,
  );
});
