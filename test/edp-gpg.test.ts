import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSigningKey } from '../protocol/bundle/index.ts';
import { startEdge, type RunningEdge } from './edge-harness.ts';
import { commit, createRepo, json, makeBundle, start, uploadFile, type BundleFile } from './bundle-kit.ts';
import { runProcess } from './served-edge.ts';

/**
 * EDP-SIG with a key made by real gpg in this run (not a stored fixture): exported armored
 * RSA-3072 public key trusted on the Edge, the secret key signs, the Edge publishes.
 *
 * This stays a test of our implementation rather than a conformance scenario: scenarios are run
 * by `edgeproof conformance` on whatever machine runs it, where gpg may be missing or of another
 * version, and a verdict on an Edge must not depend on the harness's host (nor should the
 * harness start gpg agents there). The scenarios sign with the fixture keys, which real gpg made
 * (fixtures/keys/make-keys.sh), so every scenario already carries a gpg-made key to the Edge.
 */
describe('a bundle signed with a key real gpg made just now', () => {
  let home: string;
  let edge: RunningEdge;
  const gpg = (...args: string[]) => runProcess('gpg', ['--homedir', home, '--batch', '--pinentry-mode', 'loopback', '--passphrase', '', ...args]);

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'edgeproof-gnupg-'));
    edge = await startEdge();
  });
  afterAll(async () => {
    await runProcess('gpgconf', ['--homedir', home, '--kill', 'all']).catch(() => undefined);
    await rm(home, { recursive: true, force: true });
    await edge.close();
  });

  it('is trusted from its gpg --export and accepted end to end', { timeout: 60_000 }, async () => {
    const made = await gpg('--quick-gen-key', 'edgeproof live <live@edgeproof.test>', 'rsa3072', 'sign', 'never');
    expect(made.code, made.stderr).toBe(0);
    const exported = await gpg('--armor', '--export', 'live@edgeproof.test');
    const secret = await gpg('--armor', '--export-secret-keys', 'live@edgeproof.test');
    expect(exported.stdout).toContain('-----BEGIN PGP PUBLIC KEY BLOCK-----');

    const trusted = await json(edge, 'POST', '/artifactory/api/security/keys/trusted', { alias: 'gpg-live', public_key: exported.stdout });
    expect(trusted.status, trusted.text).toBe(201);
    const listed = await gpg('--with-colons', '--list-keys', 'live@edgeproof.test');
    const gpgKeyId = /^pub:[^:]*:3072:1:([0-9A-F]{16}):/m.exec(listed.stdout)?.[1];
    expect((trusted.json() as { kid: string }).kid).toBe(gpgKeyId?.toLowerCase());

    await createRepo(edge, 'live-local');
    const file: BundleFile = { repoPath: 'live-local/app.bin', bytes: Buffer.from('signed by a live gpg key') };
    const bundle = await makeBundle('gpg-live', '1.0', [file], await readSigningKey(secret.stdout));
    const started = await start(edge, bundle.jws);
    expect(started.status, started.text).toBe(201);
    const id = (started.json() as { id: string }).id;
    expect((await uploadFile(edge, id, file)).status).toBe(201);
    expect((await commit(edge, id)).status).toBe(200);
    const res = await fetch(`${edge.art}/live-local/app.bin`, { headers: { authorization: edge.admin } });
    expect(Buffer.from(await res.arrayBuffer()).equals(file.bytes)).toBe(true);
  });
});
