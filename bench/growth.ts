import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ArtifactoryClient } from '../protocol/clients/index.ts';
import { manyFilesBundle, prepareManyFiles } from './many-files-bundle.ts';
import { serveEdge } from './served-edge.ts';
import { median } from './stats.ts';

/**
 * Issue #13, "how cost grows": the same reads and the same bundle commit on an Edge holding 10³,
 * 10⁵ and 10⁶ items. The items are generated straight into the metadata store (SQL in one
 * transaction, a second or so per 10⁵ rows): every one is a file row naming one real blob, in
 * folders of 1,000, so any of them downloads. Measured per size: a GET of one of them
 * (p50 of sequential requests), a deep listing of a folder of fixed size (100 files), and the
 * commit of a 100-file bundle.
 */
export interface GrowthPoint {
  items: number;
  getP50Ms: number;
  listP50Ms: number;
  commitMs: number;
  fillSeconds: number;
}

const PASSWORD = 'bench-admin-password';
const REPO = 'growth-local';
/** Deploys go to the one repository an Edge takes them in. */
const UPLOADS = 'artifactory-edge-uploads';
const credentials = { user: 'admin', password: PASSWORD };

/** `count` file rows under `gen/`, all naming the blob of `sha256`. */
function fill(dbFile: string, count: number, blob: { sha256: string; sha1: string; md5: string; size: number }): void {
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  const folder = db.prepare(
    `INSERT INTO items (repo, path, parent, depth, folder, size, created, created_by, modified, modified_by, updated)
     VALUES (?, ?, ?, ?, 1, -1, 0, 'bench', 0, 'bench', 0) ON CONFLICT DO NOTHING`,
  );
  const file = db.prepare(
    `INSERT INTO items (repo, path, parent, depth, folder, size, sha256, sha1, md5, mime, created, created_by, modified, modified_by, updated)
     VALUES (?, ?, ?, 3, 0, ?, ?, ?, ?, 'application/octet-stream', 0, 'bench', 0, 'bench', 0)`,
  );
  db.transaction(() => {
    folder.run(REPO, 'gen', '', 1);
    for (let i = 0; i < count; i++) {
      const dir = `gen/d${Math.floor(i / 1000)}`;
      if (i % 1000 === 0) folder.run(REPO, dir, 'gen', 2);
      file.run(REPO, `${dir}/f${i}.bin`, dir, blob.size, blob.sha256, blob.sha1, blob.md5);
    }
  })();
  db.close();
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
}

export async function growthPoint(items: number, samples: number): Promise<GrowthPoint> {
  const dataDir = await mkdtemp(join(tmpdir(), 'edgeproof-growth-'));
  try {
    // First start: the schema, the repository, one real blob and the fixed folder.
    let edge = await serveEdge(['--data-dir', dataDir, '--admin-password', PASSWORD]);
    const blobBytes = Buffer.from('growth blob\n'.repeat(341));
    try {
      await prepareManyFiles(edge.url, credentials, REPO);
      const admin = new ArtifactoryClient({ url: edge.url, credentials });
      for (let i = 0; i < 100; i++) await admin.deploy(`${UPLOADS}/fixed/f${i}.bin`, Buffer.from(`fixed ${i}\n`), { size: `fixed ${i}\n`.length });
      await admin.deploy(`${UPLOADS}/blob.bin`, blobBytes, { size: blobBytes.length });
    } finally {
      await edge.stop();
    }
    const digest = (algorithm: string) => createHash(algorithm).update(blobBytes).digest('hex');
    const t0 = performance.now();
    fill(join(dataDir, 'metadata.db'), items, { sha256: digest('sha256'), sha1: digest('sha1'), md5: digest('md5'), size: blobBytes.length });
    const fillSeconds = (performance.now() - t0) / 1000;

    edge = await serveEdge(['--data-dir', dataDir, '--admin-password', PASSWORD]);
    try {
      const auth = { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}` };
      const get = async (path: string) => {
        const res = await fetch(`${edge.url}/artifactory/${path}`, { headers: auth });
        if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
        await res.arrayBuffer();
      };
      // Warm-up, then items spread over the whole store.
      for (let i = 0; i < 20; i++) await get(`${REPO}/gen/d0/f${i}.bin`);
      const gets: number[] = [];
      for (let i = 0; i < samples; i++) {
        const n = Math.floor(((i * 7919) % samples) * (items / samples));
        gets.push(await timed(() => get(`${REPO}/gen/d${Math.floor(n / 1000)}/f${n}.bin`)));
      }
      const lists: number[] = [];
      for (let i = 0; i < Math.max(5, samples / 10); i++) lists.push(await timed(() => get(`api/storage/${UPLOADS}/fixed?list&deep=1`)));
      const bundle = await manyFilesBundle(edge.url, credentials, { name: 'growth', files: 100, fileKib: 4, concurrency: 8, repo: REPO });
      return { items, getP50Ms: median(gets), listP50Ms: median(lists), commitMs: bundle.commitMs, fillSeconds };
    } finally {
      await edge.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
