import { ShardpayError } from '@shardpay/crypto';
import type { Hash, PublicKey, Signature } from '@shardpay/protocol';
import { isAuthorizationValid, MAX_MULTISIG_OWNERS } from '@shardpay/protocol';

/** One owner's signature in an M-of-N group: which owner (index into the group's owners) and its signature. */
export interface OwnerSignature {
  ownerIndex: number;
  signature: Signature;
}

/**
 * Throws AUTHORIZATION_INVALID unless `signatures` is a list of at most MAX_MULTISIG_OWNERS entries with
 * integer owner indices in strictly ascending order (so no owner counts twice) and 64-byte signatures:
 * the stateless part of the check, done with a transaction's shape (the codec refuses the rest anyway).
 */
export function assertValidSignatureList(signatures: unknown): asserts signatures is OwnerSignature[] {
  if (!Array.isArray(signatures) || signatures.length > MAX_MULTISIG_OWNERS) {
    throw new ShardpayError(
      'AUTHORIZATION_INVALID',
      `signatures must be a list of at most ${MAX_MULTISIG_OWNERS}`,
      {
        meta: { reason: 'malformed' },
      },
    );
  }
  let previous = -1;
  for (const entry of signatures) {
    const index = entry?.ownerIndex;
    if (!Number.isInteger(index) || index <= previous || index >= MAX_MULTISIG_OWNERS) {
      throw new ShardpayError(
        'AUTHORIZATION_INVALID',
        'signatures must name distinct owners in ascending ownerIndex order',
        { meta: { reason: 'owner_index', ownerIndex: String(index) } },
      );
    }
    if (!(entry.signature instanceof Uint8Array) || entry.signature.length !== 64) {
      throw new ShardpayError('AUTHORIZATION_INVALID', `the signature of owner ${index} is malformed`, {
        meta: { reason: 'malformed', ownerIndex: index },
      });
    }
    previous = index;
  }
}

/**
 * Throws unless `signatures` prove that at least `threshold` distinct owners signed `hash`: each names
 * an owner (ownerIndex < owners.length) in strictly ascending order, so no owner counts twice
 * (AUTHORIZATION_INVALID otherwise); fewer than `threshold` → MULTISIG_SIGNATURES_INSUFFICIENT (checked
 * before any verification, it is free); every one must verify with its owner's key
 * (AUTHORIZATION_INVALID: a bad signature is refused rather than skipped, so a submitter cannot pad a
 * set with garbage). Used by multisig accounts and the issuer's control group alike.
 */
export function assertThresholdSignatures(
  owners: readonly PublicKey[],
  threshold: number,
  signatures: readonly OwnerSignature[],
  hash: Hash,
): void {
  assertValidSignatureList(signatures);
  const last = signatures.at(-1);
  if (last !== undefined && last.ownerIndex >= owners.length) {
    throw new ShardpayError('AUTHORIZATION_INVALID', `owner ${last.ownerIndex} does not exist`, {
      meta: { reason: 'owner_index', ownerIndex: last.ownerIndex, owners: owners.length },
    });
  }
  if (signatures.length < threshold) {
    throw new ShardpayError(
      'MULTISIG_SIGNATURES_INSUFFICIENT',
      `${signatures.length} signature(s), ${threshold} required`,
      { meta: { signatures: signatures.length, threshold } },
    );
  }
  for (const { ownerIndex, signature } of signatures) {
    if (!isAuthorizationValid({ publicKey: owners[ownerIndex]!, signature }, hash)) {
      throw new ShardpayError(
        'AUTHORIZATION_INVALID',
        `the signature of owner ${ownerIndex} does not verify`,
        {
          meta: { reason: 'signature', ownerIndex },
        },
      );
    }
  }
}
