import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../ui/describeError.ts';

/**
 * Loads `load()` now and again every `everyMs` while the component is shown (a dashboard stays
 * fresh without a reload); `reload()` asks at once (after an action); a new `key` (what is loaded,
 * e.g. a filter) too. Errors become sentences.
 */
export function usePolling<T>(load: () => Promise<T>, everyMs: number | null, key = '') {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(async () => {
    try {
      setValue(await loadRef.current());
      setError(null);
    } catch (failure) {
      setError(describeError(failure));
    }
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names what is loaded (a filter): a new one loads at once.
  useEffect(() => {
    void reload();
    if (everyMs === null) return;
    const timer = setInterval(() => void reload(), everyMs);
    return () => clearInterval(timer);
  }, [reload, everyMs, key]);
  return { value, error, reload };
}
