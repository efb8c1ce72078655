import type fc from 'fast-check';
import { expect } from '../../kit/expect.ts';
import type { EdgeModel } from '../model.ts';
import { bundleName, type EdgeReal } from '../real.ts';

/** Deletes a committed bundle (EDP-PUB-5): its files leave unless another bundle holds the same path and checksum. */
export class DeleteBundleCommand implements fc.AsyncCommand<EdgeModel, EdgeReal> {
  #key = '';

  constructor(readonly which: number) {}

  check(model: Readonly<EdgeModel>): boolean {
    return model.bundles.size > 0;
  }

  async run(model: EdgeModel, real: EdgeReal): Promise<void> {
    const keys = [...model.bundles.keys()];
    this.#key = keys[this.which % keys.length] as string;
    const res = await real.t.http('DELETE', `/artifactory/api/release/bundles/${bundleName(real, this.#key)}/1.0`);
    expect(res.status, res.text).toBe(204);
    model.remove(this.#key);
  }

  toString(): string {
    return `delete bundle ${this.#key || `#${this.which}`}`;
  }
}

/** Stops and starts the Edge on the same data: everything must be as before (durability, EDP-PUB-4). */
export class RestartCommand implements fc.AsyncCommand<EdgeModel, EdgeReal> {
  check(model: Readonly<EdgeModel>): boolean {
    return model.canRestart;
  }

  async run(model: EdgeModel, real: EdgeReal): Promise<void> {
    await real.t.restart();
    // A cluster restarts every node, killed ones included.
    model.downNodes.clear();
  }

  toString(): string {
    return 'restart the Edge';
  }
}
