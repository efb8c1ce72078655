import { CATALOGUE, LEVELS, type Level, type Profile, type Requirement } from '../catalogue/index.ts';
import type { Scenario } from '../kit/scenario.ts';
import type { Selection } from './result.ts';

/**
 * Which requirements and scenarios a run covers. A requirement is selected when its profile is
 * and its level is at or above `level` (`should` takes MUST and SHOULD). A scenario runs when it
 * checks a selected requirement and matches `grep` (on its id, title or requirement IDs).
 */

/** Profiles a run takes when none are named: everything an Edge shows over HTTP. */
export const DEFAULT_PROFILES: readonly Profile[] = ['core', 'read-only', 'edp', 'trust', 'smart-remote', 'packages'];

export function selectedRequirements(selection: Selection): Requirement[] {
  const levels = new Set<Level>(LEVELS.slice(0, LEVELS.indexOf(selection.level) + 1));
  return [...CATALOGUE.values()].filter((r) => selection.profiles.includes(r.profile) && levels.has(r.level));
}

export function selectedScenarios(all: readonly Scenario[], selection: Selection): Scenario[] {
  const wanted = new Set(selectedRequirements(selection).map((r) => r.id));
  const grep = selection.grep === undefined ? undefined : new RegExp(selection.grep);
  return all.filter(
    (s) => s.requirements.some((id) => wanted.has(id)) && (!grep || grep.test(s.id) || grep.test(s.title) || s.requirements.some((id) => grep.test(id))),
  );
}

/** Every scenario names only catalogued requirements; the problems otherwise, one line each. */
export function unknownRequirements(all: readonly Scenario[]): string[] {
  return all.flatMap((s) => s.requirements.filter((id) => !CATALOGUE.has(id)).map((id) => `${s.id} cites unknown requirement ${id}`));
}
