import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useApp } from '../app/AppContext.tsx';
import { describeError } from '../ui/describeError.ts';
import { Alert, Status } from '../ui/Messages.tsx';
import { loadStoredWallet } from '../wallet/walletStorage.ts';

/** The address to show: the open wallet's, or the one this browser keeps (receiving needs no key). */
function useReceiveAddress(): { address: string | null; loading: boolean; error: string | null } {
  const { wallet, network } = useApp();
  const [stored, setStored] = useState<string | null>(null);
  const [loading, setLoading] = useState(wallet === null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (wallet !== null) return;
    network()
      .then((config) => setStored(loadStoredWallet(config.chainId)?.address ?? null))
      .catch((failure: unknown) => setError(describeError(failure)))
      .finally(() => setLoading(false));
  }, [wallet, network]);
  return { address: wallet?.account.address ?? stored, loading, error };
}

/** `/wallet/receive`: the wallet's address as text and as a QR code. */
export default function ReceivePage() {
  const { address, loading, error } = useReceiveAddress();
  const [qr, setQr] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (address === null) return;
    let current = true;
    QRCode.toString(address, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
      .then((svg) => {
        if (current) setQr(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
      })
      .catch(() => setQr(null));
    return () => {
      current = false;
    };
  }, [address]);

  return (
    <section>
      <h1>Receive money</h1>
      {loading ? <Status>Loading your address…</Status> : null}
      <Alert message={error} />
      {!loading && address === null && error === null ? (
        <p>
          You have no wallet in this browser yet. <Link to="/wallet">Set up your wallet</Link> first.
        </p>
      ) : null}
      {address === null ? null : (
        <div className="card receive">
          <p>Share this address, or let the sender scan the code.</p>
          {qr === null ? null : (
            <img src={qr} alt={`QR code of the address ${address}`} width={240} height={240} />
          )}
          <p className="address" data-testid="receive-address">
            {address}
          </p>
          <button
            type="button"
            onClick={() => {
              void navigator.clipboard
                ?.writeText(address)
                .then(() => setCopied(true))
                .catch(() => setCopied(false));
            }}
          >
            Copy address
          </button>
          {copied ? <Status>Address copied.</Status> : null}
        </div>
      )}
    </section>
  );
}
