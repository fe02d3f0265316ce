import { ShardpayError } from '@shardpay/crypto';
import type { Address, BurnOperation, Transaction } from '@shardpay/protocol';
import { MAX_U64 } from '@shardpay/protocol';
import { assertSufficientFunds, type BlockContext, chargeSender } from './BlockContext.ts';
import { assertValidAmount, assertValidReference } from './fieldChecks.ts';
import { isRefusal } from './isRefusal.ts';

/** Throws AMOUNT_INVALID, AMOUNT_TOO_LARGE or REFERENCE_INVALID for a malformed burn. */
export function assertValidBurnFields(operation: BurnOperation): void {
  assertValidAmount(operation.amount);
  assertValidReference(operation.payoutReference, 'payoutReference');
}

/** Throws unless the burn can be applied: the holder holds amount + fee (INSUFFICIENT_FUNDS). */
export function assertValidBurn(
  context: BlockContext,
  tx: Transaction,
  operation: BurnOperation,
  sender: Address,
): void {
  assertValidBurnFields(operation);
  assertSufficientFunds(context, sender, operation.amount + tx.fee);
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

/** Applies a burn: the holder pays amount + fee; the amount leaves the supply (the gateway pays out by the tx id). */
export function applyBurn(
  context: BlockContext,
  tx: Transaction,
  operation: BurnOperation,
  sender: Address,
): void {
  assertValidBurn(context, tx, operation, sender);
  chargeSender(context, sender, operation.amount, tx.fee);
  context.state.addBurned(operation.amount);
}
