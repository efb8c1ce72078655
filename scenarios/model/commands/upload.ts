import type fc from 'fast-check';
import { sha256 } from '../../kit/bundles.ts';
import { expect } from '../../kit/expect.ts';
import { CONTENTS, type EdgeModel } from '../model.ts';
import { UPLOADS, type EdgeReal } from '../real.ts';

/** Deploys to `artifactory-edge-uploads`, the one writable repository (EDGE-RO-3): created or overwritten. */
export class UploadCommand implements fc.AsyncCommand<EdgeModel, EdgeReal> {
  constructor(
    readonly path: string,
    readonly content: number,
  ) {}

  check(): boolean {
    return true;
  }

  async run(model: EdgeModel, real: EdgeReal): Promise<void> {
    const bytes = CONTENTS[this.content] as Buffer;
    const res = await real.t.http('PUT', `/artifactory/${UPLOADS}/${real.uploadsFolder}/${this.path}`, {
      headers: { 'x-checksum-sha256': sha256(bytes) },
      body: bytes,
    });
    expect(res.status, res.text).toBe(201);
    model.uploads.set(this.path, sha256(bytes));
  }

  toString(): string {
    return `upload(${this.path}=c${this.content})`;
  }
}
