import { equalBytes, ShardpayError } from '@shardpay/crypto';
import type { Address, Hash, TimelockClaimOperation, Transaction } from '@shardpay/protocol';
import { timelockClaimSigningHash } from '@shardpay/protocol';
import { actingParty, assertValidAuthorizationShape, assertValidRecordId } from './authorizedParty.ts';
import { assertSufficientFunds, type BlockContext, chargeSender, creditRecipient } from './BlockContext.ts';
import { assertNotFrozen, assertNotPaused } from './movementGuards.ts';
import { readTimelock, type TimelockRecord, writeTimelock } from './records/timelockRecord.ts';

/** The time lock `timelockId` of this shard; TIMELOCK_NOT_FOUND if there is none. */
export function loadTimelock(context: BlockContext, timelockId: Hash): TimelockRecord {
  const record = readTimelock(context.state, timelockId);
  if (record === undefined) {
    throw new ShardpayError('TIMELOCK_NOT_FOUND', `no time lock with this id on shard ${context.shard}`);
  }
  return record;
}

/** TIMELOCK_STATE_INVALID unless the time lock still holds its coins. */
export function assertTimelockLocked(record: TimelockRecord): void {
  if (record.status !== 'locked') {
    throw new ShardpayError('TIMELOCK_STATE_INVALID', `the time lock is already ${record.status}`, {
      meta: { status: record.status },
    });
  }
}

/** Throws ENCODE_ERROR (timelockId) or AUTHORIZATION_INVALID (malformed) for a malformed claim. */
export function assertValidTimelockClaimFields(operation: TimelockClaimOperation): void {
  assertValidRecordId(operation.timelockId, 'timelockId');
  assertValidAuthorizationShape(operation.authorization);
}

/**
 * Throws unless the receiver can claim: the time lock exists (TIMELOCK_NOT_FOUND); the acting party —
 * the sender, or the signer of an authorization over timelockClaimSigningHash (AUTHORIZATION_INVALID) —
 * is its receiver (TIMELOCK_NOT_AUTHORIZED); it is locked (TIMELOCK_STATE_INVALID); this block's height
 * reached unlockHeight (TIMELOCK_LOCKED); the issuer's controls allow the movement (TOKEN_PAUSED,
 * ACCOUNT_FROZEN for a local receiver; a remote one is checked by its shard, which refunds the
 * creator); the sender holds the fee.
 */
export function assertValidTimelockClaim(
  context: BlockContext,
  tx: Transaction,
  operation: TimelockClaimOperation,
  sender: Address,
): TimelockRecord {
  assertValidTimelockClaimFields(operation);
  const record = loadTimelock(context, operation.timelockId);
  const party = actingParty(context, sender, operation.authorization, () =>
    timelockClaimSigningHash(context.config.chainId, operation.timelockId),
  );
  if (!equalBytes(party, record.to)) {
    throw new ShardpayError('TIMELOCK_NOT_AUTHORIZED', 'only the receiver may claim a time lock');
  }
  assertTimelockLocked(record);
  if (context.height < record.unlockHeight) {
    throw new ShardpayError('TIMELOCK_LOCKED', `the time lock opens at height ${record.unlockHeight}`, {
      meta: { unlockHeight: record.unlockHeight.toString(), height: context.height.toString() },
    });
  }
  assertNotPaused(context);
  assertNotFrozen(context, record.to, 'receiving');
  assertSufficientFunds(context, sender, tx.fee);
  return record;
}

/**
 * Claims a time lock: the sender pays the fee, the lock becomes 'claimed' and the receiver is credited
 * here or through a 'timelock_claim' receipt (from the creator, who gets a refused credit back).
 */
export function applyTimelockClaim(
  context: BlockContext,
  tx: Transaction,
  operation: TimelockClaimOperation,
  sender: Address,
  txId: Hash,
): void {
  const record = assertValidTimelockClaim(context, tx, operation, sender);
  chargeSender(context, sender, 0n, tx.fee);
  writeTimelock(context.state, operation.timelockId, { ...record, status: 'claimed' });
  creditRecipient(context, {
    txId,
    operation: 'timelock_claim',
    from: record.from,
    to: record.to,
    amount: record.amount,
    paymentId: '',
    memo: '',
  });
}
