import { type FormEvent, useState } from 'react';
import { describeError } from '../ui/describeError.ts';
import { Alert } from '../ui/Messages.tsx';
import { ALL_SCOPES, type MerchantApi } from './merchantApi.ts';
import { usePolling } from './usePolling.ts';

/** A secret the gateway shows once (API key or webhook signing secret): copy it now. */
export function SecretOnce({ label, secret }: { label: string; secret: string }) {
  return (
    <div role="status" className="card secret">
      <p>
        <strong>{label}</strong> — copy it now: it is shown only once.
      </p>
      <p className="mono">{secret}</p>
      <button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(secret)}>
        Copy
      </button>
    </div>
  );
}

/** API keys for the merchant's own software: create (secret shown once), list, revoke. */
export function ApiKeysPanel({ api }: { api: MerchantApi }) {
  const { value, error: loadError, reload } = usePolling(() => api.apiKeys(), null);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['invoices:read', 'invoices:write']);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setSecret(null);
    if (name.trim() === '') {
      setError('Give the key a name, for example “online shop”.');
      return;
    }
    if (scopes.length === 0) {
      setError('Choose at least one permission.');
      return;
    }
    setBusy(true);
    try {
      const key = await api.createApiKey({ name: name.trim(), scopes });
      setSecret(key.secret ?? null);
      setName('');
      await reload();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (id: string) => {
    setError(null);
    try {
      await api.revokeApiKey(id);
      await reload();
    } catch (failure) {
      setError(describeError(failure));
    }
  };

  return (
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading">API keys</h2>
      <form onSubmit={create} className="form" noValidate>
        <label htmlFor="key-name">Key name</label>
        <input id="key-name" maxLength={80} value={name} onChange={(event) => setName(event.target.value)} />
        <fieldset>
          <legend>Permissions</legend>
          {ALL_SCOPES.map((scope) => (
            <label key={scope} className="check">
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(event) =>
                  setScopes((current) =>
                    event.target.checked ? [...current, scope] : current.filter((item) => item !== scope),
                  )
                }
              />
              {scope}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={busy}>
          Create API key
        </button>
      </form>
      {secret === null ? null : <SecretOnce label="Secret key" secret={secret} />}
      <Alert message={error ?? loadError} />
      {value === null ? null : (
        <ul className="plain-list">
          {value.data.map((key) => (
            <li key={key.id} className="card row">
              <span>
                <strong>{key.name}</strong> ••••{key.last4}{' '}
                <span className="hint">{key.scopes.join(', ')}</span>
                {key.revoked === null ? null : <span className="badge">revoked</span>}
              </span>
              {key.revoked === null ? (
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Revoke ${key.name}`}
                  onClick={() => void revoke(key.id)}
                >
                  Revoke
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
