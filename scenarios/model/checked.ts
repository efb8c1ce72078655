import type fc from 'fast-check';
import { expectMatches } from './check.ts';
import type { EdgeModel } from './model.ts';
import type { EdgeReal } from './real.ts';

/** A command followed by the whole comparison of Edge and model: the invariants hold after every step. */
export class Checked implements fc.AsyncCommand<EdgeModel, EdgeReal> {
  constructor(readonly command: fc.AsyncCommand<EdgeModel, EdgeReal>) {}

  check(model: Readonly<EdgeModel>): boolean {
    return this.command.check(model);
  }

  async run(model: EdgeModel, real: EdgeReal): Promise<void> {
    await real.t.step(this.command.toString(), async () => {
      await this.command.run(model, real);
      await expectMatches(model, real);
    });
  }

  toString(): string {
    return this.command.toString();
  }
}
