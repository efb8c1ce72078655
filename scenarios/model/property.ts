import fc from 'fast-check';
import type { ScenarioContext } from '../kit/context.ts';
import { scenario } from '../kit/scenario.ts';
import { Checked } from './checked.ts';
import { DistributeCommand } from './commands/distribute.ts';
import { FORBIDDEN_WRITES, ForbiddenWriteCommand } from './commands/forbidden.ts';
import { DeleteBundleCommand, RestartCommand } from './commands/lifecycle.ts';
import { KillNodeCommand, StartNodeCommand } from './commands/nodes.ts';
import { TAMPERINGS, TamperedCommand } from './commands/tampered.ts';
import { UploadCommand } from './commands/upload.ts';
import { CONTENTS, consistentBundle, EdgeModel, PATHS, type ModelFile } from './model.ts';
import { bundleName, UPLOADS, type EdgeReal } from './real.ts';
import { clusterNodesOf } from '../targets/cluster.ts';

/**
 * The model-based property (fast-check `asyncModelRun`): random sequences of commands, each
 * followed by the whole comparison of the Edge with the model (`check.ts`). A failure shrinks to
 * a short list of steps, printed with the seed and path that replay it.
 */

const REPOS = 2;

const file: fc.Arbitrary<ModelFile> = fc.record({
  repo: fc.nat({ max: REPOS - 1 }),
  path: fc.constantFrom(...PATHS),
  content: fc.nat({ max: CONTENTS.length - 1 }),
});

const bundle = fc.uniqueArray(file, { minLength: 1, maxLength: 4, selector: (f) => `${f.repo}:${f.path}` }).filter(consistentBundle);

const commands = (replay: { replayPath?: string }) =>
  fc.commands(
    [
      fc.tuple(bundle, fc.boolean()).map(([files, drop]) => new Checked(new DistributeCommand(files, drop))),
      fc.tuple(fc.constantFrom(...TAMPERINGS), bundle).map(([how, files]) => new Checked(new TamperedCommand(how, files))),
      fc.tuple(fc.constantFrom('u0.bin', 'u1.bin', 'sub/u2.bin'), fc.nat({ max: CONTENTS.length - 1 })).map(([p, c]) => new Checked(new UploadCommand(p, c))),
      fc.tuple(fc.constantFrom(...FORBIDDEN_WRITES), fc.nat({ max: 19 })).map(([w, n]) => new Checked(new ForbiddenWriteCommand(w, n))),
      fc.nat({ max: 19 }).map((n) => new Checked(new DeleteBundleCommand(n))),
      fc.constant(new Checked(new RestartCommand())),
      // EDGE-HA-4: applicable only on a cluster target (the commands' check() says so).
      fc.nat({ max: 5 }).map((n) => new Checked(new KillNodeCommand(n))),
      fc.nat({ max: 5 }).map((n) => new Checked(new StartNodeCommand(n))),
    ],
    { maxCommands: 10, ...replay },
  );

/** One run's repositories and names; the previous run's are removed when the next starts (and at the end). */
function setupFor(t: ScenarioContext) {
  let previous: { model: EdgeModel; real: EdgeReal } | undefined;
  const removeRun = async (run: { model: EdgeModel; real: EdgeReal }) => {
    // Nodes a run killed come back before the next run (which starts with all nodes up).
    for (const node of run.model.downNodes) await clusterNodesOf(t.edge)?.startNode(node);
    run.model.downNodes.clear();
    const { artifactory, edp } = t.clients();
    for (const key of run.model.bundles.keys()) await edp.deleteBundle(bundleName(run.real, key), '1.0');
    for (const repo of run.real.repos) await artifactory.deleteRepository(repo);
    if (run.model.uploads.size > 0) await artifactory.delete(`${UPLOADS}/${run.real.uploadsFolder}`);
  };
  t.defer(async () => {
    if (previous) await removeRun(previous);
  });
  return async () => {
    if (previous) await removeRun(previous);
    const repos = [t.name('model-a'), t.name('model-b')];
    for (const key of repos) await t.clients().artifactory.createRepository(key, { rclass: 'local' });
    const real: EdgeReal = { t, repos, uploadsFolder: t.name('model'), bundlePrefix: t.name('model') };
    const model = new EdgeModel(REPOS, t.can('restart'), t.can('nodes') ? (clusterNodesOf(t.edge)?.count ?? 0) : 0);
    previous = { model, real };
    return { model, real };
  };
}

export const modelScenarios = [
  scenario({
    id: 'model/edge-matches-model',
    title:
      'after any sequence of distributions (valid, tampered, dropped mid-upload), uploads, forbidden writes, bundle deletions, restarts and (on a cluster) node kills, the Edge serves exactly what the model says',
    requirements: [
      'EDGE-HA-4',
      'EDP-PUB-1',
      'EDP-PUB-2',
      'EDP-PUB-4',
      'EDP-PUB-5',
      'EDP-SIG-5',
      'EDP-SIG-7',
      'EDP-FILE-4',
      'EDP-TX-8',
      'EDGE-RO-1',
      'EDGE-RO-3',
    ],
    property: true,
    async run(t) {
      await t.installTrust();
      const setup = setupFor(t);
      await t.property(
        (replay) =>
          fc.asyncProperty(commands(replay), async (cmds) => {
            await fc.asyncModelRun(setup, cmds);
          }),
        ([cmds]) =>
          String(cmds)
            .replace(/\s*\/\*replayPath="[^"]*"\*\//, '')
            .split(','),
      );
    },
  }),
];
