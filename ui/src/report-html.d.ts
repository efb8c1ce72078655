/**
 * reports/html.ts as the UI sees it (ui/vite.config.ts aliases the name to it). Declared here
 * because the renderer's own types reach into the harness, which is typed for Node, not the
 * DOM; the Chromium test (test/ui-conformance.test.ts) checks the two draw the same page.
 */
declare module '@edgeproof/report-html' {
  /** A conformance run's result.json, as parsed. */
  export type RunResult = object;
  export function htmlReport(result: RunResult, context: { outDir: string }): string;
}
