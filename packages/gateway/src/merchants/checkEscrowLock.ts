import { encodeAddress } from '@shardpay/crypto';
import { type EscrowLockOperation, formatAmount, type Transaction } from '@shardpay/protocol';
import { apiError } from '../http/apiErrors.ts';
import { escrowDeadlineSkewMs, type InvoiceEscrow } from './invoiceEscrow.ts';

/** The invoice fields an escrow lock must match. */
export interface EscrowLockTerms {
  id: string;
  pay_to: string;
  amount: bigint | string;
  escrow: InvoiceEscrow;
}

const mismatch = (field: string, message: string) =>
  apiError('TRANSACTION_INVALID', `escrow_lock ${field}: ${message}`, 'transaction');

/**
 * Checks that `tx` is the `escrow_lock` the invoice asks for (docs/gateway.md "Escrow-backed
 * orders"): merchant = pay_to, amount = the invoice's, orderId = the invoice id, the invoice's arbiter
 * and oracle, and a deadline no earlier than `now + deadline_seconds` less 10 minutes of clock skew.
 * Each refusal is `400 transaction_invalid` (`param: "transaction"`) whose message names the field.
 */
export function checkEscrowLock(
  tx: Transaction,
  invoice: EscrowLockTerms,
  prefix: string,
  now: Date,
): EscrowLockOperation {
  const operation = tx.operation;
  if (operation.type !== 'escrow_lock') {
    throw apiError(
      'TRANSACTION_INVALID',
      `an escrow checkout takes an escrow_lock, not a ${operation.type}`,
      'transaction',
    );
  }
  const { escrow } = invoice;
  const merchant = encodeAddress(operation.merchant, prefix);
  if (merchant !== invoice.pay_to)
    throw mismatch('merchant', `must be the invoice's pay_to ${invoice.pay_to}`);
  const amount = BigInt(invoice.amount);
  if (operation.amount !== amount) {
    throw mismatch(
      'amount',
      `locks ${formatAmount(operation.amount)}, the invoice is ${formatAmount(amount)}`,
    );
  }
  if (operation.orderId !== invoice.id) throw mismatch('orderId', `must be the invoice id ${invoice.id}`);
  const arbiter = operation.arbiter === null ? null : encodeAddress(operation.arbiter, prefix);
  if (arbiter !== escrow.arbiter) throw mismatch('arbiter', `must be ${escrow.arbiter ?? 'none (null)'}`);
  const oracle = operation.oracle === null ? null : encodeAddress(operation.oracle, prefix);
  if (oracle !== escrow.oracle) throw mismatch('oracle', `must be ${escrow.oracle ?? 'none (null)'}`);
  const earliest =
    BigInt(now.getTime()) + BigInt(escrow.deadline_seconds) * 1000n - BigInt(escrowDeadlineSkewMs);
  if (operation.deadlineMs < earliest) {
    throw mismatch(
      'deadlineMs',
      `must be at least now + ${escrow.deadline_seconds} s (${earliest.toString()} ms, allowing 10 minutes of skew)`,
    );
  }
  return operation;
}
