import {
  MAX_ADDRESS_PREFIX_BYTES,
  MAX_COMMITTEE_SIZE,
  MAX_INITIAL_BALANCES,
  MAX_ISSUERS,
  MAX_MULTIADDR_BYTES,
  MAX_SHARDS,
  MAX_VALIDATOR_ADDRESSES,
  PUBLIC_KEY_BYTES,
} from '../codec/limits.ts';
import { ADDRESS_PREFIX_PATTERN } from '../network.ts';
import type { Committee, NetworkConfig } from '../types.ts';
import { BUCKET_COUNT, MAX_CHAIN_ID_BYTES } from '../types.ts';
import { readOwners, readThreshold } from './commerceOperationJson.ts';
import {
  addressToJson,
  amountToJson,
  childPath,
  hexToJson,
  jsonInvalid,
  readAddress,
  readAmount,
  readArray,
  readHex,
  readInteger,
  readObject,
  readString,
  readU64String,
  u64ToJson,
} from './jsonFields.ts';

/** JSON form of a validator: its public key as hex and its libp2p multiaddrs. */
export interface ValidatorJson {
  publicKey: string;
  addresses: string[];
}

/** JSON form of a shard's committee. */
export interface CommitteeJson {
  shard: number;
  validators: ValidatorJson[];
}

/**
 * JSON form of a network config (a genesis file). Addresses are bech32m under the config's own
 * `addressPrefix`, amounts decimal strings, `genesisTimeMs` a decimal string.
 */
export interface NetworkConfigJson {
  chainId: string;
  addressPrefix: string;
  shardCount: number;
  bucketToShard: number[];
  committees: CommitteeJson[];
  issuers: string[];
  flatFee: string;
  feeCollectors: string[];
  initialBalances: Array<{ address: string; amount: string }>;
  genesisTimeMs: string;
  /** Present only when the network has an issuer control group; owners as hex, ascending. */
  issuerControl?: { owners: string[]; threshold: number };
}

const configKeys = [
  'chainId',
  'addressPrefix',
  'shardCount',
  'bucketToShard',
  'committees',
  'issuers',
  'flatFee',
  'feeCollectors',
  'initialBalances',
  'genesisTimeMs',
] as const;

/** The JSON form of a network config. */
export function networkConfigToJson(config: NetworkConfig): NetworkConfigJson {
  const prefix = config.addressPrefix;
  return {
    chainId: config.chainId,
    addressPrefix: prefix,
    shardCount: config.shardCount,
    bucketToShard: [...config.bucketToShard],
    committees: config.committees.map((committee) => ({
      shard: committee.shard,
      validators: committee.validators.map((validator) => ({
        publicKey: hexToJson(validator.publicKey),
        addresses: [...validator.addresses],
      })),
    })),
    issuers: config.issuers.map((issuer) => addressToJson(issuer, prefix)),
    flatFee: amountToJson(config.flatFee),
    feeCollectors: config.feeCollectors.map((collector) => addressToJson(collector, prefix)),
    initialBalances: config.initialBalances.map(({ address, amount }) => ({
      address: addressToJson(address, prefix),
      amount: amountToJson(amount),
    })),
    genesisTimeMs: u64ToJson(config.genesisTimeMs),
    ...(config.issuerControl === undefined
      ? {}
      : {
          issuerControl: {
            owners: config.issuerControl.owners.map(hexToJson),
            threshold: config.issuerControl.threshold,
          },
        }),
  };
}

function committeeFromJson(json: unknown, path: string): Committee {
  const o = readObject(json, path, ['shard', 'validators']);
  return {
    shard: readInteger(o.shard, childPath(path, 'shard'), 0, 0xffff),
    validators: readArray(o.validators, childPath(path, 'validators'), MAX_COMMITTEE_SIZE, (value, p) => {
      const validator = readObject(value, p, ['publicKey', 'addresses']);
      return {
        publicKey: readHex(validator.publicKey, childPath(p, 'publicKey'), PUBLIC_KEY_BYTES),
        addresses: readArray(
          validator.addresses,
          childPath(p, 'addresses'),
          MAX_VALIDATOR_ADDRESSES,
          (address, ap) => readString(address, ap, MAX_MULTIADDR_BYTES),
        ),
      };
    }),
  };
}

/**
 * Reads a network config's JSON form strictly; throws JSON_INVALID with `meta.path`. This checks
 * the form only: run `assertValidNetworkConfig` on the result before using it as a genesis.
 */
export function networkConfigFromJson(json: unknown, path = ''): NetworkConfig {
  // `issuerControl` is the one optional key: absent means the network has no control group.
  const hasGroup = typeof json === 'object' && json !== null && Object.hasOwn(json, 'issuerControl');
  const keys: ReadonlyArray<(typeof configKeys)[number] | 'issuerControl'> = hasGroup
    ? [...configKeys, 'issuerControl']
    : configKeys;
  const o = readObject(json, path, keys);
  const at = (key: string) => childPath(path, key);
  const prefix = readString(o.addressPrefix, at('addressPrefix'), MAX_ADDRESS_PREFIX_BYTES);
  if (!ADDRESS_PREFIX_PATTERN.test(prefix)) {
    throw jsonInvalid(at('addressPrefix'), 'invalid_value', '1 to 20 of a-z 0-9, starting with a letter');
  }
  const address = (value: unknown, p: string) => readAddress(value, p, prefix);
  return {
    chainId: readString(o.chainId, at('chainId'), MAX_CHAIN_ID_BYTES),
    addressPrefix: prefix,
    shardCount: readInteger(o.shardCount, at('shardCount'), 0, 0xffff),
    bucketToShard: readArray(o.bucketToShard, at('bucketToShard'), BUCKET_COUNT, (value, p) =>
      readInteger(value, p, 0, 0xffff),
    ),
    committees: readArray(o.committees, at('committees'), MAX_SHARDS, committeeFromJson),
    issuers: readArray(o.issuers, at('issuers'), MAX_ISSUERS, address),
    flatFee: readAmount(o.flatFee, at('flatFee')),
    feeCollectors: readArray(o.feeCollectors, at('feeCollectors'), MAX_SHARDS, address),
    initialBalances: readArray(o.initialBalances, at('initialBalances'), MAX_INITIAL_BALANCES, (value, p) => {
      const entry = readObject(value, p, ['address', 'amount']);
      return {
        address: address(entry.address, childPath(p, 'address')),
        amount: readAmount(entry.amount, childPath(p, 'amount')),
      };
    }),
    genesisTimeMs: readU64String(o.genesisTimeMs, at('genesisTimeMs')),
    ...(hasGroup ? { issuerControl: issuerControlFromJson(o.issuerControl, at('issuerControl')) } : {}),
  };
}

function issuerControlFromJson(json: unknown, path: string): NonNullable<NetworkConfig['issuerControl']> {
  const o = readObject(json, path, ['owners', 'threshold']);
  return {
    owners: readOwners(o.owners, childPath(path, 'owners')),
    threshold: readThreshold(o.threshold, childPath(path, 'threshold')),
  };
}
