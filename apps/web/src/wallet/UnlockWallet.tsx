import type { NetworkConfig } from '@shardpay/protocol';
import { type FormEvent, useState } from 'react';
import { type UnlockedWallet, useApp } from '../app/AppContext.tsx';
import { describeError } from '../ui/describeError.ts';
import { Alert, Status } from '../ui/Messages.tsx';
import { unlockStoredWallet } from './openWallet.ts';
import { forgetStoredWallet, type StoredWallet } from './walletStorage.ts';

export interface UnlockWalletProps {
  network: NetworkConfig;
  stored: StoredWallet;
  onOpen: (wallet: UnlockedWallet) => void;
  /** The stored wallet was removed from this browser. */
  onForget: () => void;
}

/** The passphrase that decrypts the wallet kept in this browser (the keys stay in this tab's memory). */
export function UnlockWallet({ network, stored, onOpen, onForget }: UnlockWalletProps) {
  const { gateway } = useApp();
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    unlockStoredWallet(gateway, network, stored.keystore, passphrase)
      .then(onOpen)
      .catch((failure: unknown) => setError(describeError(failure)))
      .finally(() => setBusy(false));
  };
  return (
    <section aria-labelledby="unlock-heading">
      <h2 id="unlock-heading">Unlock your wallet</h2>
      <p className="address">{stored.address}</p>
      <form onSubmit={submit} className="form">
        <label htmlFor="passphrase">Passphrase</label>
        <input
          id="passphrase"
          type="password"
          autoComplete="current-password"
          required
          value={passphrase}
          onChange={(event) => setPassphrase(event.target.value)}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </form>
      {busy ? <Status>Decrypting your wallet…</Status> : null}
      <Alert message={error} />
      <details className="danger-zone">
        <summary>Use a different wallet</summary>
        <p>This removes the wallet from this browser. You can only get it back with its recovery phrase.</p>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            forgetStoredWallet(network.chainId);
            onForget();
          }}
        >
          Remove this wallet from this browser
        </button>
      </details>
    </section>
  );
}
