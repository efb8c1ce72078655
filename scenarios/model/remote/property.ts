import fc from 'fast-check';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { cacheOf, smartRemote, startUpstream } from '../../kit/upstream.ts';
import { CacheModel, type CacheReal, READ_FAULTS, REMOTE_CONTENTS, REMOTE_PATHS } from './cache-model.ts';
import { CacheDeleteCommand, DeleteUpstreamCommand, PutUpstreamCommand, ReadCommand } from './commands.ts';

/**
 * The smart remote's model-based property: random sequences of upstream changes, reads through
 * the Edge (some with the upstream's answers broken) and admin cache deletes. After every
 * command the cache holds exactly what the model says, each item with the checksums of a version
 * the upstream really served; every complete success a client got carried such a version.
 */

class CheckedCacheCommand implements fc.AsyncCommand<CacheModel, CacheReal> {
  constructor(readonly command: fc.AsyncCommand<CacheModel, CacheReal>) {}
  check(model: Readonly<CacheModel>): boolean {
    return this.command.check(model);
  }
  async run(model: CacheModel, real: CacheReal): Promise<void> {
    await real.t.step(this.command.toString(), async () => {
      await this.command.run(model, real);
      const cache = await cacheOf(real.t, real.remote, real.upstream.root);
      expect(cache, 'the cache').toEqual(Object.fromEntries(model.cached));
      for (const [path, sha] of Object.entries(cache))
        expect([...(model.served.get(path) ?? [])], `the cached ${path} is a version the upstream served`).toContain(sha);
    });
  }
  toString(): string {
    return this.command.toString();
  }
}

const path = fc.constantFrom(...REMOTE_PATHS);
const commands = (replay: { replayPath?: string }) =>
  fc.commands(
    [
      fc.tuple(path, fc.nat({ max: REMOTE_CONTENTS.length - 1 })).map(([p, c]) => new CheckedCacheCommand(new PutUpstreamCommand(p, c))),
      path.map((p) => new CheckedCacheCommand(new DeleteUpstreamCommand(p))),
      fc.tuple(path, fc.constantFrom(...READ_FAULTS)).map(([p, f]) => new CheckedCacheCommand(new ReadCommand(p, f))),
      path.map((p) => new CheckedCacheCommand(new CacheDeleteCommand(p))),
    ],
    { maxCommands: 12, ...replay },
  );

/** A fresh upstream and smart remote for every run: neither misses nor failures are remembered (each read is judged alone), listings show the cache alone. */
function setupFor(t: ScenarioContext) {
  return async () => {
    const upstream = await startUpstream(t, 'simulator');
    const remote = await smartRemote(t, upstream, { missedRetrievalCachePeriodSecs: 0, assumedOfflinePeriodSecs: 0, listRemoteFolderItems: false });
    return { model: new CacheModel(), real: { t, upstream, remote } };
  };
}

export const remoteModelScenarios = [
  scenario({
    id: 'model/smart-remote-cache-matches-model',
    title:
      'after any sequence of upstream changes, reads (some with the upstream lying, truncating or resetting) and cache deletes, the cache holds exactly the verified versions and every complete download carried one',
    requirements: ['EDGE-SR-3', 'EDGE-SR-4', 'EDGE-SR-5', 'EDGE-SR-6', 'EDGE-SR-16'],
    needs: ['reach-loopback'],
    property: true,
    async run(t) {
      // Not applicable before generating anything, when the Edge holds no smart remotes.
      await setupFor(t)();
      await t.property(
        (replay) =>
          fc.asyncProperty(commands(replay), async (cmds) => {
            await fc.asyncModelRun(setupFor(t), cmds);
          }),
        ([cmds]) =>
          String(cmds)
            .replace(/\s*\/\*replayPath="[^"]*"\*\//, '')
            .split(','),
      );
    },
  }),
];
