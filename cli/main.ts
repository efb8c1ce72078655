import { Command, CommanderError } from 'commander';
import { ConfigError } from '../edge/index.ts';
import { FaultPlanError } from '../simulator/faults/plan.ts';
import { serveCommand } from './serve.ts';
import { simCommand } from './sim.ts';
import { trustCommand } from './trust.ts';

export function program(): Command {
  return new Command('edgeproof')
    .description('A JFrog Artifactory Edge node, protocol simulators and a conformance harness.')
    .version('0.1.0')
    .showHelpAfterError()
    .addCommand(serveCommand())
    .addCommand(simCommand())
    .addCommand(trustCommand());
}

export async function main(argv: string[]): Promise<void> {
  try {
    await program().exitOverride().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode);
    if (error instanceof ConfigError || error instanceof FaultPlanError) {
      process.stderr.write(`edgeproof: ${error.message}\n`);
      process.exit(2);
    }
    // Operating-system refusals (a port in use, a missing file) are the user's to fix, not bugs.
    if (typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string') {
      process.stderr.write(`edgeproof: ${(error as Error).message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
