import { compareBytes, ShardpayError, signHash } from '@shardpay/crypto';
import {
  type Address,
  MAX_U64,
  type MultisigInnerOperation,
  multisigAddress,
  multisigSigningHash,
  type NetworkConfig,
  type Signature,
  shardOfAddress,
  type Transaction,
} from '@shardpay/protocol';
import { assertAccount, type BuildCommonParameters, buildTransaction } from './buildTransaction.ts';
import {
  type PublicKeyInput,
  readAddressOrBytes,
  readPrivateKeyInput,
  readPublicKeyInput,
  readSmallCount,
} from './commerceInputs.ts';
import { type CounterInput, readAddressInput, readCounterInput } from './inputs.ts';

export interface BuildMultisigCreateParameters extends BuildCommonParameters {
  /** The owners' compressed public keys, in any order (sorted here); an owner's index is its sorted position. */
  owners: PublicKeyInput[];
  threshold: number;
  /** Picks the address; use `findMultisigSalt` for one on the creator's shard. */
  salt: CounterInput;
}

/** One owner's signature, as `signMultisig` returns it. */
export interface MultisigSignature {
  ownerIndex: number;
  signature: Signature;
}

export interface BuildMultisigExecuteParameters extends BuildCommonParameters {
  /** The multisig account (bech32m). */
  account: string;
  /** The account's next nonce (`getMultisig(account).nonce`). */
  accountNonce: CounterInput;
  operation: MultisigInnerOperation;
  /** At least `threshold` owners' signatures, in any order (sorted here by owner index). */
  signatures: MultisigSignature[];
}

export interface SignMultisigParameters {
  chainId: string;
  /** The multisig account, bech32m text or 20 bytes. */
  account: string | Address;
  accountNonce: CounterInput;
  operation: MultisigInnerOperation;
}

/** The owners strictly ascending bytewise (the order the chain requires); KEY_INVALID on a duplicate. */
export function sortMultisigOwners(owners: PublicKeyInput[]): Uint8Array[] {
  if (!Array.isArray(owners)) {
    throw new ShardpayError('KEY_INVALID', 'owners is a list of compressed public keys', {
      meta: { key: 'public', field: 'owners' },
    });
  }
  const keys = owners.map((owner, index) => readPublicKeyInput(owner, `owners[${index}]`)).sort(compareBytes);
  for (let i = 1; i < keys.length; i++) {
    if (compareBytes(keys[i - 1]!, keys[i]!) === 0) {
      throw new ShardpayError('KEY_INVALID', 'owners holds the same key twice', {
        meta: { key: 'public', field: 'owners', reason: 'duplicate' },
      });
    }
  }
  return keys;
}

/**
 * The first salt (from 0) whose multisig address, created by `creator`, lives on `shard` (a
 * multisig account is created on its creator's shard, so pass the creator's own).
 *
 * @example const salt = findMultisigSalt(network, creator.addressBytes, creator.shard)
 */
export function findMultisigSalt(network: NetworkConfig, creator: Address, shard: number): bigint {
  if (!Number.isSafeInteger(shard) || shard < 0 || shard >= network.shardCount) {
    throw new ShardpayError('SHARD_UNKNOWN', `shard ${shard} is not a shard of this network`, {
      meta: { shard, shards: network.shardCount },
    });
  }
  // Each salt lands on a given shard with probability of about its share of buckets: a few tries.
  for (let salt = 0n; salt <= MAX_U64; salt++) {
    if (shardOfAddress(network, multisigAddress(network.chainId, creator, salt)) === shard) return salt;
  }
  throw new ShardpayError('SHARD_UNKNOWN', `no salt puts a multisig address on shard ${shard}`, {
    meta: { shard },
  });
}

/**
 * A signed `multisig_create`: the account is `multisigAddress(chainId, from, salt)` on `from`'s
 * shard; `threshold` of `owners` sign each of its transactions.
 */
export function buildMultisigCreate(parameters: BuildMultisigCreateParameters): Transaction {
  const owners = sortMultisigOwners(parameters.owners);
  return buildTransaction({
    ...parameters,
    operation: {
      type: 'multisig_create',
      owners,
      threshold: readSmallCount(parameters.threshold, 'threshold', 1, Math.max(1, owners.length)),
      salt: readCounterInput(parameters.salt, 'salt', 'ENCODE_ERROR'),
    },
  });
}

/**
 * One owner's signature over what a multisig account is to do. `ownerIndex` is the owner's
 * position among the account's sorted owners (`getMultisig(account).owners`).
 */
export function signMultisig(
  parameters: SignMultisigParameters,
  privateKey: Uint8Array,
  ownerIndex: number,
): MultisigSignature {
  const account = readAddressOrBytes(parameters.account, 'account');
  const hash = multisigSigningHash(
    parameters.chainId,
    account,
    readCounterInput(parameters.accountNonce, 'accountNonce', 'ENCODE_ERROR'),
    parameters.operation,
  );
  return {
    ownerIndex: readSmallCount(ownerIndex, 'ownerIndex', 0, 255),
    signature: signHash(hash, readPrivateKeyInput(privateKey, 'privateKey')),
  };
}

/** A signed `multisig_execute`: `from` pays the fee, the account pays the operation's amount. */
export function buildMultisigExecute(parameters: BuildMultisigExecuteParameters): Transaction {
  assertAccount(parameters.from);
  if (!Array.isArray(parameters.signatures) || parameters.signatures.length === 0) {
    throw new ShardpayError('ENCODE_ERROR', 'signatures holds at least one owner signature', {
      meta: { field: 'signatures', reason: 'missing' },
    });
  }
  const signatures = [...parameters.signatures]
    .map((entry, index) => ({
      ownerIndex: readSmallCount(entry.ownerIndex, `signatures[${index}].ownerIndex`, 0, 255),
      signature: entry.signature,
    }))
    .sort((a, b) => a.ownerIndex - b.ownerIndex);
  return buildTransaction({
    ...parameters,
    operation: {
      type: 'multisig_execute',
      account: readAddressInput(parameters.account, 'account', parameters.from.network),
      accountNonce: readCounterInput(parameters.accountNonce, 'accountNonce', 'ENCODE_ERROR'),
      operation: parameters.operation,
      signatures,
    },
  });
}
