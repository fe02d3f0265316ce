import { useEffect, useState } from 'react';
import { describeError } from '../ui/describeError.ts';

/**
 * Calls `load` now and then every `intervalMs` while the page is open, one call at a time (the next
 * waits for the previous answer), keeping the last good value when a poll fails.
 */
export function usePolling<Value>(
  load: () => Promise<Value>,
  intervalMs: number,
): { value: Value | null; error: string | null } {
  const [value, setValue] = useState<Value | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = () => {
      load()
        .then(
          (next) => {
            if (stopped) return;
            setValue(next);
            setError(null);
          },
          (failure: unknown) => {
            if (!stopped) setError(describeError(failure));
          },
        )
        .finally(() => {
          if (!stopped) timer = setTimeout(tick, intervalMs);
        });
    };
    tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [load, intervalMs]);
  return { value, error };
}
