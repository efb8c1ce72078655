import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds the web UI into ui/dist when it is missing or older than its sources (decision 0026):
 * run by `npm ci` (the `prepare` script) and by the UI's tests, so a fresh clone's two commands
 * serve it. Vite is a development dependency: where it is absent (a production install, the
 * image's runtime) this says so in one line and leaves the Edge to answer /ui/ with UI_NOT_BUILT.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const UI = join(root, 'ui');
const BUILT = join(UI, 'dist', 'index.html');
/** What the bundle is made of: the UI and the report renderer it shares with report.html. */
const SOURCES = [
  join(UI, 'src'),
  join(UI, 'shims'),
  join(UI, 'index.html'),
  join(UI, 'vite.config.ts'),
  join(root, 'reports'),
  join(root, 'package-lock.json'),
];

async function newest(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  return Math.max(info.mtimeMs, ...(await Promise.all(entries.map((entry) => newest(join(path, entry))))));
}

export async function uiIsCurrent(): Promise<boolean> {
  try {
    const built = (await stat(BUILT)).mtimeMs;
    return (await Promise.all(SOURCES.map(newest))).every((time) => time <= built);
  } catch {
    return false;
  }
}

/** Builds unless current; returns whether it built. */
export async function buildUi(options: { force?: boolean } = {}): Promise<boolean> {
  if (!options.force && (await uiIsCurrent())) return false;
  const vite = await import('vite');
  await vite.build({ configFile: join(UI, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const force = process.argv.includes('--force');
  try {
    await import.meta.resolve?.('vite');
  } catch {
    console.log('build:ui: vite is not installed (a production install); the web UI is not built.');
    process.exit(0);
  }
  const built = await buildUi({ force });
  console.log(built ? 'build:ui: ui/dist built' : 'build:ui: ui/dist is current');
}
