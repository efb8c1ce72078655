import { buildUi } from '../ui/build.ts';

/**
 * Once per test run, before any file: the web UI is built when ui/dist is missing or older than
 * its sources, so `npm ci && npm test` on a fresh clone tests the UI it would serve (decision 0026).
 */
export default async function setup(): Promise<void> {
  await buildUi();
}
