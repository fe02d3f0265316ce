import { buildCashoutBurn, type GatewayCashout, waitForCashout } from '@shardpay/sdk';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { type UnlockedWallet, useApp } from '../app/AppContext.tsx';
import { describeError } from '../ui/describeError.ts';
import { RequireWallet } from '../ui/Guards.tsx';
import { Alert, Status } from '../ui/Messages.tsx';
import { formatUsd, parseCentsAmount, parseTypedAmount } from '../ui/money.ts';

/** Blocks the signed burn stays valid for. */
const EXPIRY_BLOCKS = 600n;

/** What each cash-out status means to the user. */
const CASHOUT_WORDS: Record<string, string> = {
  signing: 'Signing the cash-out in your browser…',
  awaiting_burn: 'Waiting for your signed cash-out…',
  burning: 'Taking the dollars out of your wallet…',
  burned: 'The dollars left your wallet. Asking the bank to pay you…',
  paying_out: 'The bank is sending the money to your account…',
  paid: 'Done: the money is on its way to your bank account.',
  refunding: 'The bank could not pay this account. Returning the dollars to your wallet…',
  refunded: 'The bank could not pay this account, so the dollars were returned to your wallet.',
};

/** True when `cashout` is for this amount (dollars and cents) and this bank account. */
function sameCashout(
  cashout: GatewayCashout,
  dollars: string,
  routing: string,
  accountNumber: string,
): boolean {
  return (
    parseTypedAmount(cashout.amount) === parseTypedAmount(dollars) &&
    cashout.bank_account.routing_number === routing &&
    cashout.bank_account.last4 === accountNumber.slice(-4)
  );
}

function CashoutForm({ wallet }: { wallet: UnlockedWallet }) {
  const { gateway } = useApp();
  const [amount, setAmount] = useState('');
  const [routing, setRouting] = useState('');
  const [accountNumber, setAccountNumber] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [cashout, setCashout] = useState<GatewayCashout | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const follow = (next: GatewayCashout) => {
    setCashout(next);
    setStatus(next.status);
  };

  const cashOut = async (event: FormEvent) => {
    event.preventDefault();
    const dollars = parseCentsAmount(amount);
    if (dollars === null) {
      setError('Enter an amount in dollars and cents, for example 40 or 12.50.');
      return;
    }
    if (!/^[0-9]{9}$/.test(routing.trim())) {
      setError('Enter the 9-digit routing number of your bank.');
      return;
    }
    if (!/^[0-9]{4,17}$/.test(accountNumber.trim())) {
      setError('Enter your bank account number (4 to 17 digits).');
      return;
    }
    setBusy(true);
    setError(null);
    // A cash-out whose burn expired unincluded waits for a new burn: signing again for the same
    // amount and account finishes that one instead of leaving it open and starting another.
    const unfinished =
      cashout !== null &&
      cashout.status === 'awaiting_burn' &&
      sameCashout(cashout, dollars, routing.trim(), accountNumber.trim())
        ? cashout
        : null;
    setCashout(unfinished);
    setStatus('signing');
    try {
      const started =
        unfinished ??
        (await gateway.createCashout({
          wallet: wallet.walletId,
          amount: dollars,
          bank_account: { routing_number: routing.trim(), account_number: accountNumber.trim() },
        }));
      setCashout(started);
      const state = await gateway.account(wallet.account.address);
      // The burn is signed here, with the key that never leaves this browser.
      const burn = buildCashoutBurn({
        from: wallet.account,
        cashout: started,
        nonce: BigInt(state.pending_nonce ?? state.nonce),
        expiryHeight: BigInt(state.height) + EXPIRY_BLOCKS,
      });
      follow(await gateway.submitCashoutBurn(started.id, burn));
      const done = await waitForCashout(gateway, started.id, { onStatus: follow });
      follow(done);
      if (done.status === 'awaiting_burn') {
        setError(
          'The network did not take the cash-out in time, and no money left your wallet. Press Cash out again to sign it anew.',
        );
      }
    } catch (failure) {
      setError(describeError(failure));
      setStatus((current) => (current === 'signing' ? null : current));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <form onSubmit={cashOut} className="form" noValidate>
        <label htmlFor="cashout-amount">Amount (USD)</label>
        <input
          id="cashout-amount"
          inputMode="decimal"
          autoComplete="off"
          value={amount}
          onChange={(event) => setAmount(event.target.value)}
        />
        <fieldset className="form">
          <legend>Bank account</legend>
          <label htmlFor="routing-number">Routing number</label>
          <input
            id="routing-number"
            inputMode="numeric"
            autoComplete="off"
            value={routing}
            onChange={(event) => setRouting(event.target.value)}
          />
          <label htmlFor="account-number">Account number</label>
          <input
            id="account-number"
            inputMode="numeric"
            autoComplete="off"
            value={accountNumber}
            onChange={(event) => setAccountNumber(event.target.value)}
          />
        </fieldset>
        <p className="hint">Sandbox: routing number 110000000, account number 000123456789.</p>
        <button type="submit" disabled={busy}>
          {busy ? 'Cashing out…' : 'Cash out'}
        </button>
      </form>
      {status === null ? null : (
        <section aria-labelledby="cashout-heading" className="card">
          <h2 id="cashout-heading">Your cash-out</h2>
          {cashout === null ? null : (
            <p>
              {formatUsd(cashout.amount)} to the account ending in {cashout.bank_account.last4}
            </p>
          )}
          <Status>{CASHOUT_WORDS[status] ?? `Status: ${status}`}</Status>
          {cashout?.status === 'refunded' && cashout.failure_message !== null ? (
            <p role="alert" className="alert">
              {cashout.failure_message}
            </p>
          ) : null}
        </section>
      )}
      <Alert message={error} />
      <p>
        <Link to="/wallet">Back to your wallet</Link>
      </p>
    </>
  );
}

/** `/cashout`: dollars from the open wallet to a bank account; the burn is signed in the browser. */
export default function CashoutPage() {
  return (
    <section>
      <h1>Cash out</h1>
      <RequireWallet>{(wallet) => <CashoutForm wallet={wallet} />}</RequireWallet>
    </section>
  );
}
