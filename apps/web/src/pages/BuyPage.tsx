import { type GatewayPurchase, isCardError, waitForPurchase } from '@shardpay/sdk';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { type UnlockedWallet, useApp } from '../app/AppContext.tsx';
import { CardFields, type CardInput, cardFromInput } from '../ui/CardFields.tsx';
import { describeError } from '../ui/describeError.ts';
import { RequireWallet } from '../ui/Guards.tsx';
import { Alert, Status } from '../ui/Messages.tsx';
import { formatUsd, parseCentsAmount } from '../ui/money.ts';

/** What each purchase status means to the buyer. */
const PURCHASE_WORDS: Record<string, string> = {
  created: 'Contacting your bank…',
  requires_action: 'Your bank asks you to confirm this payment.',
  authorized: 'Your bank approved the payment. Issuing your dollars…',
  minting: 'Issuing your dollars on the network…',
  minted: 'Your dollars are issued. Completing the card payment…',
  succeeded: 'Done: the dollars are in your wallet.',
  voiding: 'The dollars could not be issued. Cancelling the card payment…',
  failed: 'The purchase did not go through.',
};

function BuyForm({ wallet }: { wallet: UnlockedWallet }) {
  const { gateway } = useApp();
  const [amount, setAmount] = useState('');
  const [card, setCard] = useState<CardInput>({ number: '', expiry: '', cvc: '' });
  const [purchase, setPurchase] = useState<GatewayPurchase | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** Follows the purchase until it succeeds, fails or needs the 3-D Secure step. */
  const follow = async (started: GatewayPurchase) => {
    setPurchase(started);
    const done = await waitForPurchase(gateway, started.id, { onStatus: setPurchase });
    setPurchase(done);
    if (done.status === 'failed') {
      setError(done.failure_message ?? 'The purchase did not go through. Your card was not charged.');
    }
  };

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(describeError(failure));
      if (isCardError(failure)) setPurchase(null);
    } finally {
      setBusy(false);
    }
  };

  const buy = (event: FormEvent) => {
    event.preventDefault();
    const dollars = parseCentsAmount(amount);
    if (dollars === null) {
      setError('Enter an amount in dollars and cents, for example 50 or 12.50.');
      return;
    }
    const parsedCard = cardFromInput(card);
    if (typeof parsedCard === 'string') {
      setError(parsedCard);
      return;
    }
    setPurchase(null);
    void run(async () => {
      await follow(
        await gateway.createPurchase({ wallet: wallet.walletId, amount: dollars, card: parsedCard }),
      );
    });
  };

  const confirm = (fail: boolean) =>
    void run(async () => {
      if (purchase === null) return;
      await follow(await gateway.confirmPurchase(purchase.id, fail ? { fail: true } : {}));
    });

  if (purchase?.status === 'requires_action') {
    return (
      <section aria-labelledby="secure-heading" className="card">
        <h2 id="secure-heading">Confirm with your bank</h2>
        <p>
          Your bank asks you to confirm the payment of {formatUsd(purchase.amount)}
          {purchase.card === null ? '' : ` with the card ending in ${purchase.card.last4}`} (3-D Secure).
        </p>
        <Status>{PURCHASE_WORDS.requires_action}</Status>
        <div className="actions">
          <button type="button" disabled={busy} onClick={() => confirm(false)}>
            Confirm payment
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={() => confirm(true)}>
            Cancel payment
          </button>
        </div>
        <Alert message={error} />
      </section>
    );
  }

  return (
    <>
      <form onSubmit={buy} className="form" noValidate>
        <label htmlFor="buy-amount">Amount (USD)</label>
        <input
          id="buy-amount"
          inputMode="decimal"
          autoComplete="off"
          value={amount}
          onChange={(event) => setAmount(event.target.value)}
        />
        <CardFields value={card} onChange={setCard} />
        <p className="hint">
          Sandbox: 4242 4242 4242 4242 succeeds, 4000 0027 6000 3184 asks for 3-D Secure; any future expiry,
          any CVC.
        </p>
        <button type="submit" disabled={busy}>
          {busy ? 'Buying…' : 'Buy'}
        </button>
      </form>
      {purchase === null ? null : (
        <section aria-labelledby="purchase-heading" className="card">
          <h2 id="purchase-heading">Your purchase</h2>
          <p>
            {formatUsd(purchase.amount)}
            {purchase.card === null ? '' : ` with the card ending in ${purchase.card.last4}`}
          </p>
          <Status>{PURCHASE_WORDS[purchase.status] ?? `Status: ${purchase.status}`}</Status>
        </section>
      )}
      <Alert message={error} />
      {purchase?.status === 'succeeded' ? (
        <p>
          <Link to="/wallet">See your balance</Link>
        </p>
      ) : null}
    </>
  );
}

/** `/buy`: dollars for the open wallet, paid with a debit card (sandbox cards; 3-D Secure step). */
export default function BuyPage() {
  return (
    <section>
      <h1>Buy dollars</h1>
      <RequireWallet>{(wallet) => <BuyForm wallet={wallet} />}</RequireWallet>
    </section>
  );
}
