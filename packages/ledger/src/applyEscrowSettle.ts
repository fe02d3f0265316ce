import { ShardpayError } from '@shardpay/crypto';
import type { Address, EscrowSettleOperation, Hash, Transaction } from '@shardpay/protocol';
import { MAX_U64 } from '@shardpay/protocol';
import {
  assertValidEscrowActionFields,
  escrowParty,
  isParty,
  loadEscrow,
  notAuthorized,
  wrongState,
} from './applyEscrowAction.ts';
import { assertSufficientFunds, type BlockContext, chargeSender, creditRecipient } from './BlockContext.ts';
import { assertNotFrozen, assertNotPaused } from './movementGuards.ts';
import { type EscrowRecord, writeEscrow } from './records/escrowRecord.ts';

/** Throws ENCODE_ERROR, AUTHORIZATION_INVALID or ESCROW_SPLIT_INVALID (buyerAmount not a u64). */
export function assertValidEscrowSettleFields(operation: EscrowSettleOperation): void {
  assertValidEscrowActionFields(operation);
  const { buyerAmount } = operation;
  if (typeof buyerAmount !== 'bigint' || buyerAmount < 0n || buyerAmount > MAX_U64) {
    throw new ShardpayError('ESCROW_SPLIT_INVALID', 'buyerAmount must be a u64 number of minor units', {
      meta: { reason: 'out_of_range' },
    });
  }
}

/**
 * Throws unless the arbiter can settle: the escrow exists (ESCROW_NOT_FOUND) and names an arbiter
 * (ESCROW_NO_ARBITER); the acting party (AUTHORIZATION_INVALID, over the split) is that arbiter
 * (ESCROW_NOT_AUTHORIZED); it is disputed (ESCROW_STATE_INVALID); buyerAmount ≤ amount
 * (ESCROW_SPLIT_INVALID); the issuer's controls allow the movement (TOKEN_PAUSED; ACCOUNT_FROZEN for a
 * side that receives something and lives here); the sender holds the fee.
 */
export function assertValidEscrowSettle(
  context: BlockContext,
  tx: Transaction,
  operation: EscrowSettleOperation,
  sender: Address,
): EscrowRecord {
  assertValidEscrowSettleFields(operation);
  const record = loadEscrow(context, operation.escrowId);
  if (record.arbiter === null) {
    throw new ShardpayError('ESCROW_NO_ARBITER', 'an escrow without an arbiter cannot be settled');
  }
  const party = escrowParty(
    context,
    sender,
    operation.escrowId,
    'settle',
    operation.authorization,
    operation.buyerAmount,
  );
  if (!isParty(party, record.arbiter)) throw notAuthorized('settle', 'arbiter');
  if (record.status !== 'disputed') throw wrongState('settle', record);
  if (operation.buyerAmount > record.amount) {
    throw new ShardpayError('ESCROW_SPLIT_INVALID', 'buyerAmount exceeds the escrowed amount', {
      meta: { buyerAmount: operation.buyerAmount.toString(), amount: record.amount.toString() },
    });
  }
  assertNotPaused(context);
  if (operation.buyerAmount > 0n) assertNotFrozen(context, record.buyer, 'receiving');
  if (operation.buyerAmount < record.amount) assertNotFrozen(context, record.merchant, 'receiving');
  assertSufficientFunds(context, sender, tx.fee);
  return record;
}

/**
 * Settles a disputed escrow with the arbiter's split: the sender pays the fee, the escrow becomes
 * 'settled', the buyer is credited buyerAmount here and the merchant the rest, here or through an
 * 'escrow_settle' receipt (from the buyer, memo = orderId).
 */
export function applyEscrowSettle(
  context: BlockContext,
  tx: Transaction,
  operation: EscrowSettleOperation,
  sender: Address,
  txId: Hash,
): void {
  const record = assertValidEscrowSettle(context, tx, operation, sender);
  chargeSender(context, sender, 0n, tx.fee);
  writeEscrow(context.state, operation.escrowId, {
    ...record,
    status: 'settled',
    closedHeight: context.height,
  });
  if (operation.buyerAmount > 0n) context.state.credit(record.buyer, operation.buyerAmount);
  const merchantAmount = record.amount - operation.buyerAmount;
  if (merchantAmount > 0n) {
    creditRecipient(context, {
      txId,
      operation: 'escrow_settle',
      from: record.buyer,
      to: record.merchant,
      amount: merchantAmount,
      paymentId: '',
      memo: record.orderId,
    });
  }
}
