import { Command } from 'commander';
import { targetOf, targetOptions, type TargetFlags } from './targets.ts';

/**
 * `edgeproof replay FILE`: runs the scenario a replay file recorded once more, against the
 * target the file names unless the flags say otherwise, and says whether it still fails the
 * same way. Exit code 0 when it does (the failure reproduced), 1 when not, 2 for a bad file,
 * a scenario this suite does not have, or a target that cannot be used.
 */

const USAGE = 2;

export function replayCommand(): Command {
  const command = new Command('replay')
    .description('Run a failed scenario again from its replay file and say whether it still fails with the same steps')
    .argument('<file>', 'a replay file (replays/*.json in the output folder of edgeproof conformance)');
  return targetOptions(command, false).action(async (file: string, options: TargetFlags, self: Command) => {
    process.exitCode = await replay(file, options, self.getOptionValueSource('installTrust') === 'cli');
  });
}

async function replay(file: string, flags: TargetFlags, noInstallTrustGiven: boolean): Promise<number> {
  const harness = await import('../scenarios/index.ts');
  const { harnessMaterial } = await import('../fixtures/keys/index.ts');
  try {
    const recorded = await harness.readReplay(file);
    harness.replayedScenario(recorded, harness.SUITE);
    const settings = recorded.target.settings;
    const setting = (name: string) => (typeof settings[name] === 'string' ? settings[name] : undefined);
    const number = (name: string) => (typeof settings[name] === 'number' ? settings[name] : undefined);
    // A flag given wins; otherwise the recording's target (its settings hold no secrets).
    const target = await targetOf({
      target: flags.target ?? recorded.target.kind,
      url: flags.url ?? setting('url'),
      user: flags.user ?? setting('user'),
      password: flags.password,
      maxUploadBytes: flags.maxUploadBytes ?? number('maxUploadBytes'),
      maxJsonBytes: flags.maxJsonBytes ?? number('maxJsonBytes'),
      image: flags.image ?? setting('image'),
      installTrust: noInstallTrustGiven ? false : recorded.installTrust,
    });
    if (recorded.suite.version !== harness.SUITE_VERSION) {
      process.stderr.write(`note: recorded with suite ${recorded.suite.version}, replaying with ${harness.SUITE_VERSION}\n`);
    }
    const property = recorded.counterexample ? `, fast-check path ${recorded.counterexample.path}` : '';
    process.stderr.write(
      `edgeproof replay: ${recorded.scenario.id} (seed ${recorded.seed}${property}; recorded ${recorded.recordedAt} against ${recorded.target.label}) against ${target.description.label}\n`,
    );
    const outcome = await harness.replayScenario({
      replay: recorded,
      scenarios: harness.SUITE,
      target,
      material: harnessMaterial(),
      ...(noInstallTrustGiven ? { installTrust: false } : {}),
    });
    if (outcome.result.failure) process.stderr.write(`    ${outcome.result.failure.message.split('\n').join('\n    ')}\n`);
    process.stdout.write(`${outcome.summary}\n`);
    return outcome.reproduced ? 0 : 1;
  } catch (error) {
    if (error instanceof harness.ReplayFileError || error instanceof harness.TargetUnavailable) {
      process.stderr.write(`edgeproof: ${error.message}\n`);
      return USAGE;
    }
    throw error;
  }
}
