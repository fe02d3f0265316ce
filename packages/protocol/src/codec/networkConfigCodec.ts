import type { Committee, NetworkConfig } from '../types.ts';
import { BUCKET_COUNT } from '../types.ts';
import { readOwners, readThreshold, writeOwners, writeThreshold } from './authorizationFields.ts';
import type { ByteReader } from './ByteReader.ts';
import type { ByteWriter } from './ByteWriter.ts';
import {
  readAddress,
  readChainId,
  readPublicKey,
  writeAddress,
  writeChainId,
  writePublicKey,
} from './fields.ts';
import {
  ADDRESS_BYTES,
  MAX_ADDRESS_PREFIX_BYTES,
  MAX_COMMITTEE_SIZE,
  MAX_INITIAL_BALANCES,
  MAX_ISSUERS,
  MAX_MULTIADDR_BYTES,
  MAX_SHARDS,
  MAX_VALIDATOR_ADDRESSES,
  PUBLIC_KEY_BYTES,
} from './limits.ts';
import { ObjectKind } from './objectKind.ts';
import { decodeTopLevel, encodeTopLevel } from './topLevel.ts';

// Smallest encodings, for the count sanity check: a committee is shard u16 + count u32; a
// validator is a public key + count u32.
const MIN_COMMITTEE_BYTES = 2 + 4;
const MIN_VALIDATOR_BYTES = PUBLIC_KEY_BYTES + 4;

function writeCommittee(writer: ByteWriter, committee: Committee, field: string): void {
  writer.u16(committee.shard, `${field}.shard`);
  writer.count(committee.validators, MAX_COMMITTEE_SIZE, `${field}.validators`);
  committee.validators.forEach((validator, v) => {
    const validatorField = `${field}.validators[${v}]`;
    writePublicKey(writer, validator.publicKey, `${validatorField}.publicKey`);
    writer.count(validator.addresses, MAX_VALIDATOR_ADDRESSES, `${validatorField}.addresses`);
    validator.addresses.forEach((address, a) => {
      writer.string(address, MAX_MULTIADDR_BYTES, `${validatorField}.addresses[${a}]`);
    });
  });
}

function readCommittee(reader: ByteReader): Committee {
  const shard = reader.u16();
  const validatorCount = reader.count(MAX_COMMITTEE_SIZE, MIN_VALIDATOR_BYTES);
  const validators: Committee['validators'] = [];
  for (let v = 0; v < validatorCount; v++) {
    const publicKey = readPublicKey(reader);
    const addressCount = reader.count(MAX_VALIDATOR_ADDRESSES, 2);
    const addresses: string[] = [];
    for (let a = 0; a < addressCount; a++) addresses.push(reader.string(MAX_MULTIADDR_BYTES));
    validators.push({ publicKey, addresses });
  }
  return { shard, validators };
}

export function writeNetworkConfig(writer: ByteWriter, config: NetworkConfig): void {
  writeChainId(writer, config.chainId);
  writer.string(config.addressPrefix, MAX_ADDRESS_PREFIX_BYTES, 'addressPrefix');
  writer.u16(config.shardCount, 'shardCount');
  writer.count(config.bucketToShard, BUCKET_COUNT, 'bucketToShard');
  config.bucketToShard.forEach((shard, b) => {
    writer.u16(shard, `bucketToShard[${b}]`);
  });
  writer.count(config.committees, MAX_SHARDS, 'committees');
  config.committees.forEach((committee, c) => {
    writeCommittee(writer, committee, `committees[${c}]`);
  });
  writer.count(config.issuers, MAX_ISSUERS, 'issuers');
  config.issuers.forEach((issuer, i) => {
    writeAddress(writer, issuer, `issuers[${i}]`);
  });
  writer.u64(config.flatFee, 'flatFee');
  writer.count(config.feeCollectors, MAX_SHARDS, 'feeCollectors');
  config.feeCollectors.forEach((collector, i) => {
    writeAddress(writer, collector, `feeCollectors[${i}]`);
  });
  writer.count(config.initialBalances, MAX_INITIAL_BALANCES, 'initialBalances');
  config.initialBalances.forEach((entry, i) => {
    writeAddress(writer, entry.address, `initialBalances[${i}].address`);
    writer.u64(entry.amount, `initialBalances[${i}].amount`);
  });
  writer.u64(config.genesisTimeMs, 'genesisTimeMs');
  // Appended last (u8 0 when absent) so the older fields keep their offsets.
  const { issuerControl } = config;
  writer.presence(issuerControl !== undefined, 'issuerControl');
  if (issuerControl !== undefined) {
    writeOwners(writer, issuerControl.owners, 'issuerControl.owners');
    writeThreshold(writer, issuerControl.threshold, 'issuerControl.threshold');
  }
}

export function readNetworkConfig(reader: ByteReader): NetworkConfig {
  const chainId = readChainId(reader);
  const addressPrefix = reader.string(MAX_ADDRESS_PREFIX_BYTES);
  const shardCount = reader.u16();
  const bucketCount = reader.count(BUCKET_COUNT, 2);
  const bucketToShard: number[] = [];
  for (let b = 0; b < bucketCount; b++) bucketToShard.push(reader.u16());
  const committeeCount = reader.count(MAX_SHARDS, MIN_COMMITTEE_BYTES);
  const committees: Committee[] = [];
  for (let c = 0; c < committeeCount; c++) committees.push(readCommittee(reader));
  const issuerCount = reader.count(MAX_ISSUERS, ADDRESS_BYTES);
  const issuers: Uint8Array[] = [];
  for (let i = 0; i < issuerCount; i++) issuers.push(readAddress(reader));
  const flatFee = reader.u64();
  const collectorCount = reader.count(MAX_SHARDS, ADDRESS_BYTES);
  const feeCollectors: Uint8Array[] = [];
  for (let i = 0; i < collectorCount; i++) feeCollectors.push(readAddress(reader));
  const balanceCount = reader.count(MAX_INITIAL_BALANCES, ADDRESS_BYTES + 8);
  const initialBalances: NetworkConfig['initialBalances'] = [];
  for (let i = 0; i < balanceCount; i++) {
    const address = readAddress(reader);
    const amount = reader.u64();
    initialBalances.push({ address, amount });
  }
  const genesisTimeMs = reader.u64();
  let issuerControl: NetworkConfig['issuerControl'];
  if (reader.presence()) {
    const owners = readOwners(reader);
    const threshold = readThreshold(reader);
    issuerControl = { owners, threshold };
  }
  return {
    chainId,
    addressPrefix,
    shardCount,
    bucketToShard,
    committees,
    issuers,
    flatFee,
    feeCollectors,
    initialBalances,
    genesisTimeMs,
    ...(issuerControl === undefined ? {} : { issuerControl }),
  };
}

/** Canonical bytes of a network configuration (kind 0x0c); the genesis hash is their sha256. */
export function encodeNetworkConfig(config: NetworkConfig): Uint8Array {
  return encodeTopLevel(ObjectKind.networkConfig, config, writeNetworkConfig);
}

/** Decodes `encodeNetworkConfig` bytes; throws DECODE_ERROR on anything non-canonical. */
export function decodeNetworkConfig(bytes: Uint8Array): NetworkConfig {
  return decodeTopLevel(bytes, ObjectKind.networkConfig, 'network config', readNetworkConfig);
}
