import {
  addressFromPublicKey,
  compareBytes,
  generatePrivateKey,
  publicKeyFromPrivateKey,
} from '@shardpay/crypto';
import {
  type Address,
  assertValidNetworkConfig,
  BUCKET_COUNT,
  type NetworkConfig,
  parseAmount,
  shardOfAddress,
} from '@shardpay/protocol';

export interface DevnetGenesisOptions {
  chainId: string;
  shards: number;
  validatorsPerShard: number;
  /** libp2p TCP port of validator k (k = shard × validatorsPerShard + index). */
  p2pPort(shard: number, index: number): number;
  /** Devnet faucet funds per shard, in dollars. */
  faucetBalance: string;
  genesisTimeMs: bigint;
  /** More accounts funded at genesis (e.g. a benchmark's senders), after the faucets; minor units. */
  extraBalances?: ReadonlyArray<{ address: Address; amount: bigint }>;
}

/** A key held by the devnet operator, with its address and home shard. */
export interface DevnetKey {
  privateKey: Uint8Array;
  publicKey: Uint8Array;
  address: Uint8Array;
  shard: number;
}

export interface DevnetGenesis {
  config: NetworkConfig;
  /** validators[shard][index] */
  validators: DevnetKey[][];
  issuer: DevnetKey;
  /** One faucet account per shard, funded at genesis. */
  faucets: DevnetKey[];
  /** Fee collectors, one per shard (fees are 0 on a devnet, but the accounts exist). */
  feeCollectors: DevnetKey[];
  /**
   * The issuer's control group (pause, freeze): any DEVNET_ISSUER_CONTROL_THRESHOLD of these keys
   * sign an `issuer_control`. Sorted by public key, so index i is owner index i.
   */
  issuerControl: DevnetKey[];
}

/** A devnet's issuer control group is 2 of 3, so tests exercise a real threshold. */
export const DEVNET_ISSUER_CONTROL_OWNERS = 3;
export const DEVNET_ISSUER_CONTROL_THRESHOLD = 2;

/** Contiguous bucket ranges: shard s holds buckets [s·4096/S, (s+1)·4096/S). */
export function contiguousBucketMap(shards: number): number[] {
  return Array.from({ length: BUCKET_COUNT }, (_, bucket) => Math.floor((bucket * shards) / BUCKET_COUNT));
}

function keyOn(bucketToShard: number[], wantShard: number | undefined): DevnetKey {
  const partial = { bucketToShard } as NetworkConfig;
  for (;;) {
    const privateKey = generatePrivateKey();
    const publicKey = publicKeyFromPrivateKey(privateKey);
    const address = addressFromPublicKey(publicKey);
    const shard = shardOfAddress(partial, address);
    if (wantShard === undefined || shard === wantShard) return { privateKey, publicKey, address, shard };
  }
}

/** Generates the keys and the network config of a fresh devnet (all validators on loopback). */
export function createDevnetGenesis(options: DevnetGenesisOptions): DevnetGenesis {
  const bucketToShard = contiguousBucketMap(options.shards);
  const shardIds = Array.from({ length: options.shards }, (_, shard) => shard);
  const validators = shardIds.map(() =>
    Array.from({ length: options.validatorsPerShard }, () => keyOn(bucketToShard, undefined)),
  );
  const issuer = keyOn(bucketToShard, undefined);
  const faucets = shardIds.map((shard) => keyOn(bucketToShard, shard));
  const feeCollectors = shardIds.map((shard) => keyOn(bucketToShard, shard));
  const issuerControl = Array.from({ length: DEVNET_ISSUER_CONTROL_OWNERS }, () =>
    keyOn(bucketToShard, undefined),
  ).sort((a, b) => compareBytes(a.publicKey, b.publicKey));
  const faucetBalance = parseAmount(options.faucetBalance);
  const config: NetworkConfig = {
    chainId: options.chainId,
    addressPrefix: 'spd',
    shardCount: options.shards,
    bucketToShard,
    committees: shardIds.map((shard) => ({
      shard,
      validators: validators[shard]!.map((key, index) => ({
        publicKey: key.publicKey,
        addresses: [`/ip4/127.0.0.1/tcp/${options.p2pPort(shard, index)}`],
      })),
    })),
    issuers: [issuer.address],
    issuerControl: {
      owners: issuerControl.map((key) => key.publicKey),
      threshold: DEVNET_ISSUER_CONTROL_THRESHOLD,
    },
    flatFee: 0n,
    feeCollectors: feeCollectors.map((key) => key.address),
    initialBalances: [
      ...faucets.map((key) => ({ address: key.address, amount: faucetBalance })),
      ...(options.extraBalances ?? []).map(({ address, amount }) => ({ address, amount })),
    ],
    genesisTimeMs: options.genesisTimeMs,
  };
  assertValidNetworkConfig(config);
  return { config, validators, issuer, faucets, feeCollectors, issuerControl };
}
