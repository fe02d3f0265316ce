import { addressFromPublicKey, publicKeyFromPrivateKey, sha256, utf8ToBytes } from '@shardpay/crypto';
import { BUCKET_COUNT, type NetworkConfig, shardOfAddress } from '@shardpay/protocol';

/** A fixed test key: sha256('oracle test key: <label>'). Never a real key. */
export function testPrivateKey(label: string): Uint8Array {
  return sha256(utf8ToBytes(`oracle test key: ${label}`));
}

/** The first fixed test key (by label counter) whose address lives on `shard`. */
export function testKeyOnShard(config: NetworkConfig, shard: number, label: string): Uint8Array {
  for (let i = 0; ; i++) {
    const key = testPrivateKey(`${label}/${i}`);
    if (shardOfAddress(config, addressFromPublicKey(publicKeyFromPrivateKey(key))) === shard) return key;
  }
}

/** A valid 2-shard network config built from test keys (flat fee 0, like a devnet). */
export function createTestNetworkConfig(): NetworkConfig {
  const shardCount = 2;
  const bucketToShard = Array.from({ length: BUCKET_COUNT }, (_, bucket) =>
    Math.floor((bucket * shardCount) / BUCKET_COUNT),
  );
  const partial = { bucketToShard } as NetworkConfig;
  const addressOf = (key: Uint8Array) => addressFromPublicKey(publicKeyFromPrivateKey(key));
  return {
    chainId: 'shardpay-oracle-test',
    addressPrefix: 'spd',
    shardCount,
    bucketToShard,
    committees: [0, 1].map((shard) => ({
      shard,
      validators: [
        { publicKey: publicKeyFromPrivateKey(testPrivateKey(`validator ${shard}`)), addresses: [] },
      ],
    })),
    issuers: [addressOf(testPrivateKey('issuer'))],
    flatFee: 0n,
    feeCollectors: [0, 1].map((shard) => addressOf(testKeyOnShard(partial, shard, `fee collector ${shard}`))),
    initialBalances: [],
    genesisTimeMs: 1_700_000_000_000n,
  };
}
