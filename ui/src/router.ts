import { useEffect, useState } from 'preact/hooks';

/**
 * Pages live in the URL's fragment (`#/repos/<repo>/<path>`), so the Edge serves one
 * index.html and a link or a reload opens the same page.
 */
export function useRoute(): string[] {
  const read = () => location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const changed = () => setRoute(read());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

export function href(...segments: string[]): string {
  return `#/${segments
    .filter((s) => s !== '')
    .map(encodeURIComponent)
    .join('/')}`;
}

/** A repository path as a link target: its segments kept apart. */
export function itemHref(repo: string, path: string): string {
  return href('repos', repo, ...path.split('/'));
}
