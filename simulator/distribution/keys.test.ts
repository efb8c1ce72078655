import { describe, expect, it } from 'vitest';
import { FIXTURE_PASSPHRASE, fixturePublicKey, fixtureSecretKey } from '../../fixtures/keys/index.ts';
import { keyUpload, platform } from './__fixtures__/platform.ts';

const SITES = [
  { name: 'US_NY_Edge', city: 'New York', country: 'US' },
  { name: 'DE_Edge', city: 'Berlin', country: 'DE' },
  { name: 'Main_Art', city: 'Austin', country: 'US', license: 'ENTERPRISE_PLUS' },
];
const KID = 'b4640ee9669cea3e';

describe('GPG keys /api/v1/keys/{pgp|gpg} (jfrog-compat.md §3.9)', () => {
  it('uploads and propagates to every Edge JPD only, with a JFrog-shaped report', async () => {
    const p = await platform(SITES, []);
    const res = await p.call('POST', '/keys/gpg', keyUpload('release key', { propagate_to_edge_nodes: true }));
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      report: {
        message: 'Propagated to all 2 Edge nodes.',
        status: 'SUCCESS',
        details: [
          { jpd_id: 'JPD-1', name: 'US_NY_Edge', key_alias: 'release key', status: 'SUCCESS' },
          { jpd_id: 'JPD-2', name: 'DE_Edge', key_alias: 'release key', status: 'SUCCESS' },
        ],
      },
    });
    for (const name of ['US_NY_Edge', 'DE_Edge']) expect([...(p.edges.get(name)?.trusted.values() ?? [])]).toEqual([KID]);
    expect(p.edges.get('Main_Art')?.trusted.size).toBe(0);
    expect(res.text).not.toContain('PRIVATE KEY');
  });

  it('counts 409 as success only when the Edge really holds the key', async () => {
    const p = await platform(SITES.slice(0, 2), []);
    p.edges.get('US_NY_Edge')?.trusted.set('old alias', KID);
    p.edges.get('DE_Edge')?.trusted.set('release', 'c35b552705e9a7b1');
    const res = await p.call('POST', '/keys/pgp', keyUpload('release', { propagate_to_edge_nodes: true }));
    expect(res.json()).toMatchObject({
      report: {
        status: 'PARTIAL_SUCCESS',
        details: [
          { jpd_id: 'JPD-1', status: 'SUCCESS' },
          { jpd_id: 'JPD-2', status: 'FAILURE', message: `Edge answered HTTP 409 KEY_DUPLICATE: Key ${KID} or alias release is already trusted.` },
        ],
      },
    });
    expect(p.dist.state.keys.has('release')).toBe(true);
  });

  it('with fail_on_propagation_failure, a failed Edge means 502 and the key is not saved', async () => {
    const p = await platform(SITES.slice(0, 2), []);
    p.net.faults.push((r) => (r.url.startsWith('http://deedge.edge.test') ? new Response('down', { status: 503 }) : undefined));
    const res = await p.call('POST', '/keys/gpg', keyUpload('k', { propagate_to_edge_nodes: true, fail_on_propagation_failure: true }));
    expect(res.status).toBe(502);
    expect(res.json()).toEqual({
      status_code: 502,
      message: 'Propagation of key "k" failed; the key was not saved.',
      detail: 'Propagation failed for 1 of 2 key deliveries. JPD-2 DE_Edge: Edge answered HTTP 503: down',
    });
    expect(p.dist.state.keys.size).toBe(0);
  });

  it('reports a Mission Control outage as FAILURE and still saves the key', async () => {
    const p = await platform(SITES.slice(0, 1), []);
    p.net.routes.delete('http://mc.test');
    const res = await p.call('POST', '/keys/gpg', keyUpload('k', { propagate_to_edge_nodes: true }));
    expect(res.json<{ report: { status: string; message: string } }>().report).toMatchObject({
      status: 'FAILURE',
      message: expect.stringContaining('Could not reach Mission Control'),
    });
    expect(p.dist.state.defaultKeyAlias).toBe('k');
  });

  it('refuses keys no Edge would trust, mismatched pairs and bad bodies with 400', async () => {
    const p = await platform([], []);
    const upload = (key: Record<string, unknown>) =>
      p.call('POST', '/keys/gpg', {
        key: { alias: 'k', public_key: fixturePublicKey('bundle-signing'), private_key: fixtureSecretKey('bundle-signing'), ...key },
      });
    const cases: [Promise<{ status: number; text: string }>, RegExp][] = [
      [upload({ public_key: fixturePublicKey('weak-rsa1024') }), /at least 2048 bits/],
      [upload({ public_key: fixturePublicKey('ed25519-signing') }), /not an RSA signing key/],
      [upload({ public_key: fixtureSecretKey('bundle-signing') }), /private key/],
      [upload({ private_key: fixtureSecretKey('untrusted-signing') }), /must be one key pair/],
      [upload({ private_key: 'garbage' }), /Invalid private_key/],
      [upload({ alias: '' }), /alias/],
      [upload({ alias: 'a/b' }), /alias/],
      [p.call('POST', '/keys/gpg', '{"key":'), /not valid JSON/],
      [p.call('POST', '/keys/rsa', keyUpload('k')), /pgp or gpg/],
      [
        upload({ private_key: fixtureSecretKey('passphrase-signing'), public_key: fixturePublicKey('passphrase-signing'), passphrase: 'wrong' }),
        /could not be decrypted/,
      ],
    ];
    for (const [pending, message] of cases) {
      const res = await pending;
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.text).toMatch(message);
    }
    expect((await p.call('POST', '/keys/gpg', keyUpload('k'))).status).toBe(200);
    expect((await p.call('POST', '/keys/gpg', keyUpload('k'))).status).toBe(409);
  });

  it('gets, lists, renames, deletes by alias; the legacy PUT sets the default key', async () => {
    const p = await platform([], []);
    await p.call('POST', '/keys/gpg', keyUpload('first'));
    expect((await p.call('GET', '/keys/pgp/first')).json()).toEqual({ alias: 'first', public_key: fixturePublicKey('bundle-signing') });
    const renamed = await p.call('PUT', '/keys/gpg/first', { new_alias: 'second' });
    expect(renamed.json()).toMatchObject({ alias: 'second' });
    expect(p.dist.state.defaultKeyAlias).toBe('second');
    expect((await p.call('GET', '/keys/gpg/first')).status).toBe(404);
    const legacy = await p.call('PUT', '/keys/pgp', { public_key: fixturePublicKey('untrusted-signing'), private_key: fixtureSecretKey('untrusted-signing') });
    expect(legacy.status).toBe(200);
    expect((await p.call('GET', '/keys/gpg')).json()).toEqual([
      { alias: 'second', public_key: fixturePublicKey('bundle-signing'), kid: KID, fingerprint: expect.any(String), is_default: false },
      { alias: 'default', public_key: fixturePublicKey('untrusted-signing'), kid: 'c35b552705e9a7b1', fingerprint: expect.any(String), is_default: true },
    ]);
    expect((await p.call('DELETE', '/keys/gpg/second')).status).toBe(204);
    expect((await p.call('DELETE', '/keys/gpg/second')).status).toBe(404);
  });

  it('propagates later with /propagate (default key, ?alias=, ?all=true), NO_GPG_KEY_TO_PROPAGATE when none', async () => {
    const p = await platform(SITES.slice(0, 1), []);
    expect((await p.call('POST', '/keys/gpg/propagate')).json()).toMatchObject({ report: { status: 'NO_GPG_KEY_TO_PROPAGATE' } });
    await p.call('POST', '/keys/gpg', { ...keyUpload('main'), set_as_default: false });
    expect((await p.call('POST', '/keys/gpg/propagate')).json()).toMatchObject({ report: { status: 'NO_GPG_KEY_TO_PROPAGATE' } });
    const res = await p.call('POST', '/keys/gpg/propagate?alias=main');
    expect(res.json()).toMatchObject({ report: { status: 'SUCCESS', details: [{ jpd_id: 'JPD-1', key_alias: 'main', status: 'SUCCESS' }] } });
    expect((await p.call('POST', '/keys/gpg/propagate?all=true')).json()).toMatchObject({ report: { status: 'SUCCESS' } });
    expect((await p.call('POST', '/keys/gpg/propagate?alias=nope')).status).toBe(404);
  });

  it('keeps a passphrase-protected key encrypted when no passphrase is given', async () => {
    const p = await platform([], []);
    const res = await p.call('POST', '/keys/gpg', {
      key: { alias: 'locked', public_key: fixturePublicKey('passphrase-signing'), private_key: fixtureSecretKey('passphrase-signing') },
      set_as_default: true,
    });
    expect(res.status).toBe(200);
    expect(p.dist.state.keys.get('locked')?.signingKey).toBeUndefined();
    const unlocked = await p.call('POST', '/keys/gpg', {
      key: {
        alias: 'unlocked',
        public_key: fixturePublicKey('passphrase-signing'),
        private_key: fixtureSecretKey('passphrase-signing'),
        passphrase: FIXTURE_PASSPHRASE,
      },
    });
    expect(unlocked.status).toBe(200);
    expect(p.dist.state.keys.get('unlocked')?.signingKey?.kid).toBe('8a2f869460f74737');
  });
});
