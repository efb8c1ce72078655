import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { SCRIPT, STYLE } from '../reports/html-assets.ts';

/**
 * The web UI (decision 0026): Preact, built into `ui/dist` which the Edge serves at /ui/.
 * The conformance view bundles the HTML report's own renderer (reports/html.ts), so the few
 * Node modules it names are replaced by browser equivalents here, and only here.
 */

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The report page's inline style and script, by hash: the Edge's policy for /ui/ allows these two in the report frame (EDGE-UI-3). */
function reportHashes(): Plugin {
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
  return {
    name: 'edgeproof-report-hashes',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'report-hashes.json', source: `${JSON.stringify({ style: hash(STYLE), script: hash(SCRIPT) })}\n` });
    },
  };
}

export default defineConfig({
  root: here('.'),
  base: '/ui/',
  publicDir: false,
  logLevel: 'warn',
  resolve: {
    alias: {
      // The report renderer, by a name the UI's typecheck resolves to ui/src/report-html.d.ts (see there).
      '@edgeproof/report-html': here('../reports/html.ts'),
      'node:crypto': here('shims/node-crypto.ts'),
      'node:path': 'pathe',
    },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    // No inline script or style anywhere: the policy allows 'self' only (EDGE-UI-3).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  plugins: [reportHashes()],
});
