import { bytesToHex } from '@shardpay/crypto';
import { encodeTransaction, parseAmount } from '@shardpay/protocol';
import { buildTransfer, newIdempotencyKey } from '@shardpay/sdk';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { useApp } from '../app/AppContext.tsx';
import { describeError } from '../ui/describeError.ts';
import { Alert, Status } from '../ui/Messages.tsx';
import { formatUsd, parseTypedAmount } from '../ui/money.ts';
import type { Invoice, MerchantApi } from './merchantApi.ts';

const EXPIRY_BLOCKS = 600n;

/**
 * A refund of a paid invoice, non-custodial: the merchant's wallet (open in this tab) signs a
 * transfer from `pay_to` back to the payer; the gateway checks and sends it.
 */
export function RefundForm({
  api,
  invoice,
  onDone,
}: {
  api: MerchantApi;
  invoice: Invoice;
  onDone: () => void;
}) {
  const { gateway, wallet } = useApp();
  const refundable =
    parseAmount(invoice.amount_paid, { allowZero: true }) -
    parseAmount(invoice.amount_refunded, { allowZero: true });
  const payer = invoice.payments.find(
    (payment) => payment.status === 'credited' || payment.status === 'final',
  )?.from;
  const [amount, setAmount] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (refundable <= 0n || payer === undefined) return null;
  if (wallet === null || wallet.account.address !== invoice.pay_to) {
    return (
      <p>
        To refund, <Link to="/wallet">open the wallet</Link> this shop is paid to (
        {invoice.pay_to.slice(0, 16)}…).
      </p>
    );
  }
  const refund = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setMessage(null);
    const minor = parseTypedAmount(amount);
    if (minor === null || minor > refundable) {
      setError(`Enter an amount above zero and at most ${formatUsd(refundable)}.`);
      return;
    }
    setBusy(true);
    try {
      const state = await gateway.account(wallet.account.address);
      const transaction = buildTransfer({
        from: wallet.account,
        to: payer,
        amount: minor,
        nonce: BigInt(state.pending_nonce ?? state.nonce),
        expiryHeight: BigInt(state.height) + EXPIRY_BLOCKS,
      });
      const made = await api.refund(
        invoice.id,
        { transaction: bytesToHex(encodeTransaction(transaction)), amount: amount.trim() },
        newIdempotencyKey(),
      );
      setMessage(`Refund of ${formatUsd(made.amount)} sent.`);
      setAmount('');
      onDone();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={refund} className="form" noValidate>
      <label htmlFor="refund-amount">Refund amount (USD, at most {formatUsd(refundable)})</label>
      <input
        id="refund-amount"
        inputMode="decimal"
        value={amount}
        onChange={(event) => setAmount(event.target.value)}
      />
      <button type="submit" disabled={busy}>
        Refund
      </button>
      {message === null ? null : <Status>{message}</Status>}
      <Alert message={error} />
    </form>
  );
}
