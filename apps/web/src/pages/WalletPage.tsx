import type { NetworkConfig } from '@shardpay/protocol';
import { useEffect, useState } from 'react';
import { useApp } from '../app/AppContext.tsx';
import { describeError } from '../ui/describeError.ts';
import { RequireLogin } from '../ui/Guards.tsx';
import { Alert, Status } from '../ui/Messages.tsx';
import { CreateWallet } from '../wallet/CreateWallet.tsx';
import { RestoreWallet } from '../wallet/RestoreWallet.tsx';
import { UnlockWallet } from '../wallet/UnlockWallet.tsx';
import { WalletOverview } from '../wallet/WalletOverview.tsx';
import { loadStoredWallet, type StoredWallet } from '../wallet/walletStorage.ts';

type Setup = 'choose' | 'create' | 'restore';

/** The wallet as this browser has it: none yet (create or restore), locked (unlock), or open. */
function WalletSetup({ network }: { network: NetworkConfig }) {
  const { wallet, setWallet } = useApp();
  const [stored, setStored] = useState<StoredWallet | null>(() => loadStoredWallet(network.chainId));
  const [setup, setSetup] = useState<Setup>('choose');

  if (wallet !== null) {
    return (
      <>
        <WalletOverview wallet={wallet} />
        <p>
          <button type="button" className="secondary" onClick={() => setWallet(null)}>
            Lock wallet
          </button>
        </p>
      </>
    );
  }
  if (stored !== null) {
    return (
      <UnlockWallet
        network={network}
        stored={stored}
        onOpen={setWallet}
        onForget={() => {
          setStored(null);
          setSetup('choose');
        }}
      />
    );
  }
  if (setup === 'create') return <CreateWallet network={network} onOpen={setWallet} />;
  if (setup === 'restore') return <RestoreWallet network={network} onOpen={setWallet} />;
  return (
    <section aria-labelledby="setup-heading">
      <h2 id="setup-heading">Set up your wallet</h2>
      <p>Your wallet's keys are made in this browser and never leave it.</p>
      <div className="actions">
        <button type="button" onClick={() => setSetup('create')}>
          Create a new wallet
        </button>
        <button type="button" className="secondary" onClick={() => setSetup('restore')}>
          Restore from a recovery phrase
        </button>
      </div>
    </section>
  );
}

/** `/wallet`: create, restore or unlock the wallet, then its balance and live history. */
export default function WalletPage() {
  const { network } = useApp();
  const [config, setConfig] = useState<NetworkConfig | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    network()
      .then(setConfig)
      .catch((failure: unknown) => setError(describeError(failure)));
  }, [network]);
  return (
    <section>
      <h1>Wallet</h1>
      <RequireLogin>
        {config === null ? (
          error === null ? (
            <Status>Connecting to the network…</Status>
          ) : null
        ) : (
          <WalletSetup network={config} />
        )}
        <Alert message={error} />
      </RequireLogin>
    </section>
  );
}
