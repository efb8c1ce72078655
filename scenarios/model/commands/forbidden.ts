import type fc from 'fast-check';
import { errorCode } from '../../kit/bundles.ts';
import { expect } from '../../kit/expect.ts';
import type { EdgeModel } from '../model.ts';
import type { EdgeReal } from '../real.ts';

export const FORBIDDEN_WRITES = ['overwrite', 'delete', 'set-property', 'deploy-new'] as const;
export type ForbiddenWrite = (typeof FORBIDDEN_WRITES)[number];

/**
 * A write to a bundle repository, by the admin, which the Edge refuses whoever asks
 * (EDGE-RO-1): over a published file when there is one (`which` picks it), else at a new path.
 */
export class ForbiddenWriteCommand implements fc.AsyncCommand<EdgeModel, EdgeReal> {
  #target = '';

  constructor(
    readonly write: ForbiddenWrite,
    readonly which: number,
  ) {}

  check(): boolean {
    return true;
  }

  async run(model: EdgeModel, real: EdgeReal): Promise<void> {
    const published = model.publishedPaths();
    const chosen = published.length > 0 && this.write !== 'deploy-new' ? published[this.which % published.length] : undefined;
    const path = chosen ? `${real.repos[chosen.repo]}/${chosen.path}` : `${real.repos[this.which % real.repos.length]}/new-${this.which}.bin`;
    this.#target = path;
    const send = {
      overwrite: () => real.t.http('PUT', `/artifactory/${path}`, { body: 'overwritten' }),
      'deploy-new': () => real.t.http('PUT', `/artifactory/${path}`, { body: 'new' }),
      delete: () => real.t.http('DELETE', `/artifactory/${path}`),
      'set-property': () => real.t.http('PUT', `/artifactory/api/storage/${path}?properties=tampered=yes`),
    }[this.write];
    const res = await send();
    expect([res.status, errorCode(res)], res.text).toEqual([403, 'EDGE_READ_ONLY']);
  }

  toString(): string {
    return `forbidden ${this.write}(${this.#target || `#${this.which}`})`;
  }
}
