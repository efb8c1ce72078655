import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globMatcher } from './glob.ts';
import { mapPath } from './mappings.ts';
import type { Site } from './mission-control.ts';
import { bundleProps } from './props.ts';
import { distributionRule, matchSites } from './sites.ts';

const site = (name: string, cityName: string, countryCode: string): Site => ({
  jpdId: name,
  name,
  baseUrl: `http://${name}`,
  cityName,
  countryCode,
  serviceId: null,
});
const SITES = [
  site('US_NY_Art01', 'New York', 'US'),
  site('US_SF_Art02', 'San Francisco', 'US'),
  site('DE_Edge', 'Berlin', 'DE'),
  site('IL_Edge', 'Tel Aviv', 'IL'),
];
const names = (rules: unknown[]) =>
  matchSites(
    SITES,
    rules.map((r) => distributionRule.parse(r)),
  ).map((s) => s.name);

describe('distribution rules → sites (sites.ts)', () => {
  it('defaults every field to "*"', () => {
    expect(names([{}])).toEqual(['US_NY_Art01', 'US_SF_Art02', 'DE_Edge', 'IL_Edge']);
  });

  it('matches country codes, site names and cities with * and ?, case-insensitively', () => {
    expect(names([{ country_codes: ['us'] }])).toEqual(['US_NY_Art01', 'US_SF_Art02']);
    expect(names([{ country_codes: ['D?', 'I*'] }])).toEqual(['DE_Edge', 'IL_Edge']);
    expect(names([{ site_name: 'us_*_art0?' }])).toEqual(['US_NY_Art01', 'US_SF_Art02']);
    expect(names([{ city_name: 'san *', country_codes: ['US'] }])).toEqual(['US_SF_Art02']);
    expect(names([{ site_name: 'US', country_codes: ['US'] }])).toEqual([]);
  });

  it('takes the union of rules, each site once, in Mission Control order', () => {
    expect(names([{ country_codes: ['IL'] }, { site_name: '*Edge' }, { country_codes: ['DE'] }])).toEqual(['DE_Edge', 'IL_Edge']);
  });

  it('treats regex characters literally', () => {
    expect(globMatcher('a.c', { caseInsensitive: false })('abc')).toBe(false);
    expect(globMatcher('a.c(1)', { caseInsensitive: false })('a.c(1)')).toBe(true);
  });

  it('property: "*" matches anything; a wildcard-free pattern matches exactly itself, any case', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (value, other) => {
        expect(globMatcher('*', { caseInsensitive: true })(value)).toBe(true);
        const literal = value.replace(/[*?]/g, '');
        expect(globMatcher(literal, { caseInsensitive: true })(literal.toUpperCase())).toBe(literal.toUpperCase().toLowerCase() === literal.toLowerCase());
        if (other.toLowerCase() !== literal.toLowerCase()) expect(globMatcher(literal, { caseInsensitive: true })(other)).toBe(false);
      }),
    );
  });
});

describe('path mappings (mappings.ts)', () => {
  it('applies the first mapping matching the whole path, with $n references', () => {
    const mappings = [
      { input: 'libs-local/(.*)/(.*)\\.jar', output: 'prod/$1/jars/$2.jar' },
      { input: 'libs-local/(.*)', output: 'prod/other/$1' },
    ];
    expect(mapPath('libs-local/a/b/x.jar', mappings, 'q')).toBe('prod/a/b/jars/x.jar');
    expect(mapPath('libs-local/a/readme', mappings, 'q')).toBe('prod/other/a/readme');
    expect(mapPath('docs-local/x', mappings, 'q')).toBe('docs-local/x');
    // A partial match is no match: the input must cover the whole path.
    expect(mapPath('xlibs-local/a', [{ input: 'libs-local/(.*)', output: 'y/$1' }], 'q')).toBe('xlibs-local/a');
  });

  it('refuses a target that is not a clean repo path', () => {
    expect(() => mapPath('libs-local/a', [{ input: 'libs-local/(.*)', output: 'prod//$1' }], 'q')).toThrow(/Query "q": mapping/);
    expect(() => mapPath('libs-local/a', [{ input: '(.*)', output: '/abs/$1' }], 'q')).toThrow(/400|mapping/);
  });
});

describe('bundle properties (props.ts)', () => {
  it('drops excluded keys (wildcards, case-sensitive) and appends added values without duplicates', () => {
    const source = [
      { key: 'build.name', values: ['app'] },
      { key: 'secret.a', values: ['s'] },
      { key: 'Secret.b', values: ['t'] },
    ];
    expect(
      bundleProps(source, {
        exclude_props_patterns: ['secret.*'],
        added_props: [
          { key: 'build.name', values: ['app', 'rel'] },
          { key: 'new', values: ['1'] },
        ],
      }),
    ).toEqual([
      { key: 'build.name', values: ['app', 'rel'] },
      { key: 'Secret.b', values: ['t'] },
      { key: 'new', values: ['1'] },
    ]);
  });
});
