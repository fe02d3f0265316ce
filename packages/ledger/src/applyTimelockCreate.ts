import { equalBytes, ShardpayError } from '@shardpay/crypto';
import type { Address, Hash, TimelockCreateOperation, Transaction } from '@shardpay/protocol';
import { MAX_U64 } from '@shardpay/protocol';
import { assertSufficientFunds, type BlockContext, chargeSender } from './BlockContext.ts';
import { assertValidAddress, assertValidAmount, assertValidMemo } from './fieldChecks.ts';
import { assertNotFrozen, assertNotPaused } from './movementGuards.ts';
import { writeTimelock } from './records/timelockRecord.ts';

/** Throws ADDRESS_INVALID, AMOUNT_INVALID, AMOUNT_TOO_LARGE, MEMO_TOO_LONG or UNLOCK_HEIGHT_INVALID (not a u64). */
export function assertValidTimelockCreateFields(operation: TimelockCreateOperation): void {
  assertValidAddress(operation.to, 'to');
  assertValidAmount(operation.amount);
  assertValidMemo(operation.memo);
  const { unlockHeight } = operation;
  if (typeof unlockHeight !== 'bigint' || unlockHeight < 0n || unlockHeight > MAX_U64) {
    throw new ShardpayError('UNLOCK_HEIGHT_INVALID', 'unlockHeight must be a u64 height', {
      meta: { reason: 'out_of_range' },
    });
  }
}

/**
 * Throws unless the sender can lock: well-formed; unlockHeight above this block's height
 * (UNLOCK_HEIGHT_INVALID); a receiver other than the sender (ADDRESS_INVALID); the issuer's controls
 * allow the movement (TOKEN_PAUSED, ACCOUNT_FROZEN for the sender; the receiver is checked when it
 * claims); amount + fee available (INSUFFICIENT_FUNDS).
 */
export function assertValidTimelockCreate(
  context: BlockContext,
  tx: Transaction,
  operation: TimelockCreateOperation,
  sender: Address,
): void {
  assertValidTimelockCreateFields(operation);
  if (operation.unlockHeight <= context.height) {
    throw new ShardpayError('UNLOCK_HEIGHT_INVALID', 'the unlock height must be above the block height', {
      meta: {
        reason: 'not_in_future',
        unlockHeight: operation.unlockHeight.toString(),
        height: context.height.toString(),
      },
    });
  }
  if (equalBytes(operation.to, sender)) {
    throw new ShardpayError('ADDRESS_INVALID', 'a time lock cannot be for its own creator', {
      meta: { field: 'to', reason: 'to_is_sender' },
    });
  }
  assertNotPaused(context);
  assertNotFrozen(context, sender, 'sending');
  assertSufficientFunds(context, sender, operation.amount + tx.fee);
}

/**
 * Locks amount on the sender's shard: debits amount + fee and writes the time lock ('locked') under this
 * transaction's id. The coins leave the sender's balance but stay in the shard's supply.
 */
export function applyTimelockCreate(
  context: BlockContext,
  tx: Transaction,
  operation: TimelockCreateOperation,
  sender: Address,
  txId: Hash,
): void {
  assertValidTimelockCreate(context, tx, operation, sender);
  chargeSender(context, sender, operation.amount, tx.fee);
  writeTimelock(context.state, txId, {
    from: sender.slice(),
    to: operation.to.slice(),
    amount: operation.amount,
    unlockHeight: operation.unlockHeight,
    status: 'locked',
    createdHeight: context.height,
  });
}
