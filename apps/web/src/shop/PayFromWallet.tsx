import { bytesToHex } from '@shardpay/crypto';
import { encodeTransaction, type NetworkConfig, parseAmount } from '@shardpay/protocol';
import { buildEscrowLock, buildPay } from '@shardpay/sdk';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { type UnlockedWallet, useApp } from '../app/AppContext.tsx';
import { describeError } from '../ui/describeError.ts';
import { Alert, Status } from '../ui/Messages.tsx';
import { formatUsd } from '../ui/money.ts';
import { UnlockWallet } from '../wallet/UnlockWallet.tsx';
import { loadStoredWallet } from '../wallet/walletStorage.ts';
import { type Checkout, submitEscrowLock } from './shopApi.ts';

/** Blocks a payment stays valid for before it expires unincluded (as the SDK's `send`). */
const EXPIRY_BLOCKS = 600n;

/**
 * Signs the payment in this browser: a `pay` carrying the invoice id as its payment id, sent with
 * `POST /v1/payments`, or for an escrow order the `escrow_lock` the checkout describes, sent to
 * `POST /v1/checkout/:id/escrow`. Resolves once the gateway accepted it.
 */
async function payCheckout(
  gateway: ReturnType<typeof useApp>['gateway'],
  wallet: UnlockedWallet,
  checkout: Checkout,
): Promise<void> {
  const state = await gateway.account(wallet.account.address);
  const nonce = BigInt(state.pending_nonce ?? state.nonce);
  const expiryHeight = BigInt(state.height) + EXPIRY_BLOCKS;
  const escrow = checkout.escrow;
  if (escrow !== null) {
    const transaction = buildEscrowLock({
      from: wallet.account,
      merchant: escrow.merchant,
      amount: parseAmount(escrow.amount),
      orderId: escrow.order_id,
      deadlineMs: BigInt(escrow.deadline_ms),
      arbiter: escrow.arbiter,
      oracle: escrow.oracle,
      nonce,
      expiryHeight,
    });
    await submitEscrowLock(gateway, checkout.invoice, bytesToHex(encodeTransaction(transaction)));
    return;
  }
  const transaction = buildPay({
    from: wallet.account,
    merchant: checkout.pay_to,
    amount: parseAmount(checkout.amount),
    paymentId: checkout.payment_id,
    nonce,
    expiryHeight,
  });
  await gateway.submitPayment(transaction);
}

/** The pay button for the open wallet; unlocks the wallet kept in this browser first when needed. */
export function PayFromWallet({ checkout, onPaid }: { checkout: Checkout; onPaid: () => void }) {
  const { gateway, network, wallet, setWallet, loggedIn } = useApp();
  const [config, setConfig] = useState<NetworkConfig | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    network()
      .then(setConfig)
      .catch((failure: unknown) => setError(describeError(failure)));
  }, [network]);

  if (!loggedIn) {
    return (
      <p>
        <Link to="/login">Log in</Link> to pay from your Shardpay wallet, or scan the code with another
        wallet.
      </p>
    );
  }
  if (wallet === null) {
    const stored = config === null ? null : loadStoredWallet(config.chainId);
    if (config === null) return <Alert message={error} />;
    if (stored === null) {
      return (
        <p>
          This browser has no wallet yet. <Link to="/wallet">Set up your wallet</Link> first.
        </p>
      );
    }
    return <UnlockWallet network={config} stored={stored} onOpen={setWallet} onForget={() => undefined} />;
  }

  const escrow = checkout.escrow !== null;
  const pay = async () => {
    setBusy(true);
    setError(null);
    try {
      await payCheckout(gateway, wallet, checkout);
      onPaid();
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };
  return (
    <>
      <p className="hint">
        From your wallet {wallet.account.address.slice(0, 12)}… (shard {wallet.account.shard}), plus the
        network fee of {formatUsd(wallet.account.network.flatFee)}.
      </p>
      <button type="button" disabled={busy} onClick={() => void pay()}>
        {escrow ? `Lock ${formatUsd(checkout.amount)} in escrow` : `Pay ${formatUsd(checkout.amount)}`}
      </button>
      {busy ? <Status>Signing the payment in your browser and sending it…</Status> : null}
      <Alert message={error} />
    </>
  );
}
