import { escapeHtml } from './html.ts';
import { relativeTo } from './urls.ts';

/**
 * `GET /artifactory/{repo}/{folder}/`: Artifactory's simple-browsing page, one link per child
 * (folders end in '/'), and `../` below the root. Names are escaped: they are user data.
 */
export function folderListingHtml(repo: string, path: string, children: readonly { path: string; folder: boolean }[]): string {
  const title = `Index of ${repo}/${path}${path ? '/' : ''}`;
  const rows = children.map((child) => {
    const name = relativeTo(path, child.path);
    const suffix = child.folder ? '/' : '';
    return `<a href="${escapeHtml(encodeURIComponent(name) + suffix)}">${escapeHtml(name + suffix)}</a>`;
  });
  const parent = path === '' ? '' : '<a href="../">../</a>\n';
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body><h1>${escapeHtml(title)}</h1><pre>${parent}${rows.join('\n')}</pre></body></html>\n`;
}
