import type fc from 'fast-check';
import { edpPaths } from '../../../protocol/wire/edp.ts';
import { commit, sha256, signedBundle, start, uploadFile, type BundleFile } from '../../kit/bundles.ts';
import { expect } from '../../kit/expect.ts';
import { CONTENTS, describeFiles, type EdgeModel, type ModelFile } from '../model.ts';
import { bundleName, type EdgeReal } from '../real.ts';

/** The bundle's files as the Edge receives them. */
export function bundleFiles(real: EdgeReal, files: readonly ModelFile[]): BundleFile[] {
  return files.map((f) => ({ repoPath: `${real.repos[f.repo]}/${f.path}`, bytes: CONTENTS[f.content] as Buffer }));
}

/**
 * Distributes a correctly signed bundle as Distribution and the source do: start, upload each
 * file, commit. The model predicts the commit: published, or refused with EDP_PATH_CONFLICT and
 * nothing changed (the transaction is then aborted). With `dropFirst`, the first upload is cut
 * off mid-body by the client first (a dropped connection) and sent again.
 */
export class DistributeCommand implements fc.AsyncCommand<EdgeModel, EdgeReal> {
  constructor(
    readonly files: ModelFile[],
    readonly dropFirst: boolean,
  ) {}

  check(): boolean {
    return true;
  }

  async run(model: EdgeModel, real: EdgeReal): Promise<void> {
    const key = model.nextBundle();
    const { t } = real;
    const bundle = await signedBundle(t, bundleName(real, key), '1.0', bundleFiles(real, this.files));
    const started = await start(t, bundle.jws);
    expect(started.status, started.text).toBe(201);
    const tx = started.json() as { id: string; files: { repo_path: string; state: string }[] };
    const txId = tx.id;
    // Only a MISSING file is read: a PRESENT one is answered at once (EDP-FILE-5), so there is no body to drop.
    const missing = bundle.files.find((f) => tx.files.find((x) => x.repo_path === f.repoPath)?.state === 'MISSING');
    if (this.dropFirst && missing) await dropMidBody(real, txId, missing);
    for (const file of bundle.files) {
      const res = await uploadFile(t, txId, file);
      expect([200, 201], `upload of ${file.repoPath}: ${res.text}`).toContain(res.status);
    }
    const committed = await commit(t, txId);
    if (model.conflicts(this.files)) {
      expect(committed.status, committed.text).toBe(409);
      expect((committed.json() as { errors: { code: string }[] }).errors[0]?.code).toBe('EDP_PATH_CONFLICT');
      expect((await t.http('DELETE', `/artifactory/api/edp/v1/transactions/${txId}`)).status).toBe(204);
      return;
    }
    expect(committed.status, committed.text).toBe(200);
    model.publish(key, this.files);
  }

  toString(): string {
    return `distribute(${describeFiles(this.files)}${this.dropFirst ? '; an upload dropped mid-body then resent' : ''})`;
  }
}

/** Sends half of `file` and then drops the connection, as a broken network would; nothing may remain of it. */
async function dropMidBody(real: EdgeReal, txId: string, file: BundleFile): Promise<void> {
  if (file.bytes.length < 2) return;
  const half = file.bytes.subarray(0, Math.floor(file.bytes.length / 2));
  async function* cutOff(): AsyncGenerator<Uint8Array> {
    yield half;
    await new Promise((r) => setTimeout(r, 10));
    throw new Error('connection dropped by the harness');
  }
  const answered = await real.t
    .http('PUT', edpPaths.file(txId, file.repoPath), {
      headers: { 'x-checksum-sha256': sha256(file.bytes), 'content-length': String(file.bytes.length) },
      body: cutOff(),
    })
    .then(
      (res) => res,
      () => undefined,
    );
  if (answered) expect(answered.status, `a dropped upload was answered: ${answered.text}`).toBeGreaterThanOrEqual(400);
}
