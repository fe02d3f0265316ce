import { type FormEvent, useState } from 'react';
import { describeError } from '../ui/describeError.ts';
import { Alert } from '../ui/Messages.tsx';
import { SecretOnce } from './ApiKeysPanel.tsx';
import { DeliveryLog } from './DeliveryLog.tsx';
import type { MerchantApi, WebhookEndpoint } from './merchantApi.ts';
import { usePolling } from './usePolling.ts';

function EndpointItem({
  api,
  endpoint,
  onChanged,
  onSecret,
  onError,
}: {
  api: MerchantApi;
  endpoint: WebhookEndpoint;
  onChanged: () => Promise<void>;
  onSecret: (secret: string) => void;
  onError: (message: string | null) => void;
}) {
  const [open, setOpen] = useState(false);
  const act = async (action: () => Promise<WebhookEndpoint>) => {
    onError(null);
    try {
      const changed = await action();
      if (changed.secret !== undefined) onSecret(changed.secret);
      await onChanged();
    } catch (failure) {
      onError(describeError(failure));
    }
  };
  return (
    <li className="card">
      <p className="mono">{endpoint.url}</p>
      <p>
        <span className={`badge badge-${endpoint.status}`}>{endpoint.status}</span>{' '}
        <span className="hint">events: {endpoint.events.join(', ')}</span>
      </p>
      <div className="actions">
        <button type="button" className="secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
          Delivery log
        </button>
        {endpoint.status === 'enabled' ? (
          <>
            <button
              type="button"
              className="secondary"
              onClick={() => void act(() => api.rotateEndpoint(endpoint.id))}
            >
              Rotate secret
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => void act(() => api.disableEndpoint(endpoint.id))}
            >
              Disable
            </button>
          </>
        ) : null}
      </div>
      {open ? <DeliveryLog api={api} endpointId={endpoint.id} /> : null}
    </li>
  );
}

/** Webhook endpoints: add (signing secret shown once), disable, rotate, and each one's delivery log. */
export function WebhooksPanel({ api }: { api: MerchantApi }) {
  const { value, error: loadError, reload } = usePolling(() => api.endpoints(), null);
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setSecret(null);
    setBusy(true);
    try {
      const endpoint = await api.addEndpoint({ url: url.trim(), events: ['*'] });
      setSecret(endpoint.secret ?? null);
      setUrl('');
      await reload();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">Webhook endpoints</h2>
      <form onSubmit={add} className="form" noValidate>
        <label htmlFor="webhook-url">Endpoint URL</label>
        <input
          id="webhook-url"
          type="url"
          inputMode="url"
          autoComplete="off"
          placeholder="https://example.com/shardpay"
          value={url}
          onChange={(event) => setUrl(event.target.value)}
        />
        <p className="hint">Every event of your shop is sent there, signed with the endpoint’s secret.</p>
        <button type="submit" disabled={busy}>
          Add endpoint
        </button>
      </form>
      {secret === null ? null : <SecretOnce label="Signing secret" secret={secret} />}
      <Alert message={error ?? loadError} />
      {value === null ? null : value.data.length === 0 ? (
        <p>No endpoints yet.</p>
      ) : (
        <ul className="plain-list">
          {value.data.map((endpoint) => (
            <EndpointItem
              key={endpoint.id}
              api={api}
              endpoint={endpoint}
              onChanged={reload}
              onSecret={setSecret}
              onError={setError}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
