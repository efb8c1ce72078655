import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiRefusal } from './api.ts';

export type Loaded<T> = { state: 'loading' } | { state: 'done'; value: T } | { state: 'refused'; refusal: ApiRefusal };

const same = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

/**
 * Runs `load` whenever `keys` change, and again on `reload()`; a refusal is kept (with
 * Artifactory's message) to be shown. A reload keeps what is shown until the new answer comes,
 * so the page (and what it just said, an upload's "Uploaded") stays in place.
 */
export function useLoad<T>(load: () => Promise<T>, keys: unknown[]): [Loaded<T>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  const shownFor = useRef<unknown[]>(keys);
  useEffect(() => {
    let current = true;
    if (!same(shownFor.current, keys)) setLoaded({ state: 'loading' });
    shownFor.current = keys;
    load().then(
      (value) => current && setLoaded({ state: 'done', value }),
      (error: unknown) =>
        current &&
        setLoaded({ state: 'refused', refusal: error instanceof ApiRefusal ? error : new ApiRefusal(0, String((error as Error)?.message ?? error)) }),
    );
    return () => {
      current = false;
    };
  }, [...keys, round]);
  return [loaded, () => setRound((r) => r + 1)];
}
