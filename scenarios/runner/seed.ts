import { createHash } from 'node:crypto';

/** A scenario's own seed: the run's seed mixed with its id, so adding a scenario leaves the others' seeds alone. */
export function scenarioSeed(runSeed: number, scenarioId: string): number {
  return createHash('sha256').update(`${runSeed}:${scenarioId}`).digest().readInt32BE(0);
}

/** A run's seed when none is given. */
export function freshSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
