import { ShardpayError } from '@shardpay/crypto';
import type { Address, EscrowRefundOperation, Transaction } from '@shardpay/protocol';
import {
  assertValidEscrowActionFields,
  escrowParty,
  isParty,
  loadEscrow,
  notAuthorized,
  wrongState,
} from './applyEscrowAction.ts';
import { assertSufficientFunds, type BlockContext, chargeSender } from './BlockContext.ts';
import { assertNotFrozen, assertNotPaused } from './movementGuards.ts';
import { type EscrowRecord, isEscrowHolding, writeEscrow } from './records/escrowRecord.ts';

/** Throws ENCODE_ERROR (escrowId) or AUTHORIZATION_INVALID (malformed) for a malformed refund. */
export function assertValidEscrowRefundFields(operation: EscrowRefundOperation): void {
  assertValidEscrowActionFields(operation);
}

/**
 * Throws unless the escrow can be refunded to its buyer: it exists (ESCROW_NOT_FOUND); the acting party
 * (AUTHORIZATION_INVALID) is the merchant while the escrow is open or disputed, or the buyer while it
 * is open and once the block time reached the deadline (ESCROW_DEADLINE_NOT_REACHED); anyone else gets
 * ESCROW_NOT_AUTHORIZED, any other status ESCROW_STATE_INVALID; the issuer's controls allow the
 * movement (TOKEN_PAUSED, ACCOUNT_FROZEN for the buyer); the sender holds the fee.
 */
export function assertValidEscrowRefund(
  context: BlockContext,
  tx: Transaction,
  operation: EscrowRefundOperation,
  sender: Address,
): EscrowRecord {
  assertValidEscrowRefundFields(operation);
  const record = loadEscrow(context, operation.escrowId);
  const party = escrowParty(context, sender, operation.escrowId, 'refund', operation.authorization);
  if (isParty(party, record.merchant)) {
    if (!isEscrowHolding(record)) throw wrongState('refund', record);
  } else if (isParty(party, record.buyer)) {
    if (record.status !== 'open') throw wrongState('refund', record);
    if (context.timestampMs < record.deadlineMs) {
      throw new ShardpayError(
        'ESCROW_DEADLINE_NOT_REACHED',
        'the buyer may take an escrow back only from its deadline on',
        {
          meta: { deadlineMs: record.deadlineMs.toString(), blockTimeMs: context.timestampMs.toString() },
        },
      );
    }
  } else {
    throw notAuthorized('refund', 'merchant (or, after the deadline, the buyer)');
  }
  assertNotPaused(context);
  assertNotFrozen(context, record.buyer, 'receiving');
  assertSufficientFunds(context, sender, tx.fee);
  return record;
}

/** Refunds an escrow: the sender pays the fee, the escrow becomes 'refunded', the buyer is credited here. */
export function applyEscrowRefund(
  context: BlockContext,
  tx: Transaction,
  operation: EscrowRefundOperation,
  sender: Address,
): void {
  const record = assertValidEscrowRefund(context, tx, operation, sender);
  chargeSender(context, sender, 0n, tx.fee);
  writeEscrow(context.state, operation.escrowId, {
    ...record,
    status: 'refunded',
    closedHeight: context.height,
  });
  context.state.credit(record.buyer, record.amount);
}
