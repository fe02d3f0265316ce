import type { Address, Hash, Transaction, TransferOperation } from '@shardpay/protocol';
import { assertSufficientFunds, type BlockContext, chargeSender, creditRecipient } from './BlockContext.ts';
import { assertValidAddress, assertValidAmount, assertValidMemo } from './fieldChecks.ts';
import { isRefusal } from './isRefusal.ts';

/** Throws ADDRESS_INVALID, AMOUNT_INVALID, AMOUNT_TOO_LARGE or MEMO_TOO_LONG for a malformed transfer. */
export function assertValidTransferFields(operation: TransferOperation): void {
  assertValidAddress(operation.to, 'to');
  assertValidAmount(operation.amount);
  assertValidMemo(operation.memo);
}

/**
 * Throws unless the transfer can be applied: well-formed and the sender holds amount + fee
 * (INSUFFICIENT_FUNDS). A transfer to oneself is allowed: it costs the fee and advances the nonce.
 */
export function assertValidTransfer(
  context: BlockContext,
  tx: Transaction,
  operation: TransferOperation,
  sender: Address,
): void {
  assertValidTransferFields(operation);
  assertSufficientFunds(context, sender, operation.amount + tx.fee);
}

/** Whether `assertValidTransfer` accepts the transfer. */
export function isValidTransfer(
  context: BlockContext,
  tx: Transaction,
  operation: TransferOperation,
  sender: Address,
): boolean {
  try {
    assertValidTransfer(context, tx, operation, sender);
    return true;
  } catch (error) {
    if (isRefusal(error)) return false;
    throw error;
  }
}

/** Applies a transfer: debits amount + fee, then credits the recipient here or through a credit receipt. */
export function applyTransfer(
  context: BlockContext,
  tx: Transaction,
  operation: TransferOperation,
  sender: Address,
  txId: Hash,
): void {
  assertValidTransfer(context, tx, operation, sender);
  chargeSender(context, sender, operation.amount, tx.fee);
  creditRecipient(context, {
    txId,
    operation: 'transfer',
    from: sender,
    to: operation.to,
    amount: operation.amount,
    paymentId: '',
    memo: operation.memo,
  });
}
