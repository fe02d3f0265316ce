import type { Address, EscrowReleaseOperation, Hash, Transaction } from '@shardpay/protocol';
import {
  assertValidEscrowActionFields,
  escrowParty,
  isParty,
  loadEscrow,
  notAuthorized,
  wrongState,
} from './applyEscrowAction.ts';
import { assertSufficientFunds, type BlockContext, chargeSender, creditRecipient } from './BlockContext.ts';
import { assertMovementAllowed } from './movementGuards.ts';
import { type EscrowRecord, writeEscrow } from './records/escrowRecord.ts';

/** Throws ENCODE_ERROR (escrowId) or AUTHORIZATION_INVALID (malformed) for a malformed release. */
export function assertValidEscrowReleaseFields(operation: EscrowReleaseOperation): void {
  assertValidEscrowActionFields(operation);
}

/**
 * Throws unless the escrow can be released: it exists (ESCROW_NOT_FOUND); the acting party — the sender,
 * or an authorization's signer (AUTHORIZATION_INVALID) — is the buyer or the named oracle, whose
 * signature is the delivery attestation (ESCROW_NOT_AUTHORIZED); it is open (ESCROW_STATE_INVALID: a
 * disputed escrow only the arbiter settles); the issuer's controls allow the movement of the buyer's
 * coins (TOKEN_PAUSED, ACCOUNT_FROZEN for the buyer or a local merchant; the fee payer is not checked,
 * fees are not movements); the sender holds the fee (INSUFFICIENT_FUNDS).
 */
export function assertValidEscrowRelease(
  context: BlockContext,
  tx: Transaction,
  operation: EscrowReleaseOperation,
  sender: Address,
): EscrowRecord {
  assertValidEscrowReleaseFields(operation);
  const record = loadEscrow(context, operation.escrowId);
  const party = escrowParty(context, sender, operation.escrowId, 'release', operation.authorization);
  if (!isParty(party, record.buyer) && !isParty(party, record.oracle)) {
    throw notAuthorized('release', 'buyer or the oracle');
  }
  if (record.status !== 'open') throw wrongState('release', record);
  assertMovementAllowed(context, record.buyer, record.merchant);
  assertSufficientFunds(context, sender, tx.fee);
  return record;
}

/**
 * Releases an escrow to its merchant: the sender pays the fee, the escrow becomes 'released' and the
 * merchant is credited here or through an 'escrow_release' receipt (from the buyer, memo = orderId), so
 * a merchant's shard that refuses the credit (a frozen merchant) refunds the buyer.
 */
export function applyEscrowRelease(
  context: BlockContext,
  tx: Transaction,
  operation: EscrowReleaseOperation,
  sender: Address,
  txId: Hash,
): void {
  const record = assertValidEscrowRelease(context, tx, operation, sender);
  chargeSender(context, sender, 0n, tx.fee);
  writeEscrow(context.state, operation.escrowId, {
    ...record,
    status: 'released',
    closedHeight: context.height,
  });
  creditRecipient(context, {
    txId,
    operation: 'escrow_release',
    from: record.buyer,
    to: record.merchant,
    amount: record.amount,
    paymentId: '',
    memo: record.orderId,
  });
}
