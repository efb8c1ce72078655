import { Hono } from 'hono';
import { readPublicKey } from '../../protocol/bundle/index.ts';
import { EDP_BASE as EDP, RELEASE_BUNDLES, TRUSTED_KEYS, trustedKeyJson, type Transaction } from '../../protocol/wire/edp.ts';
import { sha256 } from './bytes.ts';
import { edpError } from './fake-network.ts';

interface FakeTx extends Transaction {
  payload: string;
}

/**
 * A minimal EDP Edge (docs/protocol.md §3): trusted keys by kid, transactions (same payload →
 * same transaction), checksum-verified uploads, commit, bundle delete. No signature check: the
 * real Edge does that in the transfer scenarios (scenarios/scripted/transfer/).
 */
export function fakeEdge(serviceId: string, admin: string) {
  const trusted = new Map<string, string>();
  const transactions = new Map<string, FakeTx>();
  const bundles = new Set<string>();
  const app = new Hono();
  app.use('*', async (c, next) => {
    const given = c.req.header('authorization');
    if (c.req.path.endsWith('/system/ping') && given === undefined) return c.text('OK');
    if (given !== admin) return edpError(401, 'BAD_CREDENTIALS', 'Bad credentials');
    await next();
  });
  app.get('/artifactory/api/system/ping', (c) => c.text('OK'));
  app.get('/artifactory/api/system/service_id', (c) => c.text(serviceId));
  // Only the kid matters here; the rest of each entry is a placeholder of the right type.
  const listed = (alias: string, kid: string) => trustedKeyJson(alias, { kid, fingerprint: '', issued: 0, issuedBy: '', expiry: 0 });
  app.get(TRUSTED_KEYS, (c) => c.json({ keys: [...trusted].map(([alias, kid]) => listed(alias, kid)) }));
  app.post(TRUSTED_KEYS, async (c) => {
    const { alias, public_key } = await c.req.json<{ alias: string; public_key: string }>();
    const key = await readPublicKey(public_key, Date.now());
    const { kid } = key;
    if (trusted.has(alias) || [...trusted.values()].includes(kid)) return edpError(409, 'KEY_DUPLICATE', `Key ${kid} or alias ${alias} is already trusted.`);
    trusted.set(alias, kid);
    return c.json(trustedKeyJson(alias, { ...key, issued: key.created }), 201);
  });
  app.post(`${EDP}/transactions`, async (c) => {
    const { bundle } = await c.req.json<{ bundle: string }>();
    const [header = '', payload = ''] = bundle.split('.');
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string };
    if (![...trusted.values()].includes(kid)) return edpError(403, 'EDP_UNTRUSTED_KEY', `Bundle signing key ${kid} is not trusted.`, { kid });
    const existing = [...transactions.values()].find((tx) => tx.payload === payload);
    if (existing) return c.json(existing, 200);
    const body = JSON.parse(Buffer.from(payload, 'base64url').toString()) as {
      name: string;
      version: string;
      artifacts: { repo_path: string; checksum: string; size: number }[];
    };
    const tx: FakeTx = {
      id: `tx-${transactions.size + 1}`,
      state: 'OPEN',
      payload,
      name: body.name,
      version: body.version,
      expires_at: '2100-01-01T00:00:00.000Z',
      files: body.artifacts.map((a) => ({ repo_path: a.repo_path, checksum: a.checksum, size: a.size, state: 'MISSING' })),
    };
    transactions.set(tx.id, tx);
    return c.json(tx, 201);
  });
  app.get(`${EDP}/transactions/:id`, (c) => {
    const tx = transactions.get(c.req.param('id'));
    return tx ? c.json(tx) : edpError(404, 'EDP_TX_UNKNOWN', 'unknown transaction');
  });
  app.put(`${EDP}/transactions/:id/files/*`, async (c) => {
    const tx = transactions.get(c.req.param('id'));
    if (!tx) return edpError(404, 'EDP_TX_UNKNOWN', 'unknown transaction');
    const repoPath = decodeURIComponent(c.req.path.slice(`${EDP}/transactions/${tx.id}/files/`.length));
    const file = tx.files.find((f) => f.repo_path === repoPath);
    if (!file) return edpError(404, 'EDP_FILE_NOT_IN_BUNDLE', `${repoPath} is not in the bundle`);
    const bytes = Buffer.from(await c.req.arrayBuffer());
    if (sha256(bytes) !== file.checksum)
      return edpError(409, 'EDP_CHECKSUM_MISMATCH', `${repoPath}: received sha256 ${sha256(bytes)}, expected ${file.checksum}`);
    file.state = 'PRESENT';
    return c.json(file, 201);
  });
  app.post(`${EDP}/transactions/:id/commit`, (c) => {
    const tx = transactions.get(c.req.param('id'));
    if (!tx) return edpError(404, 'EDP_TX_UNKNOWN', 'unknown transaction');
    if (tx.state !== 'OPEN') return edpError(409, 'EDP_TX_CLOSED', 'transaction is not open');
    const missing = tx.files.filter((f) => f.state !== 'PRESENT').map((f) => f.repo_path);
    if (missing.length) return edpError(409, 'EDP_INCOMPLETE', `${missing.length} files are missing`, { missing });
    tx.state = 'COMMITTED';
    tx.expires_at = null;
    bundles.add(`${tx.name}/${tx.version}`);
    return c.json({ state: 'COMMITTED', bundle: { name: tx.name, version: tx.version, created: '2026-01-01T00:00:00.000Z', status: 'COMPLETE' } });
  });
  app.delete(`${RELEASE_BUNDLES}/:name/:version`, (c) => {
    const key = `${c.req.param('name')}/${c.req.param('version')}`;
    if (!bundles.delete(key)) return edpError(404, 'EDP_BUNDLE_UNKNOWN', `No release bundle ${key}.`);
    return c.body(null, 204);
  });
  return { app, trusted, transactions, bundles };
}

export type FakeEdge = ReturnType<typeof fakeEdge>;
