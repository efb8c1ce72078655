import type { ScenarioContext } from './context.ts';
import type { Need } from './need.ts';

/**
 * A scenario: a script that drives an Edge over HTTP and checks the requirements it names.
 * Scenarios are data plus one function; the runner selects them by the profiles and levels of
 * their requirements, runs them in order against one target, and gives each verdict to every
 * requirement the scenario names.
 */
export interface Scenario {
  /** Stable and unique: `<area>/<what>`, e.g. `read-only/put-on-every-kind`. Replay files and xfail entries name it. */
  readonly id: string;
  /** One sentence: what the scenario shows. */
  readonly title: string;
  /** The requirement IDs it checks (at least one, each in the catalogue). */
  readonly requirements: readonly string[];
  /** What the target must offer beyond HTTP; without it the scenario is not applicable. */
  readonly needs?: readonly Need[];
  /** A fast-check property: `t.property` runs it with the run's seed and number of runs. */
  readonly property?: boolean;
  run(t: ScenarioContext): Promise<void>;
}

/** Checks the shape at definition time, so a typo fails when the suite loads, not when it runs. */
export function scenario(definition: Scenario): Scenario {
  if (!/^[a-z0-9-]+(\/[a-z0-9-]+)+$/.test(definition.id)) throw new Error(`scenario id ${JSON.stringify(definition.id)} is not <area>/<name> in kebab case`);
  if (definition.requirements.length === 0) throw new Error(`scenario ${definition.id} names no requirement`);
  return definition;
}
