import type { Scenario } from '../kit/scenario.ts';
import { FAMILIES } from './index.ts';
import { PROFILES, type Family, type Requirement } from './types.ts';

/**
 * The documents generated from the catalogue (pure: text in, text out). `write-docs.ts` writes
 * them; a test fails when the files in the repository differ from what this renders.
 */

const GENERATED = '<!-- Generated from scenarios/catalogue/ by `npm run requirements`: edit the catalogue, not this file. -->';

/** The sentence as a Markdown list item: first line after the marker, the rest indented two spaces. */
function item(head: string, text: string): string {
  const [first = '', ...rest] = text.split('\n');
  return [`${head} ${first}`, ...rest.map((line) => (line === '' ? '' : `  ${line}`))].join('\n');
}

export interface Evidence {
  /** Scenario ids per requirement ID. */
  scenarios: ReadonlyMap<string, string[]>;
  /** Test files (repository paths) naming a requirement ID, for the `implementation` profile. */
  tests: ReadonlyMap<string, string[]>;
}

export function evidenceOf(suite: readonly Scenario[], tests: ReadonlyMap<string, string[]>): Evidence {
  const scenarios = new Map<string, string[]>();
  for (const s of suite) for (const id of s.requirements) scenarios.set(id, [...(scenarios.get(id) ?? []), s.id]);
  return { scenarios, tests };
}

function checkedBy(r: Requirement, evidence: Evidence): string {
  const scenarios = evidence.scenarios.get(r.id) ?? [];
  const tests = evidence.tests.get(r.id) ?? [];
  const parts = [
    ...(scenarios.length ? [`scenarios ${scenarios.map((s) => `\`${s}\``).join(', ')}`] : []),
    ...(r.profile === 'implementation' && tests.length ? [`tests ${tests.map((t) => `\`${t}\``).join(', ')}`] : []),
  ];
  return parts.length ? parts.join('; ') : '**nothing yet**';
}

/** docs/requirements.md: every family, every requirement with level, profile, source and what checks it. */
export function renderRequirements(evidence: Evidence): string {
  const out: string[] = [
    GENERATED,
    '',
    '# Requirements',
    '',
    'Every requirement edgeproof holds an Edge to, from the catalogue in `scenarios/catalogue/`. Each',
    'ID appears in three places: here (and, for EDP-*, in [protocol.md](protocol.md), the',
    "protocol's normative text), in a comment where the code enforces it, and in the scenarios or",
    'tests that check it (`grep -rn EDGE-RO-1` finds all three). Keywords as in RFC 2119.',
    '',
    'Profiles (`edgeproof conformance --profile`): `core` is Artifactory behaviour any Edge shows;',
    '`read-only` the Edge licence’s refusals and the uploads repository; `edp` the Edge',
    'Distribution Protocol; `trust` the circle of trust and trusted signing keys; `smart-remote`',
    'smart remote and virtual repositories; `implementation`',
    "edgeproof's own Edge as an operator runs it (checked by the tests in `test/`, not by",
    'scenarios, and not selected by default).',
    '',
    '| profile | requirements | MUST | SHOULD | MAY | checked by a scenario |',
    '|---|---|---|---|---|---|',
  ];
  const all = FAMILIES.flatMap((f) => f.requirements);
  for (const profile of PROFILES) {
    const mine = all.filter((r) => r.profile === profile);
    const count = (level: string) => mine.filter((r) => r.level === level).length;
    const covered = mine.filter((r) => (evidence.scenarios.get(r.id) ?? []).length > 0).length;
    out.push(`| ${profile} | ${mine.length} | ${count('MUST')} | ${count('SHOULD')} | ${count('MAY')} | ${covered} |`);
  }
  for (const family of FAMILIES) out.push('', ...renderFamily(family, evidence));
  return `${out.join('\n')}\n`;
}

function renderFamily(family: Family, evidence: Evidence): string[] {
  const where = family.doc === 'protocol' ? ` ([protocol.md](protocol.md))` : '';
  const out = [`## ${family.prefix} — ${family.title}${where}`, ''];
  if (family.intro) out.push(family.intro, '');
  for (const r of family.requirements) {
    out.push(item(`- **${r.id}** (${r.level}, ${r.profile})`, r.text));
    out.push(`  Source: ${r.source}. Checked by: ${checkedBy(r, evidence)}.`);
  }
  return out;
}

const BLOCK = /<!-- requirements §([\d.]+): [^\n]*-->\n[\s\S]*?<!-- \/requirements -->/g;

/** docs/protocol.md with each generated block (`<!-- requirements §N -->`) rendered from the catalogue. */
export function renderProtocol(current: string): string {
  const bySection = new Map<string, Requirement[]>();
  for (const family of FAMILIES) {
    if (family.doc !== 'protocol') continue;
    for (const r of family.requirements) {
      const section = /§([\d.]+)/.exec(r.source)?.[1];
      if (!section) throw new Error(`${r.id}: its source names no protocol.md section`);
      bySection.set(section, [...(bySection.get(section) ?? []), r]);
    }
  }
  const seen = new Set<string>();
  const text = current.replace(BLOCK, (block, section: string) => {
    const list = bySection.get(section);
    if (!list) throw new Error(`docs/protocol.md has a requirements block for §${section}, which no requirement names`);
    seen.add(section);
    const head = block.slice(0, block.indexOf('\n'));
    return [head, ...list.map((r) => item(`- **${r.id}** (${r.level})`, r.text)), '<!-- /requirements -->'].join('\n');
  });
  const missing = [...bySection.keys()].filter((s) => !seen.has(s));
  if (missing.length) throw new Error(`docs/protocol.md lacks a requirements block for §${missing.join(', §')}`);
  return text;
}
