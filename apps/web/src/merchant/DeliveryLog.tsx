import { useState } from 'react';
import { describeError } from '../ui/describeError.ts';
import { Alert, Status } from '../ui/Messages.tsx';
import type { MerchantApi } from './merchantApi.ts';
import { usePolling } from './usePolling.ts';

function when(iso: string): string {
  return new Date(iso).toLocaleTimeString();
}

/** One endpoint's deliveries, newest first, with every attempt, kept fresh; Redeliver sends one again now. */
export function DeliveryLog({ api, endpointId }: { api: MerchantApi; endpointId: string }) {
  const { value, error: loadError, reload } = usePolling(() => api.deliveries(endpointId), 2000);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const redeliver = async (id: string, type: string) => {
    setError(null);
    try {
      await api.redeliver(id);
      setMessage(`Sending ${type} again…`);
      await reload();
    } catch (failure) {
      setError(describeError(failure));
    }
  };
  return (
    <section aria-label="Delivery log" className="delivery-log">
      {value === null ? null : value.data.length === 0 ? (
        <p>Nothing delivered yet.</p>
      ) : (
        <ul className="plain-list">
          {value.data.map((delivery) => (
            <li key={delivery.id} className="delivery">
              <p>
                <strong>{delivery.event_type}</strong>{' '}
                <span className={`badge badge-${delivery.status}`}>{delivery.status}</span>{' '}
                <span className="hint">
                  {delivery.attempts} {delivery.attempts === 1 ? 'attempt' : 'attempts'}
                </span>
              </p>
              {delivery.attempt_log.length === 0 ? null : (
                <ol className="attempts">
                  {delivery.attempt_log.map((attempt) => (
                    <li key={attempt.id}>
                      {when(attempt.created)}:{' '}
                      {attempt.status_code === null
                        ? (attempt.error ?? 'no answer')
                        : `HTTP ${attempt.status_code}`}
                      {attempt.duration_ms === null ? '' : ` in ${attempt.duration_ms} ms`}
                    </li>
                  ))}
                </ol>
              )}
              <button
                type="button"
                className="secondary"
                aria-label={`Redeliver ${delivery.event_type} (${delivery.id})`}
                onClick={() => void redeliver(delivery.id, delivery.event_type)}
              >
                Redeliver
              </button>
            </li>
          ))}
        </ul>
      )}
      {message === null ? null : <Status>{message}</Status>}
      <Alert message={error ?? loadError} />
    </section>
  );
}
