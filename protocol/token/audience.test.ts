import { describe, expect, it } from 'vitest';
import { audienceIncludes, parseAudience } from './audience.ts';

const SELF = 'jfrt@01c3gffhg2e8w6149e3a2q0w97';

describe('EDGE-TRUST-14: audience', () => {
  it('accepts this service, any Artifactory and any service, as a string or in an array', () => {
    for (const aud of [SELF, 'jfrt@*', '*@*', ['jfmd@*', SELF], ['jfrt@*', 'jfmd@*', 'jfevt@*', 'jfac@*']]) {
      expect(audienceIncludes(aud, SELF), JSON.stringify(aud)).toBe(true);
    }
  });

  it('refuses other services, other Artifactories and near misses', () => {
    for (const aud of ['jfrt@01c3gffhg2e8w6149e3a2q0w98', 'jfds@*', 'jfrt', '*', `${SELF} `, [], ['jfmc@*', 'jfac@*'], 'JFRT@*']) {
      expect(audienceIncludes(aud, SELF), JSON.stringify(aud)).toBe(false);
    }
  });

  it('parses a request audience separated by spaces or commas', () => {
    expect(parseAudience(`${SELF} jfrt@*,*@*`)).toEqual({ entries: [SELF, 'jfrt@*', '*@*'] });
    expect(parseAudience('jfrt@* jfrt@*')).toEqual({ entries: ['jfrt@*'] });
    expect(parseAudience('jfrt@* nope')).toEqual({ invalid: 'nope' });
    expect(parseAudience('  ')).toEqual({ invalid: '  ' });
  });
});
