import type fc from 'fast-check';
import { commit, errorCode, signedBundle, start, uploadFile, type BundleFile } from '../../kit/bundles.ts';
import { expect } from '../../kit/expect.ts';
import { describeFiles, type EdgeModel, type ModelFile } from '../model.ts';
import { bundleName, type EdgeReal } from '../real.ts';
import { bundleFiles } from './distribute.ts';

/** How an untrusted or careless party tampers with a distribution. */
export const TAMPERINGS = ['untrusted-key', 'forged-signature', 'substituted-bytes'] as const;
export type Tampering = (typeof TAMPERINGS)[number];

/**
 * A distribution the Edge must refuse, changing nothing (the check after the command compares
 * everything): a bundle signed by a key it does not trust (EDP_UNTRUSTED_KEY), a signature that
 * does not verify (EDP_BAD_SIGNATURE), or a trusted bundle whose file arrives with other bytes
 * (EDP_CHECKSUM_MISMATCH, then the commit is incomplete and the transaction is aborted).
 */
export class TamperedCommand implements fc.AsyncCommand<EdgeModel, EdgeReal> {
  constructor(
    readonly tampering: Tampering,
    readonly files: ModelFile[],
  ) {}

  check(): boolean {
    return true;
  }

  async run(model: EdgeModel, real: EdgeReal): Promise<void> {
    const { t } = real;
    const key = model.nextBundle();
    const files = bundleFiles(real, this.files);
    if (this.tampering === 'untrusted-key') {
      const bundle = await signedBundle(t, bundleName(real, key), '1.0', files, { key: 'untrusted-signing' });
      const res = await start(t, bundle.jws);
      expect([res.status, errorCode(res)], res.text).toEqual([403, 'EDP_UNTRUSTED_KEY']);
      return;
    }
    const bundle = await signedBundle(t, bundleName(real, key), '1.0', files);
    if (this.tampering === 'forged-signature') {
      const [header, payload, signature = ''] = bundle.jws.split('.');
      // Another valid base64url character at the middle of the signature: same form, wrong signature.
      const at = Math.floor(signature.length / 2);
      const forged = `${signature.slice(0, at)}${signature[at] === 'A' ? 'B' : 'A'}${signature.slice(at + 1)}`;
      const res = await start(t, `${header}.${payload}.${forged}`);
      expect([res.status, errorCode(res)], res.text).toEqual([403, 'EDP_BAD_SIGNATURE']);
      return;
    }
    const started = await start(t, bundle.jws);
    expect(started.status, started.text).toBe(201);
    const tx = started.json() as { id: string; files: { repo_path: string; state: string }[] };
    const victim = files.find((f) => tx.files.find((x) => x.repo_path === f.repoPath)?.state === 'MISSING');
    if (victim) {
      const other = Buffer.from(victim.bytes);
      if (other.length === 0) {
        const res = await uploadFile(t, tx.id, victim as BundleFile, { bytes: Buffer.from('x') });
        expect(res.status, res.text).toBeGreaterThanOrEqual(400);
      } else {
        other[other.length - 1] = (other[other.length - 1] as number) ^ 0xff;
        const res = await uploadFile(t, tx.id, victim, { bytes: other });
        expect([res.status, errorCode(res)], res.text).toEqual([409, 'EDP_CHECKSUM_MISMATCH']);
      }
      const committed = await commit(t, tx.id);
      expect([committed.status, errorCode(committed)], committed.text).toEqual([409, 'EDP_INCOMPLETE']);
    }
    // Every file was already PRESENT (dedup): nothing to substitute, so the transaction is left unused.
    expect((await t.http('DELETE', `/artifactory/api/edp/v1/transactions/${tx.id}`)).status).toBe(204);
  }

  toString(): string {
    return `tampered ${this.tampering}(${describeFiles(this.files)})`;
  }
}
