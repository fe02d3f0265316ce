import { ShardpayError } from '@shardpay/crypto';
import type { Address, Authorization, Hash } from '@shardpay/protocol';
import { isAuthorizationValid } from '@shardpay/protocol';
import type { BlockContext } from './BlockContext.ts';

/**
 * Throws AUTHORIZATION_INVALID unless `authorization` is null or a 33-byte key with a 64-byte
 * signature (stateless; whether the signature verifies is `actingParty`'s business).
 */
export function assertValidAuthorizationShape(authorization: unknown): void {
  if (authorization === null) return;
  const candidate = authorization as Partial<Authorization> | undefined;
  if (
    typeof candidate !== 'object' ||
    !(candidate.publicKey instanceof Uint8Array) ||
    candidate.publicKey.length !== 33 ||
    !(candidate.signature instanceof Uint8Array) ||
    candidate.signature.length !== 64
  ) {
    throw new ShardpayError(
      'AUTHORIZATION_INVALID',
      'an authorization is a 33-byte key and a 64-byte signature',
      {
        meta: { reason: 'malformed' },
      },
    );
  }
}

/** Throws ENCODE_ERROR unless `id` is a 32-byte hash (an escrow's or time lock's id). */
export function assertValidRecordId(id: unknown, field: string): asserts id is Hash {
  if (!(id instanceof Uint8Array) || id.length !== 32) {
    throw new ShardpayError('ENCODE_ERROR', `${field} is not a 32-byte id`, {
      meta: { field, reason: 'wrong_length' },
    });
  }
}

/**
 * Who acts in an escrow or time lock action: the sender itself when `authorization` is null; otherwise
 * the authorization's key holder, whose signature over `signingHash` must verify (AUTHORIZATION_INVALID).
 * Parties who live on another shard act this way, through any fee payer of the record's shard.
 */
export function actingParty(
  context: BlockContext,
  sender: Address,
  authorization: Authorization | null,
  signingHash: () => Hash,
): Address {
  if (authorization === null) return sender;
  if (!isAuthorizationValid(authorization, signingHash())) {
    throw new ShardpayError('AUTHORIZATION_INVALID', 'the authorization signature does not verify');
  }
  return context.state.senderAddress(authorization.publicKey);
}
