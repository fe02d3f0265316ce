import { useEffect, useState } from 'react';
import { describeError } from '../ui/describeError.ts';

export interface Loaded<Value> {
  value: Value | null;
  /** A sentence for the user, or null. */
  error: string | null;
  loading: boolean;
}

/**
 * Runs `load` (memoized by the caller with useCallback) whenever it changes and keeps its latest
 * result; an answer that arrives after the page moved on (another `load`, or unmounted) is dropped,
 * so a slow block never overwrites a newer one.
 */
export function useLoaded<Value>(load: () => Promise<Value>): Loaded<Value> {
  const [state, setState] = useState<Loaded<Value>>({ value: null, error: null, loading: true });
  useEffect(() => {
    let current = true;
    setState({ value: null, error: null, loading: true });
    load().then(
      (value) => {
        if (current) setState({ value, error: null, loading: false });
      },
      (error: unknown) => {
        if (current) setState({ value: null, error: describeError(error), loading: false });
      },
    );
    return () => {
      current = false;
    };
  }, [load]);
  return state;
}
