import { equalBytes, ShardpayError } from '@shardpay/crypto';
import type { Address, TimelockCancelOperation, Transaction } from '@shardpay/protocol';
import { assertTimelockLocked, loadTimelock } from './applyTimelockClaim.ts';
import { assertValidRecordId } from './authorizedParty.ts';
import { assertSufficientFunds, type BlockContext, chargeSender } from './BlockContext.ts';
import { assertNotFrozen, assertNotPaused } from './movementGuards.ts';
import { type TimelockRecord, writeTimelock } from './records/timelockRecord.ts';

/** Throws ENCODE_ERROR for a malformed time lock id. */
export function assertValidTimelockCancelFields(operation: TimelockCancelOperation): void {
  assertValidRecordId(operation.timelockId, 'timelockId');
}

/**
 * Throws unless the creator can cancel: the time lock exists (TIMELOCK_NOT_FOUND); the sender created it
 * (TIMELOCK_NOT_AUTHORIZED); it is locked (TIMELOCK_STATE_INVALID); this block is below unlockHeight
 * (TIMELOCK_UNLOCKED: from then on only the receiver's claim moves it); the issuer's controls allow the
 * movement back (TOKEN_PAUSED, ACCOUNT_FROZEN for a frozen creator); the sender holds the fee.
 */
export function assertValidTimelockCancel(
  context: BlockContext,
  tx: Transaction,
  operation: TimelockCancelOperation,
  sender: Address,
): TimelockRecord {
  assertValidTimelockCancelFields(operation);
  const record = loadTimelock(context, operation.timelockId);
  if (!equalBytes(sender, record.from)) {
    throw new ShardpayError('TIMELOCK_NOT_AUTHORIZED', 'only the creator may cancel a time lock');
  }
  assertTimelockLocked(record);
  if (context.height >= record.unlockHeight) {
    throw new ShardpayError(
      'TIMELOCK_UNLOCKED',
      `the time lock opened at height ${record.unlockHeight}: only its receiver may take it`,
      { meta: { unlockHeight: record.unlockHeight.toString(), height: context.height.toString() } },
    );
  }
  assertNotPaused(context);
  assertNotFrozen(context, record.from, 'receiving');
  assertSufficientFunds(context, sender, tx.fee);
  return record;
}

/** Cancels a time lock: the creator pays the fee and gets the amount back; the lock becomes 'cancelled'. */
export function applyTimelockCancel(
  context: BlockContext,
  tx: Transaction,
  operation: TimelockCancelOperation,
  sender: Address,
): void {
  const record = assertValidTimelockCancel(context, tx, operation, sender);
  chargeSender(context, sender, 0n, tx.fee);
  writeTimelock(context.state, operation.timelockId, { ...record, status: 'cancelled' });
  context.state.credit(record.from, record.amount);
}
