import { bytesToHex, compareBytes, isValidPublicKey, ShardpayError } from '@shardpay/crypto';
import {
  ADDRESS_BYTES,
  MAX_COMMITTEE_SIZE,
  MAX_ISSUERS,
  MAX_MULTIADDR_BYTES,
  MAX_SHARDS,
  MAX_VALIDATOR_ADDRESSES,
} from './codec/limits.ts';
import { encodeNetworkConfig } from './codec/networkConfigCodec.ts';
import type { Address, Committee, NetworkConfig } from './types.ts';
import { BUCKET_COUNT, MAX_AMOUNT, MAX_CHAIN_ID_BYTES, MAX_MULTISIG_OWNERS, MAX_U64 } from './types.ts';

const utf8Encoder = new TextEncoder();
/** Chain ids are short, printable and unambiguous in logs and URLs ('shardpay-devnet-1'). */
const CHAIN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
/** bech32m prefixes: the rule of `@shardpay/crypto`'s encodeAddress ('sp', 'spd'). */
export const ADDRESS_PREFIX_PATTERN = /^[a-z][a-z0-9]{0,19}$/;

function isAddress(value: unknown): value is Address {
  return value instanceof Uint8Array && value.length === ADDRESS_BYTES;
}

/** The bucket (0..4095) of an address: its first 12 bits. */
export function bucketOfAddress(address: Address): number {
  if (!isAddress(address)) {
    throw new ShardpayError('ADDRESS_INVALID', 'an address is 20 bytes', {
      meta: { reason: 'wrong_length' },
    });
  }
  return ((address[0] ?? 0) << 4) | ((address[1] ?? 0) >> 4);
}

/** The home shard of an address under `config`'s bucket map. */
export function shardOfAddress(config: NetworkConfig, address: Address): number {
  const bucket = bucketOfAddress(address);
  const shard = config.bucketToShard[bucket];
  if (shard === undefined) {
    throw new ShardpayError('NETWORK_CONFIG_INVALID', `bucket ${bucket} has no shard`, {
      meta: { reason: 'invalid_bucket_map', bucket },
    });
  }
  return shard;
}

/** The committee of `shard`; throws SHARD_UNKNOWN for a shard the network does not have. */
export function committeeOf(config: NetworkConfig, shard: number): Committee {
  const indexed = config.committees[shard];
  const committee = indexed?.shard === shard ? indexed : config.committees.find((c) => c.shard === shard);
  if (committee === undefined || !Number.isInteger(shard) || shard < 0 || shard >= config.shardCount) {
    throw new ShardpayError('SHARD_UNKNOWN', `shard ${String(shard)} is not one of the network's shards`, {
      meta: { shard, shardCount: config.shardCount },
    });
  }
  return committee;
}

function assertCommitteeSize(n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new ShardpayError('NETWORK_CONFIG_INVALID', `a committee has at least one validator, got ${n}`, {
      meta: { reason: 'invalid_committee_size', n },
    });
  }
}

/** f: how many faulty validators a committee of n tolerates, floor((n-1)/3). */
export function faultTolerance(n: number): number {
  assertCommitteeSize(n);
  return Math.floor((n - 1) / 3);
}

/**
 * Votes needed for a quorum: more than two thirds of n, i.e. floor(2n/3)+1. For n = 3f+1 this
 * is 2f+1; for other n it is the smallest size at which any two quorums share an honest member
 * (2f+1 alone would not be: for n = 5, two sets of 3 may meet only in the one faulty validator).
 */
export function quorumSize(n: number): number {
  assertCommitteeSize(n);
  return Math.floor((2 * n) / 3) + 1;
}

/** The committee index of the proposer of (height, round): round robin by height + round. */
export function proposerIndex(height: bigint, round: number, n: number): number {
  assertCommitteeSize(n);
  if (typeof height !== 'bigint' || height < 0n || !Number.isInteger(round) || round < 0) {
    throw new ShardpayError('NETWORK_CONFIG_INVALID', 'height and round must be non-negative integers', {
      meta: { reason: 'invalid_height_or_round' },
    });
  }
  return Number((height + BigInt(round)) % BigInt(n));
}

function configInvalid(reason: string, field: string, message: string): ShardpayError {
  return new ShardpayError('NETWORK_CONFIG_INVALID', `${field}: ${message}`, { meta: { reason, field } });
}

