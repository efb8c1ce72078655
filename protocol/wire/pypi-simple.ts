import { escapeHtml } from './html.ts';

/**
 * The Python simple repository API (PEP 503 HTML, PEP 691 JSON) as an Edge serves it under
 * `/artifactory/api/pypi/{repo}/simple/`: pure rendering, so the Edge, the simulators and the
 * scenarios build and read the same pages.
 */

export const PYPI_SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json';
export const PYPI_SIMPLE_HTML = 'application/vnd.pypi.simple.v1+html';
/** The API version both forms declare (PEP 629 meta tag, PEP 691 `meta`). */
export const PYPI_API_VERSION = '1.0';

/** PEP 503: lower case, and every run of `-`, `_` and `.` becomes one `-`. */
export function normalizeProjectName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** A distribution file as its name describes it. */
export interface DistributionName {
  project: string;
  version: string;
  kind: 'wheel' | 'sdist';
}

/** The binary and source distribution suffixes pip installs from (PEP 427, PEP 625 and the legacy ones). */
const SDIST_SUFFIX = /\.(tar\.gz|tgz|tar\.bz2|tar\.xz|tar|zip)$/i;
/** PEP 427: `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`; a name's own `-` are written `_`. */
const WHEEL = /^([^-]+)-([^-]+)(?:-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$/i;
/** `{name}-{version}`: the version is what follows the last `-` and starts with a digit. */
const SDIST = /^(.+)-(\d[^-]*)$/;

/**
 * The project and version a wheel or sdist file name declares; undefined for any other file (a
 * repository may hold files the index does not list). The name, not the archive, is what pip
 * itself matches a link against, so the index lists exactly what pip would accept.
 */
export function parseDistributionName(filename: string): DistributionName | undefined {
  const wheel = WHEEL.exec(filename);
  if (wheel) return { project: wheel[1] as string, version: wheel[2] as string, kind: 'wheel' };
  const suffix = SDIST_SUFFIX.exec(filename);
  if (!suffix) return undefined;
  const sdist = SDIST.exec(filename.slice(0, -suffix[0].length));
  return sdist ? { project: sdist[1] as string, version: sdist[2] as string, kind: 'sdist' } : undefined;
}

/** One file of a project page. `url` is relative to the project page or absolute. */
export interface SimpleFile {
  filename: string;
  url: string;
  sha256: string;
}

export type SimpleFormat = 'json' | 'html';

/**
 * PEP 691 content negotiation: the form with the highest `q` the client accepts; HTML when it
 * says nothing or accepts neither (pip before 22.2 sends no Accept and reads HTML).
 */
export function negotiateSimpleFormat(accept: string | undefined): { format: SimpleFormat; contentType: string } {
  const html = { format: 'html' as const, contentType: 'text/html; charset=utf-8' };
  if (!accept) return html;
  let best: { q: number; format: SimpleFormat; contentType: string } | undefined;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? '1');
    const chosen =
      type === PYPI_SIMPLE_JSON
        ? { format: 'json' as const, contentType: PYPI_SIMPLE_JSON }
        : type === PYPI_SIMPLE_HTML
          ? { format: 'html' as const, contentType: PYPI_SIMPLE_HTML }
          : type === 'text/html' || type === 'text/*' || type === '*/*'
            ? html
            : undefined;
    if (chosen && Number.isFinite(q) && q > 0 && (!best || q > best.q)) best = { q, ...chosen };
  }
  return best ?? html;
}

const HTML_HEAD = `<!DOCTYPE html>\n<html>\n<head>\n<meta name="pypi:repository-version" content="${PYPI_API_VERSION}">\n`;

/** The root page: one link per project, to `{normalized}/`. */
export function projectListHtml(projects: readonly string[]): string {
  const links = projects.map((name) => {
    const normalized = normalizeProjectName(name);
    return `<a href="${escapeHtml(encodeURIComponent(normalized))}/">${escapeHtml(name)}</a><br/>`;
  });
  return `${HTML_HEAD}<title>Simple index</title>\n</head>\n<body>\n${links.join('\n')}\n</body>\n</html>\n`;
}

/** A project's page: one link per file, named by the file, with its `#sha256=` fragment. */
export function projectPageHtml(project: string, files: readonly SimpleFile[]): string {
  const title = `Links for ${project}`;
  const links = files.map((f) => `<a href="${escapeHtml(`${f.url}#sha256=${f.sha256}`)}">${escapeHtml(f.filename)}</a><br/>`);
  return `${HTML_HEAD}<title>${escapeHtml(title)}</title>\n</head>\n<body>\n<h1>${escapeHtml(title)}</h1>\n${links.join('\n')}\n</body>\n</html>\n`;
}

export interface ProjectListJson {
  meta: { 'api-version': string };
  projects: { name: string }[];
}

export interface ProjectPageJson {
  meta: { 'api-version': string };
  name: string;
  files: { filename: string; url: string; hashes: { sha256: string } }[];
}

export function projectListJson(projects: readonly string[]): ProjectListJson {
  return { meta: { 'api-version': PYPI_API_VERSION }, projects: projects.map((name) => ({ name })) };
}

export function projectPageJson(project: string, files: readonly SimpleFile[]): ProjectPageJson {
  return {
    meta: { 'api-version': PYPI_API_VERSION },
    name: normalizeProjectName(project),
    files: files.map((f) => ({ filename: f.filename, url: f.url, hashes: { sha256: f.sha256 } })),
  };
}
