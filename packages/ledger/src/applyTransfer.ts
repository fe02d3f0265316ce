import type { Address, Hash, Transaction, TransferOperation } from '@shardpay/protocol';
import { type BlockContext, creditRecipient } from './BlockContext.ts';
import { assertCanPay, chargeAccount } from './chargeAccount.ts';
import { assertValidAddress, assertValidAmount, assertValidMemo } from './fieldChecks.ts';
import { isRefusal } from './isRefusal.ts';
import { assertMovementAllowed } from './movementGuards.ts';

/** Throws ADDRESS_INVALID, AMOUNT_INVALID, AMOUNT_TOO_LARGE or MEMO_TOO_LONG for a malformed transfer. */
export function assertValidTransferFields(operation: TransferOperation): void {
  assertValidAddress(operation.to, 'to');
  assertValidAmount(operation.amount);
  assertValidMemo(operation.memo);
}

/**
 * Throws unless the transfer can be applied: well-formed, the issuer's controls allow it (TOKEN_PAUSED,
 * ACCOUNT_FROZEN) and the sender holds amount + fee (INSUFFICIENT_FUNDS). A transfer to oneself is
 * allowed: it costs the fee and advances the nonce. `from` is the account paying the amount when it is
 * not the sender (a multisig account, see applyMultisigExecute); the sender still pays the fee.
 */
export function assertValidTransfer(
  context: BlockContext,
  tx: Transaction,
  operation: TransferOperation,
  sender: Address,
  from: Address = sender,
): void {
  assertValidTransferFields(operation);
  assertMovementAllowed(context, from, operation.to);
  assertCanPay(context, sender, from, operation.amount, tx.fee);
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

/**
 * Applies a transfer: debits amount (from `from`) + fee (from the sender), then credits the recipient
 * here or through a credit receipt naming `from`.
 */
export function applyTransfer(
  context: BlockContext,
  tx: Transaction,
  operation: TransferOperation,
  sender: Address,
  txId: Hash,
  from: Address = sender,
): void {
  assertValidTransfer(context, tx, operation, sender, from);
  chargeAccount(context, sender, from, operation.amount, tx.fee);
  creditRecipient(context, {
    txId,
    operation: 'transfer',
    from,
    to: operation.to,
    amount: operation.amount,
    paymentId: '',
    memo: operation.memo,
  });
}
