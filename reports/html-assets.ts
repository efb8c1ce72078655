import { createHash } from 'node:crypto';

/**
 * The report page's only style and script, inline so the file is self-contained. The page's
 * Content-Security-Policy allows exactly these two by hash and nothing else: no fetch of any
 * kind, and no script but the filter below, even if some text escaped its escaping.
 */

export const STYLE = `
:root { color-scheme: light dark; --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #6e7781; --line: #d0d7de; --code: #f6f8fa; }
@media (prefers-color-scheme: dark) { :root { --ok: #3fb950; --bad: #f85149; --warn: #d29922; --muted: #8b949e; --line: #30363d; --code: #161b22; } }
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 80rem; padding: 1rem 2rem 3rem; }
h1 { font-size: 1.6rem; margin: .5rem 0; } h2 { border-bottom: 1px solid var(--line); padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 0 0 .4rem; } h4 { margin: .8rem 0 .3rem; font-size: .95rem; }
code, pre { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre { background: var(--code); border: 1px solid var(--line); border-radius: 6px; padding: .5rem .7rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; margin: .3rem 0; }
table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { font-weight: 600; } td.text { color: var(--muted); font-size: 13px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0 1rem; } dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
.verdict { font-weight: 700; padding: 0 .45rem; border-radius: 4px; border: 1px solid currentColor; white-space: nowrap; }
.passed, .PASSED { color: var(--ok); } .failed, .FAILED, .untested, .xpassed { color: var(--bad); } .xfailed, .WARNED { color: var(--warn); } .not-applicable { color: var(--muted); }
.filters { display: flex; gap: 1.5rem; margin: .5rem 0; align-items: center; } .filters output { color: var(--muted); }
article.scenario { border: 1px solid var(--line); border-radius: 8px; padding: .8rem 1rem; margin: 1rem 0; }
article.scenario .meta { color: var(--muted); margin-bottom: .4rem; }
.diff-del { color: var(--bad); } .diff-add { color: var(--ok); }
details { margin: .25rem 0; } summary { cursor: pointer; } summary code { font-weight: 600; }
ol.steps li.failed { font-weight: 600; }
.command { display: flex; gap: .5rem; align-items: baseline; } .command pre { flex: 1; }
`;

/** Filters the requirement matrix by profile and verdict (the selects' empty value means all). */
export const SCRIPT = `
(() => {
  const rows = [...document.querySelectorAll('#matrix tbody tr')];
  const profile = document.getElementById('filter-profile');
  const verdict = document.getElementById('filter-verdict');
  const shown = document.getElementById('filter-count');
  const apply = () => {
    let n = 0;
    for (const row of rows) {
      row.hidden = (profile.value !== '' && row.dataset.profile !== profile.value) || (verdict.value !== '' && row.dataset.verdict !== verdict.value);
      if (!row.hidden) n++;
    }
    shown.value = n + ' of ' + rows.length + ' requirements';
  };
  profile.addEventListener('change', apply);
  verdict.addEventListener('change', apply);
  apply();
})();
`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** Nothing may load; the one style and the one script above may apply. */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src ${hash(STYLE)}; script-src ${hash(SCRIPT)}; img-src data:; base-uri 'none'; form-action 'none'`;
