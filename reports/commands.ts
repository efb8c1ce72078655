import { posix } from 'node:path';
import type { RunResult, ScenarioResult } from '../scenarios/index.ts';

/** The command lines reports print: copied into a shell, each must mean exactly what it says. */

/**
 * One shell word (POSIX sh): left bare when it holds only characters no shell treats specially,
 * otherwise single-quoted with each `'` written as `'\''`.
 * @example shellQuote("^a'b$") === "'^a'\\''b$'"
 */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

// One word as shellQuote writes it: bare characters, quoted runs and escaped quotes.
const WORD = String.raw`(?:[^\s'\\]|'[^']*'|\\.)+`;
const SELECTION_FLAGS = new RegExp(` --(?:grep|seed) ${WORD}`, 'g');

/**
 * The run's own command narrowed to one scenario: its `--grep` and `--seed` replaced by the
 * scenario's id, anchored, and the run's seed (a scenario's seed derives from the run's seed and
 * its id, so the same run seed gives it the same seed again).
 */
export function rerunCommand(result: Pick<RunResult, 'command' | 'seed'>, scenario: Pick<ScenarioResult, 'id'>): string {
  const base = result.command.replace(SELECTION_FLAGS, '');
  return `${base} --grep ${shellQuote(`^${scenario.id}$`)} --seed ${result.seed}`;
}

/** `npx edgeproof replay <file>` for a scenario that has a replay file (its path is relative to the output folder). */
export function replayCommand(outDir: string, scenario: Pick<ScenarioResult, 'replayFile'>): string | undefined {
  if (!scenario.replayFile) return undefined;
  return `npx edgeproof replay ${shellQuote(posix.join(outDir, scenario.replayFile))}`;
}
