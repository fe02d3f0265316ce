import type { NetworkConfig } from '@shardpay/protocol';
import { restoreWallet, type Wallet } from '@shardpay/sdk';
import { useState } from 'react';
import { type UnlockedWallet, useApp } from '../app/AppContext.tsx';
import { describeError } from '../ui/describeError.ts';
import { Alert, Status } from '../ui/Messages.tsx';
import { saveAndRegisterWallet } from './openWallet.ts';
import { PassphraseForm } from './PassphraseForm.tsx';

/** A wallet from its recovery phrase (12 or 24 words), then encrypted in this browser under a new passphrase. */
export function RestoreWallet({
  network,
  onOpen,
}: {
  network: NetworkConfig;
  onOpen: (wallet: UnlockedWallet) => void;
}) {
  const { gateway } = useApp();
  const [phrase, setPhrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <section aria-labelledby="restore-heading">
      <h2 id="restore-heading">Restore a wallet</h2>
      <div className="form">
        <label htmlFor="recovery-phrase">Recovery phrase (12 or 24 words)</label>
        <textarea
          id="recovery-phrase"
          rows={3}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          value={phrase}
          onChange={(event) => setPhrase(event.target.value)}
        />
      </div>
      <PassphraseForm
        submitLabel="Restore wallet"
        busy={busy}
        onSubmit={(passphrase) => {
          let wallet: Wallet;
          try {
            wallet = restoreWallet(phrase, { network });
          } catch (failure) {
            setError(describeError(failure));
            return;
          }
          setBusy(true);
          setError(null);
          saveAndRegisterWallet(gateway, network, wallet, passphrase)
            .then(onOpen)
            .catch((failure: unknown) => setError(describeError(failure)))
            .finally(() => setBusy(false));
        }}
      />
      {busy ? <Status>Encrypting your wallet and linking it to your account…</Status> : null}
      <Alert message={error} />
    </section>
  );
}
