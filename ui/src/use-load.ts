import { useEffect, useState } from 'preact/hooks';
import { ApiRefusal } from './api.ts';

export type Loaded<T> = { state: 'loading' } | { state: 'done'; value: T } | { state: 'refused'; refusal: ApiRefusal };

/** Runs `load` whenever `keys` change; a refusal is kept (with Artifactory's message) to be shown. */
export function useLoad<T>(load: () => Promise<T>, keys: unknown[]): [Loaded<T>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
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
