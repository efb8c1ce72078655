import { Command, CommanderError } from 'commander';
import { ConfigError } from '../edge/config.ts';
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
    throw error;
  }
}
