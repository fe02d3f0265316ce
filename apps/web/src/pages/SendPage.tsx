import { buildTransfer, type GatewayPayment, waitForPayment } from '@shardpay/sdk';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { type UnlockedWallet, useApp } from '../app/AppContext.tsx';
import { describeError } from '../ui/describeError.ts';
import { RequireWallet } from '../ui/Guards.tsx';
import { Alert, Status } from '../ui/Messages.tsx';
import { formatUsd, parseTypedAmount } from '../ui/money.ts';
import { checkAddress } from '../wallet/checkAddress.ts';

/** Blocks a transfer stays valid for before it expires unincluded (as the SDK's `send`). */
const EXPIRY_BLOCKS = 600n;

/** What each payment status means to the sender. */
function progressText(status: string, crossShard: boolean): string {
  switch (status) {
    case 'signing':
      return 'Signing the payment in your browser…';
    case 'pending':
      return 'Pending: waiting for the network to confirm it…';
    case 'final':
      return crossShard
        ? 'Final on your shard. Waiting for the recipient’s shard to credit it…'
        : 'Final: the payment is complete.';
    case 'credited':
      return 'Credited: the recipient has the money.';
    case 'refused':
      return 'The recipient’s shard refused the payment. Your money is being returned…';
    case 'refunded':
      return 'The payment was refused and your money was returned.';
    default:
      return `Status: ${status}`;
  }
}

const STEPS = ['pending', 'final', 'credited'] as const;

function SendForm({ wallet }: { wallet: UnlockedWallet }) {
  const { gateway } = useApp();
  const network = wallet.account.network;
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');
  const [memo, setMemo] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [crossShard, setCrossShard] = useState(false);
  const [payment, setPayment] = useState<GatewayPayment | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const address = checkAddress(to, network);
  const amountTyped = amount.trim() !== '';
  const minor = amountTyped ? parseTypedAmount(amount) : null;

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (address.kind !== 'valid') {
      setError(address.kind === 'invalid' ? address.message : 'Enter the address to send to.');
      return;
    }
    if (minor === null) {
      setError('Enter an amount above zero, with at most 6 decimals (for example 12.50).');
      return;
    }
    const crosses = address.shard !== wallet.account.shard;
    setCrossShard(crosses);
    setBusy(true);
    setError(null);
    setPayment(null);
    setStatus('signing');
    try {
      const state = await gateway.account(wallet.account.address);
      const transaction = buildTransfer({
        from: wallet.account,
        to: to.trim(),
        amount: minor,
        ...(memo === '' ? {} : { memo }),
        nonce: BigInt(state.pending_nonce ?? state.nonce),
        expiryHeight: BigInt(state.height) + EXPIRY_BLOCKS,
      });
      const submitted = await gateway.submitPayment(transaction);
      setPayment(submitted);
      setStatus(submitted.status);
      const done = await waitForPayment(
        gateway,
        submitted.id,
        crosses ? ['credited', 'refunded'] : ['final'],
        {
          onStatus: (next) => setStatus(next.status),
        },
      );
      setPayment(done);
      setStatus(done.status);
    } catch (failure) {
      setError(describeError(failure));
      setStatus((current) => (current === 'signing' ? null : current));
    } finally {
      setBusy(false);
    }
  };

  const reached = status === null ? -1 : STEPS.indexOf(status as (typeof STEPS)[number]);
  return (
    <>
      <form onSubmit={send} className="form" noValidate>
        <label htmlFor="to">Recipient address</label>
        <input
          id="to"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          value={to}
          aria-invalid={address.kind === 'invalid'}
          aria-describedby="to-check"
          onChange={(event) => setTo(event.target.value)}
        />
        <p id="to-check" className={address.kind === 'invalid' ? 'field-error' : 'hint'}>
          {address.kind === 'invalid'
            ? address.message
            : address.kind === 'valid'
              ? `Valid address on shard ${address.shard}.`
              : `An address starting with ${network.addressPrefix}1.`}
        </p>
        <label htmlFor="amount">Amount (USD)</label>
        <input
          id="amount"
          inputMode="decimal"
          autoComplete="off"
          value={amount}
          aria-invalid={amountTyped && minor === null}
          aria-describedby="amount-check"
          onChange={(event) => setAmount(event.target.value)}
        />
        <p id="amount-check" className={amountTyped && minor === null ? 'field-error' : 'hint'}>
          {amountTyped && minor === null
            ? 'Enter an amount above zero, with at most 6 decimals.'
            : `Network fee: ${formatUsd(network.flatFee)}.`}
        </p>
        <label htmlFor="memo">Note (optional)</label>
        <input id="memo" maxLength={256} value={memo} onChange={(event) => setMemo(event.target.value)} />
        <button type="submit" disabled={busy}>
          {busy ? 'Sending…' : 'Send'}
        </button>
      </form>
      {status === null ? null : (
        <section aria-labelledby="progress-heading" className="card">
          <h2 id="progress-heading">Progress</h2>
          <ol className="steps">
            {STEPS.filter((step) => crossShard || step !== 'credited').map((step, index) => (
              <li key={step} className={index <= reached ? 'done' : ''}>
                {step === 'pending'
                  ? 'Pending'
                  : step === 'final'
                    ? 'Final'
                    : 'Credited on the recipient’s shard'}
              </li>
            ))}
          </ol>
          <Status>{progressText(status, crossShard)}</Status>
          {payment === null ? null : <p className="hint">Payment {payment.id}</p>}
        </section>
      )}
      <Alert message={error} />
      <p>
        <Link to="/wallet">Back to your wallet</Link>
      </p>
    </>
  );
}

/** `/wallet/send`: a transfer signed in the browser, then its progress pending → final → credited. */
export default function SendPage() {
  return (
    <section>
      <h1>Send money</h1>
      <RequireWallet>{(wallet) => <SendForm wallet={wallet} />}</RequireWallet>
    </section>
  );
}
