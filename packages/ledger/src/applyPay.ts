import { ShardpayError } from '@shardpay/crypto';
import type { Address, Hash, PayOperation, Transaction } from '@shardpay/protocol';
import {
  assertSufficientFunds,
  type BlockContext,
  chargeSender,
  creditRecipient,
  isLocalAddress,
} from './BlockContext.ts';
import {
  assertValidAddress,
  assertValidAmount,
  assertValidMemo,
  assertValidReference,
} from './fieldChecks.ts';
import { isRefusal } from './isRefusal.ts';

/** Throws ADDRESS_INVALID, AMOUNT_INVALID, AMOUNT_TOO_LARGE, REFERENCE_INVALID or MEMO_TOO_LONG for a malformed payment. */
export function assertValidPayFields(operation: PayOperation): void {
  assertValidAddress(operation.merchant, 'merchant');
  assertValidAmount(operation.amount);
  assertValidReference(operation.paymentId, 'paymentId');
  assertValidMemo(operation.memo);
}

/**
 * Throws unless the payment can be applied: well-formed, the sender holds amount + fee
 * (INSUFFICIENT_FUNDS), and — when the merchant lives on this shard — the merchant has not received this
 * paymentId yet (DUPLICATE_PAYMENT_ID). A merchant on another shard decides there, refunding a duplicate.
 */
export function assertValidPay(
  context: BlockContext,
  tx: Transaction,
  operation: PayOperation,
  sender: Address,
): void {
  assertValidPayFields(operation);
  assertSufficientFunds(context, sender, operation.amount + tx.fee);
  if (
    isLocalAddress(context, operation.merchant) &&
    context.state.isPaymentIdUsed(operation.merchant, operation.paymentId)
  ) {
    throw new ShardpayError('DUPLICATE_PAYMENT_ID', 'the merchant already received this payment id', {
      meta: { paymentId: operation.paymentId },
    });
  }
}

/** Whether `assertValidPay` accepts the payment. */
export function isValidPay(
  context: BlockContext,
  tx: Transaction,
  operation: PayOperation,
  sender: Address,
): boolean {
  try {
    assertValidPay(context, tx, operation, sender);
    return true;
  } catch (error) {
    if (isRefusal(error)) return false;
    throw error;
  }
}

/** Applies a payment: debits amount + fee; records the payment id and credits a local merchant, or emits a credit receipt. */
export function applyPay(
  context: BlockContext,
  tx: Transaction,
  operation: PayOperation,
  sender: Address,
  txId: Hash,
): void {
  assertValidPay(context, tx, operation, sender);
  chargeSender(context, sender, operation.amount, tx.fee);
  if (isLocalAddress(context, operation.merchant)) {
    context.state.recordPayment(operation.merchant, operation.paymentId);
  }
  creditRecipient(context, {
    txId,
    operation: 'pay',
    from: sender,
    to: operation.merchant,
    amount: operation.amount,
    paymentId: operation.paymentId,
    memo: operation.memo,
  });
}
