import { ShardpayError } from '@shardpay/crypto';
import type { Address, EscrowDisputeOperation, Transaction } from '@shardpay/protocol';
import {
  assertValidEscrowActionFields,
  escrowParty,
  isParty,
  loadEscrow,
  notAuthorized,
  wrongState,
} from './applyEscrowAction.ts';
import { assertSufficientFunds, type BlockContext, chargeSender } from './BlockContext.ts';
import { type EscrowRecord, writeEscrow } from './records/escrowRecord.ts';

/** Throws ENCODE_ERROR (escrowId) or AUTHORIZATION_INVALID (malformed) for a malformed dispute. */
export function assertValidEscrowDisputeFields(operation: EscrowDisputeOperation): void {
  assertValidEscrowActionFields(operation);
}

/**
 * Throws unless the escrow can be disputed: it exists (ESCROW_NOT_FOUND); the acting party
 * (AUTHORIZATION_INVALID) is the buyer or the merchant (ESCROW_NOT_AUTHORIZED); an arbiter is named
 * (ESCROW_NO_ARBITER); it is open (ESCROW_STATE_INVALID); the sender holds the fee. A dispute moves no
 * coins, so the issuer's pause and freezes do not stop it.
 */
export function assertValidEscrowDispute(
  context: BlockContext,
  tx: Transaction,
  operation: EscrowDisputeOperation,
  sender: Address,
): EscrowRecord {
  assertValidEscrowDisputeFields(operation);
  const record = loadEscrow(context, operation.escrowId);
  const party = escrowParty(context, sender, operation.escrowId, 'dispute', operation.authorization);
  if (!isParty(party, record.buyer) && !isParty(party, record.merchant)) {
    throw notAuthorized('dispute', 'buyer or the merchant');
  }
  if (record.arbiter === null) {
    throw new ShardpayError('ESCROW_NO_ARBITER', 'an escrow without an arbiter cannot be disputed');
  }
  if (record.status !== 'open') throw wrongState('dispute', record);
  assertSufficientFunds(context, sender, tx.fee);
  return record;
}

/** Disputes an escrow: the sender pays the fee; from now on only the arbiter moves the coins (a settle). */
export function applyEscrowDispute(
  context: BlockContext,
  tx: Transaction,
  operation: EscrowDisputeOperation,
  sender: Address,
): void {
  const record = assertValidEscrowDispute(context, tx, operation, sender);
  chargeSender(context, sender, 0n, tx.fee);
  writeEscrow(context.state, operation.escrowId, { ...record, status: 'disputed' });
}
