import { equalBytes, ShardpayError } from '@shardpay/crypto';
import type { Address, Authorization, Hash } from '@shardpay/protocol';
import { escrowActionSigningHash } from '@shardpay/protocol';
import { actingParty, assertValidAuthorizationShape, assertValidRecordId } from './authorizedParty.ts';
import type { BlockContext } from './BlockContext.ts';
import { type EscrowRecord, readEscrow } from './records/escrowRecord.ts';

/** What is done to an open escrow; each is signed under its own name (escrowActionSigningHash). */
export type EscrowAction = 'release' | 'refund' | 'dispute' | 'settle';

/** Throws ENCODE_ERROR (not a 32-byte id) or AUTHORIZATION_INVALID (malformed) for an escrow action. */
export function assertValidEscrowActionFields(operation: {
  escrowId: unknown;
  authorization: unknown;
}): void {
  assertValidRecordId(operation.escrowId, 'escrowId');
  assertValidAuthorizationShape(operation.authorization);
}

/** The escrow `escrowId` of this shard; ESCROW_NOT_FOUND if there is none. */
export function loadEscrow(context: BlockContext, escrowId: Hash): EscrowRecord {
  const record = readEscrow(context.state, escrowId);
  if (record === undefined) {
    throw new ShardpayError('ESCROW_NOT_FOUND', `no escrow with this id on shard ${context.shard}`);
  }
  return record;
}

/**
 * The party acting on an escrow (the sender, or the holder of a verified authorization over
 * escrowActionSigningHash(chainId, escrowId, action, buyerAmount), AUTHORIZATION_INVALID otherwise).
 */
export function escrowParty(
  context: BlockContext,
  sender: Address,
  escrowId: Hash,
  action: EscrowAction,
  authorization: Authorization | null,
  buyerAmount = 0n,
): Address {
  return actingParty(context, sender, authorization, () =>
    escrowActionSigningHash(context.config.chainId, escrowId, action, buyerAmount),
  );
}

/** Whether `party` is `address` (false for a role nobody holds). */
export function isParty(party: Address, address: Address | null): boolean {
  return address !== null && equalBytes(party, address);
}

/** ESCROW_NOT_AUTHORIZED: `party` may not do `action` to this escrow. */
export function notAuthorized(action: EscrowAction, allowed: string): ShardpayError {
  return new ShardpayError('ESCROW_NOT_AUTHORIZED', `only the ${allowed} may ${action} this escrow`, {
    meta: { action },
  });
}

/** ESCROW_STATE_INVALID: the escrow's status does not allow `action`. */
export function wrongState(action: EscrowAction, record: EscrowRecord): ShardpayError {
  return new ShardpayError('ESCROW_STATE_INVALID', `cannot ${action} an escrow that is ${record.status}`, {
    meta: { action, status: record.status },
  });
}
