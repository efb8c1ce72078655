import { useState } from 'preact/hooks';
import { htmlReport, type RunResult } from '@edgeproof/report-html';

/** What `edgeproof conformance` names the complete record in its output folder (RESULT_FILE of reports/attestation.ts). */
const RESULT_FILE = 'result.json';

type Opened = { html: string; name: string } | { error: string };

/**
 * A conformance run's report (EDGE-UI-6): the user picks a report folder (or its result.json)
 * from their own disk, and the page is drawn by the very renderer that writes report.html, in a
 * sandboxed frame: the same view, one code path, and nothing of it reaches the Edge.
 */
export function Conformance() {
  const [opened, setOpened] = useState<Opened>();

  const open = async (files: FileList | null) => {
    const all = Array.from(files ?? []);
    // In a picked folder, its own result.json, not one of a nested folder.
    const file = all.filter((f) => f.name === RESULT_FILE).sort((a, b) => depth(a) - depth(b))[0] ?? (all.length === 1 ? all[0] : undefined);
    if (!file) return setOpened({ error: `No ${RESULT_FILE} in what was chosen: pick the folder \`edgeproof conformance\` wrote (reports/out by default).` });
    try {
      const result = JSON.parse(await file.text()) as RunResult;
      // Commands in the report name the folder as the user knows it: the one picked.
      const relative = file.webkitRelativePath;
      const outDir = relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '.';
      setOpened({ html: htmlReport(result, { outDir }), name: relative || file.name });
    } catch (error) {
      setOpened({ error: `${file.name} is not a conformance result: ${(error as Error).message}` });
    }
  };

  return (
    <section class="conformance">
      <h1>Conformance report</h1>
      <p>Open the folder a conformance run wrote, or its {RESULT_FILE}. It is read here, in the browser; nothing is sent.</p>
      <p class="pickers">
        <label>
          Report folder <input type="file" id="report-folder" {...{ webkitdirectory: true }} onChange={(e) => void open(e.currentTarget.files)} />
        </label>
        <label>
          or {RESULT_FILE} <input type="file" id="report-file" accept=".json,application/json" onChange={(e) => void open(e.currentTarget.files)} />
        </label>
      </p>
      {opened && 'error' in opened ? (
        <p class="refusal" role="alert">
          {opened.error}
        </p>
      ) : null}
      {opened && 'html' in opened ? <iframe id="report-frame" title={`Conformance report ${opened.name}`} sandbox="allow-scripts" srcdoc={opened.html} /> : null}
    </section>
  );
}

function depth(file: File): number {
  return file.webkitRelativePath.split('/').length;
}
