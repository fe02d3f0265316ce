import { ShardpayError } from '@shardpay/crypto';
import type { Address, BurnOperation, Transaction } from '@shardpay/protocol';
import { MAX_U64 } from '@shardpay/protocol';
import type { BlockContext } from './BlockContext.ts';
import { assertCanPay, chargeAccount } from './chargeAccount.ts';
import { assertValidAmount, assertValidReference } from './fieldChecks.ts';
import { isRefusal } from './isRefusal.ts';
import { assertMovementAllowed } from './movementGuards.ts';

/** Throws AMOUNT_INVALID, AMOUNT_TOO_LARGE or REFERENCE_INVALID for a malformed burn. */
export function assertValidBurnFields(operation: BurnOperation): void {
  assertValidAmount(operation.amount);
  assertValidReference(operation.payoutReference, 'payoutReference');
}

/**
 * Throws unless the burn can be applied: the issuer's controls allow it (TOKEN_PAUSED, ACCOUNT_FROZEN)
 * and the holder holds amount + fee (INSUFFICIENT_FUNDS; with `from`, a multisig account holding the
 * amount while the sender pays the fee: see applyTransfer).
 */
export function assertValidBurn(
  context: BlockContext,
  tx: Transaction,
  operation: BurnOperation,
  sender: Address,
  from: Address = sender,
): void {
  assertValidBurnFields(operation);
  assertMovementAllowed(context, from, null);
  assertCanPay(context, sender, from, operation.amount, tx.fee);
  if (context.state.burned + operation.amount > MAX_U64) {
    throw new ShardpayError('SUPPLY_OVERFLOW', "the shard's burned counter would overflow");
  }
}

/** Whether `assertValidBurn` accepts the burn. */
export function isValidBurn(
  context: BlockContext,
  tx: Transaction,
  operation: BurnOperation,
  sender: Address,
): boolean {
  try {
    assertValidBurn(context, tx, operation, sender);
    return true;
  } catch (error) {
    if (isRefusal(error)) return false;
    throw error;
  }
}

/**
 * Applies a burn: the holder (`from`) pays the amount and the sender the fee; the amount leaves the
 * supply (the gateway pays out by the tx id).
 */
export function applyBurn(
  context: BlockContext,
  tx: Transaction,
  operation: BurnOperation,
  sender: Address,
  from: Address = sender,
): void {
  assertValidBurn(context, tx, operation, sender, from);
  chargeAccount(context, sender, from, operation.amount, tx.fee);
  context.state.addBurned(operation.amount);
}
