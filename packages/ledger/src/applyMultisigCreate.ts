import { compareBytes, encodeAddress, isValidPublicKey, ShardpayError } from '@shardpay/crypto';
import type { Address, MultisigCreateOperation, PublicKey, Transaction } from '@shardpay/protocol';
import { MAX_MULTISIG_OWNERS, MAX_U64, multisigAddress } from '@shardpay/protocol';
import { assertSufficientFunds, type BlockContext, chargeSender, isLocalAddress } from './BlockContext.ts';
import { readMultisig, writeMultisig } from './records/multisigRecord.ts';

/**
 * Throws MULTISIG_OWNERS_INVALID unless `owners` are 1 to MAX_MULTISIG_OWNERS valid compressed public
 * keys in strictly ascending byte order (so a set has one encoding and no owner counts twice), and
 * MULTISIG_THRESHOLD_INVALID unless 1 ≤ threshold ≤ owners.length. Shared by create and update.
 */
export function assertValidMultisigOwners(
  owners: unknown,
  threshold: unknown,
): asserts owners is PublicKey[] {
  if (!Array.isArray(owners) || owners.length < 1 || owners.length > MAX_MULTISIG_OWNERS) {
    throw new ShardpayError('MULTISIG_OWNERS_INVALID', `a multisig has 1 to ${MAX_MULTISIG_OWNERS} owners`, {
      meta: { reason: 'count', count: Array.isArray(owners) ? owners.length : -1 },
    });
  }
  owners.forEach((owner: unknown, index) => {
    if (
      !(owner instanceof Uint8Array) ||
      owner.length !== 33 ||
      (owner[0] !== 2 && owner[0] !== 3) ||
      !isValidPublicKey(owner)
    ) {
      throw new ShardpayError('MULTISIG_OWNERS_INVALID', `owner ${index} is not a compressed public key`, {
        meta: { reason: 'key', index },
      });
    }
    if (index > 0 && compareBytes(owners[index - 1], owner) >= 0) {
      throw new ShardpayError('MULTISIG_OWNERS_INVALID', 'owners must be distinct, in ascending byte order', {
        meta: { reason: 'order', index },
      });
    }
  });
  if (
    typeof threshold !== 'number' ||
    !Number.isInteger(threshold) ||
    threshold < 1 ||
    threshold > owners.length
  ) {
    throw new ShardpayError('MULTISIG_THRESHOLD_INVALID', `the threshold must be 1 to ${owners.length}`, {
      meta: { threshold: String(threshold), owners: owners.length },
    });
  }
}

/** Throws MULTISIG_OWNERS_INVALID, MULTISIG_THRESHOLD_INVALID or ENCODE_ERROR (salt) for a malformed create. */
export function assertValidMultisigCreateFields(operation: MultisigCreateOperation): void {
  assertValidMultisigOwners(operation.owners, operation.threshold);
  if (typeof operation.salt !== 'bigint' || operation.salt < 0n || operation.salt > MAX_U64) {
    throw new ShardpayError('ENCODE_ERROR', 'the salt must be a u64', {
      meta: { field: 'operation.salt', reason: 'out_of_range' },
    });
  }
}

/**
 * Throws unless the multisig account can be created: well-formed, its address
 * multisigAddress(chainId, sender, salt) lives on this shard (MULTISIG_WRONG_SHARD: the client picks a
 * salt that lands here), no multisig exists there yet (MULTISIG_EXISTS; coins sent to the address
 * before are fine, they become the account's), and the sender holds the fee (INSUFFICIENT_FUNDS).
 * Returns the account's address.
 */
export function assertValidMultisigCreate(
  context: BlockContext,
  tx: Transaction,
  operation: MultisigCreateOperation,
  sender: Address,
): Address {
  assertValidMultisigCreateFields(operation);
  const account = multisigAddress(context.config.chainId, sender, operation.salt);
  const meta = { account: encodeAddress(account, context.config.addressPrefix) };
  if (!isLocalAddress(context, account)) {
    throw new ShardpayError(
      'MULTISIG_WRONG_SHARD',
      `the multisig address does not live on shard ${context.shard}`,
      {
        meta,
      },
    );
  }
  if (readMultisig(context.state, account) !== undefined) {
    throw new ShardpayError('MULTISIG_EXISTS', 'a multisig account already exists at this address', { meta });
  }
  assertSufficientFunds(context, sender, tx.fee);
  return account;
}

/** Creates the multisig account (nonce 0); the sender pays the fee. */
export function applyMultisigCreate(
  context: BlockContext,
  tx: Transaction,
  operation: MultisigCreateOperation,
  sender: Address,
): void {
  const account = assertValidMultisigCreate(context, tx, operation, sender);
  chargeSender(context, sender, 0n, tx.fee);
  writeMultisig(context.state, account, {
    owners: operation.owners.map((owner) => owner.slice()),
    threshold: operation.threshold,
    nonce: 0n,
  });
}
