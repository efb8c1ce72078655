import { Command, CommanderError } from 'commander';
import { ConfigError, StartupRefusal } from '../edge/index.ts';
import { FaultPlanError } from '../simulator/faults/plan.ts';
import { conformanceCommand } from './conformance.ts';
import { replayCommand } from './replay.ts';
import { serveCommand } from './serve.ts';
import { simCommand } from './sim.ts';
import { storageCommand } from './storage.ts';
import { trustCommand } from './trust.ts';
import { verifyReportCommand } from './verify-report.ts';

/** Exit codes: 2 the command line or configuration is wrong, 1 the machine refuses (EDGE-OPS-6). */
const USAGE = 2;
const REFUSED = 1;

export function program(): Command {
  return new Command('edgeproof')
    .description('A JFrog Artifactory Edge node, protocol simulators and a conformance harness.')
    .version('0.1.0')
    .addCommand(serveCommand())
    .addCommand(simCommand())
    .addCommand(storageCommand())
    .addCommand(trustCommand())
    .addCommand(conformanceCommand())
    .addCommand(replayCommand())
    .addCommand(verifyReportCommand());
}

/** The command and all its subcommands: commander's settings do not pass down to added commands. */
function* commandsOf(command: Command): Generator<Command> {
  yield command;
  for (const sub of command.commands) yield* commandsOf(sub);
}

/** commander's "error: unknown option '--prot'\n(Did you mean --port?)" as one line of ours. */
function oneLine(text: string): string {
  return `edgeproof: ${text
    .replace(/^(error|edgeproof): /, '')
    .trim()
    .replace(/\s*\n\s*/g, ' ')}\n`;
}

export async function main(argv: string[]): Promise<void> {
  const root = program();
  for (const command of commandsOf(root)) command.exitOverride().configureOutput({ outputError: (text, write) => write(oneLine(text)) });
  try {
    await root.parseAsync(argv);
  } catch (error) {
    // Help and version end with 0; commander's own complaints are usage errors; commands that
    // call `command.error` (edgeproof.*) chose their exit code.
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 || !error.code.startsWith('commander.') ? error.exitCode : USAGE);
    if (error instanceof ConfigError || error instanceof FaultPlanError) {
      process.stderr.write(`edgeproof: ${error.message}\n`);
      process.exit(USAGE);
    }
    if (error instanceof StartupRefusal) {
      process.stderr.write(`edgeproof: ${error.message}\n`);
      process.exit(REFUSED);
    }
    // Operating-system refusals (a port in use, a missing file) are the user's to fix, not bugs.
    if (typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string') {
      process.stderr.write(`edgeproof: ${(error as Error).message}\n`);
      process.exit(REFUSED);
    }
    throw error;
  }
}
