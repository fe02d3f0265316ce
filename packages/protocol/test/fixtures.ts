/** Fixed keys and helpers shared by the signing, certificate and vector tests. */
import { addressFromPublicKey, publicKeyFromPrivateKey, sha256, utf8ToBytes } from '@shardpay/crypto';
import { BUCKET_COUNT, type Committee, type NetworkConfig } from '../src/index.ts';

/** A deterministic private key: sha256 of a label (never use such keys outside tests). */
export function testPrivateKey(label: string): Uint8Array {
  return sha256(utf8ToBytes(`shardpay test key: ${label}`));
}

export const validatorKeys = [0, 1, 2, 3].map((i) => testPrivateKey(`validator ${i}`));

/** A committee of the four test validators for `shard`. */
export function testCommittee(shard: number, keys: Uint8Array[] = validatorKeys): Committee {
  return {
    shard,
    validators: keys.map((key) => ({ publicKey: publicKeyFromPrivateKey(key), addresses: [] })),
  };
}

/** A valid two-shard devnet config: buckets 0..2047 on shard 0, the rest on shard 1. */
export function testNetworkConfig(): NetworkConfig {
  return {
    chainId: 'shardpay-test-1',
    addressPrefix: 'spd',
    shardCount: 2,
    bucketToShard: Array.from({ length: BUCKET_COUNT }, (_, bucket) => (bucket < BUCKET_COUNT / 2 ? 0 : 1)),
    committees: [
      testCommittee(0),
      testCommittee(
        1,
        [4, 5, 6, 7].map((i) => testPrivateKey(`validator ${i}`)),
      ),
    ],
    issuers: [addressFromPublicKey(publicKeyFromPrivateKey(testPrivateKey('issuer')))],
    flatFee: 1_000n,
    // First byte below 0x80: bucket below 2048, shard 0; at or above: shard 1.
    feeCollectors: [new Uint8Array(20).fill(0x11), new Uint8Array(20).fill(0xee)],
    initialBalances: [
      { address: new Uint8Array(20).fill(0x22), amount: 1_000_000_000n },
      { address: new Uint8Array(20).fill(0xdd), amount: 5_000_000n },
    ],
    genesisTimeMs: 1_767_225_600_000n,
  };
}
