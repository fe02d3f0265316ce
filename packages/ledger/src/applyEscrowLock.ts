import { equalBytes, ShardpayError } from '@shardpay/crypto';
import type { Address, EscrowLockOperation, Hash, Transaction } from '@shardpay/protocol';
import { MAX_U64 } from '@shardpay/protocol';
import { assertSufficientFunds, type BlockContext, chargeSender } from './BlockContext.ts';
import {
  assertValidAddress,
  assertValidAmount,
  assertValidMemo,
  assertValidReference,
} from './fieldChecks.ts';
import { assertMovementAllowed } from './movementGuards.ts';
import { writeEscrow } from './records/escrowRecord.ts';

/**
 * Throws ADDRESS_INVALID (merchant, arbiter, oracle), AMOUNT_INVALID, AMOUNT_TOO_LARGE,
 * REFERENCE_INVALID (orderId), MEMO_TOO_LONG or DEADLINE_INVALID (not a u64) for a malformed lock.
 */
export function assertValidEscrowLockFields(operation: EscrowLockOperation): void {
  assertValidAddress(operation.merchant, 'merchant');
  assertValidAmount(operation.amount);
  assertValidReference(operation.orderId, 'orderId');
  assertValidMemo(operation.memo);
  if (operation.arbiter !== null) assertValidAddress(operation.arbiter, 'arbiter');
  if (operation.oracle !== null) assertValidAddress(operation.oracle, 'oracle');
  const { deadlineMs } = operation;
  if (typeof deadlineMs !== 'bigint' || deadlineMs < 0n || deadlineMs > MAX_U64) {
    throw new ShardpayError('DEADLINE_INVALID', 'deadlineMs must be a u64 block time', {
      meta: { reason: 'out_of_range' },
    });
  }
}

/**
 * Throws unless the buyer (the sender) can lock: well-formed; the deadline after this block's time
 * (DEADLINE_INVALID); a merchant other than the buyer (ADDRESS_INVALID); the issuer's controls allow the
 * movement (TOKEN_PAUSED, ACCOUNT_FROZEN for the buyer or a local merchant); amount + fee available
 * (INSUFFICIENT_FUNDS).
 */
export function assertValidEscrowLock(
  context: BlockContext,
  tx: Transaction,
  operation: EscrowLockOperation,
  sender: Address,
): void {
  assertValidEscrowLockFields(operation);
  if (operation.deadlineMs <= context.timestampMs) {
    throw new ShardpayError('DEADLINE_INVALID', 'the deadline must be after the block time', {
      meta: {
        reason: 'not_in_future',
        deadlineMs: operation.deadlineMs.toString(),
        blockTimeMs: context.timestampMs.toString(),
      },
    });
  }
  if (equalBytes(operation.merchant, sender)) {
    throw new ShardpayError('ADDRESS_INVALID', 'the merchant of an escrow cannot be its buyer', {
      meta: { field: 'merchant', reason: 'merchant_is_buyer' },
    });
  }
  assertMovementAllowed(context, sender, operation.merchant);
  assertSufficientFunds(context, sender, operation.amount + tx.fee);
}

/**
 * Locks amount on the buyer's shard: debits amount + fee and writes the escrow (status 'open') under
 * this transaction's id. The coins leave the buyer's balance but stay in the shard's supply.
 */
export function applyEscrowLock(
  context: BlockContext,
  tx: Transaction,
  operation: EscrowLockOperation,
  sender: Address,
  txId: Hash,
): void {
  assertValidEscrowLock(context, tx, operation, sender);
  chargeSender(context, sender, operation.amount, tx.fee);
  writeEscrow(context.state, txId, {
    buyer: sender.slice(),
    merchant: operation.merchant.slice(),
    amount: operation.amount,
    orderId: operation.orderId,
    deadlineMs: operation.deadlineMs,
    arbiter: operation.arbiter?.slice() ?? null,
    oracle: operation.oracle?.slice() ?? null,
    status: 'open',
    lockedHeight: context.height,
    closedHeight: null,
  });
}
