import { ShardpayError } from '@shardpay/crypto';
import type { Address, Hash, PayOperation, Transaction } from '@shardpay/protocol';
import { type BlockContext, creditRecipient, isLocalAddress } from './BlockContext.ts';
import { assertCanPay, chargeAccount } from './chargeAccount.ts';
import {
  assertValidAddress,
  assertValidAmount,
  assertValidMemo,
  assertValidReference,
} from './fieldChecks.ts';
import { isRefusal } from './isRefusal.ts';
import { assertMovementAllowed } from './movementGuards.ts';

/** Throws ADDRESS_INVALID, AMOUNT_INVALID, AMOUNT_TOO_LARGE, REFERENCE_INVALID or MEMO_TOO_LONG for a malformed payment. */
export function assertValidPayFields(operation: PayOperation): void {
  assertValidAddress(operation.merchant, 'merchant');
  assertValidAmount(operation.amount);
  assertValidReference(operation.paymentId, 'paymentId');
  assertValidMemo(operation.memo);
}

/**
 * Throws unless the payment can be applied: well-formed, the issuer's controls allow it (TOKEN_PAUSED,
 * ACCOUNT_FROZEN), the sender holds amount + fee (INSUFFICIENT_FUNDS; with `from`, a multisig account
 * paying the amount while the sender pays the fee: see applyTransfer), and — when the merchant lives
 * on this shard — the merchant has not received this paymentId yet (DUPLICATE_PAYMENT_ID). A merchant
 * on another shard decides there, refunding a duplicate (or a credit to a frozen merchant).
 */
export function assertValidPay(
  context: BlockContext,
  tx: Transaction,
  operation: PayOperation,
  sender: Address,
  from: Address = sender,
): void {
  assertValidPayFields(operation);
  assertMovementAllowed(context, from, operation.merchant);
  assertCanPay(context, sender, from, operation.amount, tx.fee);
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

/**
 * Applies a payment: debits amount (from `from`) + fee (from the sender); records the payment id and
 * credits a local merchant, or emits a credit receipt naming `from`.
 */
export function applyPay(
  context: BlockContext,
  tx: Transaction,
  operation: PayOperation,
  sender: Address,
  txId: Hash,
  from: Address = sender,
): void {
  assertValidPay(context, tx, operation, sender, from);
  chargeAccount(context, sender, from, operation.amount, tx.fee);
  if (isLocalAddress(context, operation.merchant)) {
    context.state.recordPayment(operation.merchant, operation.paymentId);
  }
  creditRecipient(context, {
    txId,
    operation: 'pay',
    from,
    to: operation.merchant,
    amount: operation.amount,
    paymentId: operation.paymentId,
    memo: operation.memo,
  });
}
