import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { evidenceOf, renderProtocol, renderRequirements } from '../scenarios/catalogue/docs.ts';
import { testEvidence } from '../scenarios/catalogue/test-evidence.ts';
import { CATALOGUE, FAMILIES, SUITE, unknownRequirements } from '../scenarios/index.ts';

/** The catalogue is the one source of requirements: the docs follow it, scenarios cite it, every MUST is checked. */

const root = new URL('../', import.meta.url);
const all = [...CATALOGUE.values()];

describe('the requirement catalogue', () => {
  it('has unique IDs, each in the family its prefix names, numbered without gaps', () => {
    const ids = FAMILIES.flatMap((f) => f.requirements.map((r) => r.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const family of FAMILIES) {
      const numbers = family.requirements.map((r) => {
        expect(r.id.startsWith(`${family.prefix}-`), r.id).toBe(true);
        return Number(r.id.slice(family.prefix.length + 1));
      });
      expect(
        [...numbers].sort((a, b) => a - b),
        family.prefix,
      ).toEqual(numbers.map((_, i) => i + 1));
    }
  });

  it('gives every requirement a sentence and a source', () => {
    for (const r of all) {
      expect(r.text.trim().length, r.id).toBeGreaterThan(20);
      expect(r.source, r.id).toMatch(/docs\/|RFC|JFrog/);
    }
  });

  it('docs/requirements.md and the requirement lists of docs/protocol.md are generated from it (run `npm run requirements`)', async () => {
    const evidence = evidenceOf(SUITE, await testEvidence(root));
    expect(await readFile(new URL('docs/requirements.md', root), 'utf8')).toBe(renderRequirements(evidence));
    const protocol = await readFile(new URL('docs/protocol.md', root), 'utf8');
    expect(protocol).toBe(renderProtocol(protocol));
  });

  it('every scenario cites only catalogued requirements, and scenario ids are unique', () => {
    expect(unknownRequirements(SUITE)).toEqual([]);
    const ids = SUITE.map((s) => s.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('every MUST outside the implementation profile is checked by at least one scenario', () => {
    const cited = new Set(SUITE.flatMap((s) => s.requirements));
    const unchecked = all.filter((r) => r.level === 'MUST' && r.profile !== 'implementation' && !cited.has(r.id)).map((r) => r.id);
    expect(unchecked).toEqual([]);
  });

  it('every requirement of the implementation profile is named by a test', async () => {
    const tests = await testEvidence(root);
    const untested = all.filter((r) => r.profile === 'implementation' && !(tests.get(r.id)?.length ?? 0)).map((r) => r.id);
    expect(untested).toEqual([]);
  });

  it('every requirement is named in a comment of the code that enforces it (edge/, protocol/, or ui/ for the web UI)', () => {
    const code = execFileSync(
      'git',
      [
        'grep',
        '-h',
        '-o',
        '-E',
        '\\b(EDGE|EDP)-[A-Z]+-[0-9]+\\b',
        '--',
        'edge/*.ts',
        'protocol/*.ts',
        'ui/*.ts',
        'ui/*.tsx',
        ':!*.test.ts',
        ':!*__fixtures__*',
      ],
      {
        cwd: new URL('.', root),
        encoding: 'utf8',
      },
    );
    const named = new Set(code.split('\n'));
    expect(all.filter((r) => !named.has(r.id)).map((r) => r.id)).toEqual([]);
  });
});
