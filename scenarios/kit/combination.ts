import type { ScenarioContext } from './context.ts';

/**
 * One combination of a data-driven scenario (a verb on a repository kind by an identity) as a
 * step whose failure message starts with the combination, so a report line says which one broke.
 */
export async function combination(t: ScenarioContext, label: string, check: () => Promise<void>): Promise<void> {
  await t.step(label, async () => {
    try {
      await check();
    } catch (error) {
      if (error instanceof Error && !error.message.startsWith(label)) error.message = `${label}: ${error.message}`;
      throw error;
    }
  });
}