function isU64(value: unknown): value is bigint {
  return typeof value === 'bigint' && value >= 0n && value <= MAX_U64;
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Throws NETWORK_CONFIG_INVALID (meta.reason, meta.field) unless `config` is a usable genesis. */
export function assertValidNetworkConfig(config: NetworkConfig): void {
  if (typeof config !== 'object' || config === null)
    throw configInvalid('not_object', 'config', 'not an object');
  const { chainId, addressPrefix, shardCount } = config;
  if (
    typeof chainId !== 'string' ||
    !CHAIN_ID_PATTERN.test(chainId) ||
    utf8Encoder.encode(chainId).length > MAX_CHAIN_ID_BYTES
  ) {
    throw configInvalid('invalid_chain_id', 'chainId', `1 to ${MAX_CHAIN_ID_BYTES} of A-Z a-z 0-9 . _ : -`);
  }
  if (typeof addressPrefix !== 'string' || !ADDRESS_PREFIX_PATTERN.test(addressPrefix)) {
    throw configInvalid(
      'invalid_address_prefix',
      'addressPrefix',
      '1 to 20 of a-z 0-9, starting with a letter',
    );
  }
  if (!isIntegerIn(shardCount, 1, MAX_SHARDS)) {
    throw configInvalid('invalid_shard_count', 'shardCount', `an integer in 1..${MAX_SHARDS}`);
  }

  if (!Array.isArray(config.bucketToShard) || config.bucketToShard.length !== BUCKET_COUNT) {
    throw configInvalid('invalid_bucket_map', 'bucketToShard', `exactly ${BUCKET_COUNT} entries`);
  }
  config.bucketToShard.forEach((shard, bucket) => {
    if (!isIntegerIn(shard, 0, shardCount - 1)) {
      throw configInvalid(
        'invalid_bucket_map',
        `bucketToShard[${bucket}]`,
        `a shard in 0..${shardCount - 1}`,
      );
    }
  });

  if (!Array.isArray(config.committees) || config.committees.length !== shardCount) {
    throw configInvalid('invalid_committee', 'committees', 'one committee per shard');
  }
  config.committees.forEach((committee, c) => {
    assertValidCommittee(committee, c);
  });

  if (!Array.isArray(config.issuers) || config.issuers.length === 0 || config.issuers.length > MAX_ISSUERS) {
    throw configInvalid('invalid_issuers', 'issuers', `1 to ${MAX_ISSUERS} issuer addresses`);
  }
  const issuerSet = new Set<string>();
  config.issuers.forEach((issuer, i) => {
    if (!isAddress(issuer)) throw configInvalid('invalid_issuers', `issuers[${i}]`, 'not a 20-byte address');
    const hex = bytesToHex(issuer);
    if (issuerSet.has(hex)) throw configInvalid('duplicate_issuer', `issuers[${i}]`, 'listed twice');
    issuerSet.add(hex);
  });
  if (config.issuerControl !== undefined) assertValidIssuerControl(config.issuerControl);

  if (!isU64(config.flatFee) || config.flatFee > MAX_AMOUNT) {
    throw configInvalid('invalid_fee', 'flatFee', 'an amount in minor units');
  }

  if (!Array.isArray(config.feeCollectors) || config.feeCollectors.length !== shardCount) {
    throw configInvalid('invalid_fee_collector', 'feeCollectors', 'one fee collector per shard');
  }
  config.feeCollectors.forEach((collector, shard) => {
    if (!isAddress(collector)) {
      throw configInvalid('invalid_fee_collector', `feeCollectors[${shard}]`, 'not a 20-byte address');
    }
    if (shardOfAddress(config, collector) !== shard) {
      throw configInvalid(
        'fee_collector_wrong_shard',
        `feeCollectors[${shard}]`,
        `does not live on shard ${shard}`,
      );
    }
  });

  if (!Array.isArray(config.initialBalances)) {
    throw configInvalid('invalid_initial_balance', 'initialBalances', 'not an array');
  }
  const funded = new Set<string>();
  let supply = 0n;
  config.initialBalances.forEach((entry, i) => {
    const field = `initialBalances[${i}]`;
    if (typeof entry !== 'object' || entry === null || !isAddress(entry.address)) {
      throw configInvalid('invalid_initial_balance', `${field}.address`, 'not a 20-byte address');
    }
    if (!isU64(entry.amount) || entry.amount === 0n || entry.amount > MAX_AMOUNT) {
      throw configInvalid('invalid_initial_balance', `${field}.amount`, 'an amount above zero');
    }
    const hex = bytesToHex(entry.address);
    if (funded.has(hex)) throw configInvalid('duplicate_initial_balance', `${field}.address`, 'listed twice');
    funded.add(hex);
    supply += entry.amount;
    if (supply > MAX_AMOUNT)
      throw configInvalid('supply_overflow', field, 'total supply exceeds the maximum');
  });

  if (!isU64(config.genesisTimeMs)) {
    throw configInvalid('invalid_genesis_time', 'genesisTimeMs', 'milliseconds since the epoch, a u64');
  }

  // Whatever the checks above missed, a genesis must have a canonical encoding (its hash).
  try {
    encodeNetworkConfig(config);
  } catch (error) {
    throw new ShardpayError('NETWORK_CONFIG_INVALID', 'the config has no canonical encoding', {
      meta: { reason: 'unencodable', field: 'config' },
      cause: error,
    });
  }
}

/** The issuer's control group: 1..MAX_MULTISIG_OWNERS valid keys, ascending and distinct, M of N. */
function assertValidIssuerControl(group: NonNullable<NetworkConfig['issuerControl']>): void {
  if (typeof group !== 'object' || group === null) {
    throw configInvalid('invalid_issuer_control', 'issuerControl', 'an object with owners and threshold');
  }
  const { owners, threshold } = group;
  if (!Array.isArray(owners) || owners.length === 0 || owners.length > MAX_MULTISIG_OWNERS) {
    throw configInvalid(
      'invalid_issuer_control',
      'issuerControl.owners',
      `1 to ${MAX_MULTISIG_OWNERS} public keys`,
    );
  }
  owners.forEach((owner, i) => {
    const field = `issuerControl.owners[${i}]`;
    if (!isValidPublicKeyValue(owner)) {
      throw configInvalid('invalid_issuer_control', field, 'not a valid compressed public key');
    }
    const previous = owners[i - 1];
    if (previous !== undefined && compareBytes(previous, owner) >= 0) {
      throw configInvalid('invalid_issuer_control', field, 'owners must be strictly ascending and distinct');
    }
  });
  if (!isIntegerIn(threshold, 1, owners.length)) {
    throw configInvalid(
      'invalid_issuer_control',
      'issuerControl.threshold',
      `an integer in 1..${owners.length}`,
    );
  }
}

function assertValidCommittee(committee: Committee, shard: number): void {
  const field = `committees[${shard}]`;
  if (typeof committee !== 'object' || committee === null || committee.shard !== shard) {
    throw configInvalid(
      'invalid_committee',
      `${field}.shard`,
      `committees are listed in shard order; expected ${shard}`,
    );
  }
  const { validators } = committee;
  if (!Array.isArray(validators) || validators.length === 0 || validators.length > MAX_COMMITTEE_SIZE) {
    throw configInvalid('invalid_committee', `${field}.validators`, `1 to ${MAX_COMMITTEE_SIZE} validators`);
  }
  const keys = new Set<string>();
  validators.forEach((validator, v) => {
    const validatorField = `${field}.validators[${v}]`;
    if (typeof validator !== 'object' || validator === null || !isValidPublicKeyValue(validator.publicKey)) {
      throw configInvalid(
        'invalid_validator',
        `${validatorField}.publicKey`,
        'not a compressed secp256k1 key',
      );
    }
    const hex = bytesToHex(validator.publicKey);
    if (keys.has(hex))
      throw configInvalid('duplicate_validator', `${validatorField}.publicKey`, 'listed twice');
    keys.add(hex);
    const { addresses } = validator;
    if (!Array.isArray(addresses) || addresses.length > MAX_VALIDATOR_ADDRESSES) {
      throw configInvalid(
        'invalid_validator',
        `${validatorField}.addresses`,
        `at most ${MAX_VALIDATOR_ADDRESSES}`,
      );
    }
    addresses.forEach((address, a) => {
      if (
        typeof address !== 'string' ||
        address.length === 0 ||
        !address.isWellFormed() ||
        utf8Encoder.encode(address).length > MAX_MULTIADDR_BYTES
      ) {
        throw configInvalid(
          'invalid_validator',
          `${validatorField}.addresses[${a}]`,
          'not a multiaddr string',
        );
      }
    });
  });
}

function isValidPublicKeyValue(value: unknown): value is Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== 33) return false;
  try {
    return isValidPublicKey(value);
  } catch {
    return false;
  }
}
