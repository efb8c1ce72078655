import type { ScenarioContext } from '../kit/context.ts';

/** The Edge side of the model-based property: the scenario context and this run's names. */
export interface EdgeReal {
  t: ScenarioContext;
  /** The bundle repositories of this run (local generic), by the model's index. */
  repos: string[];
  /** The folder in `artifactory-edge-uploads` this run uploads under. */
  uploadsFolder: string;
  /** Prefix of this run's bundle names. */
  bundlePrefix: string;
}

export const UPLOADS = 'artifactory-edge-uploads';

/** The bundle name for a model key. */
export function bundleName(real: EdgeReal, key: string): string {
  return `${real.bundlePrefix}-${key}`;
}
