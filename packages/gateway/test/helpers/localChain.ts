import { rmSync } from 'node:fs';
import type { DevnetGenesis } from '@shardpay/node';
import { createLocalNetwork, startLocalValidators, writeFaucetKeys } from '@shardpay/node/testing';
import type { NetworkConfig } from '@shardpay/protocol';
import { type ChainClient, createChainClient } from '../../src/chain/createChainClient.ts';

/** A real chain in this process: validators over libp2p on loopback, each serving JSON-RPC. */
export interface LocalChain {
  genesis: DevnetGenesis;
  network: NetworkConfig;
  /** Shard id → RPC URLs of its validators. */
  urls: Record<number, string[]>;
  /** A chain client over every validator (health checks not started). */
  client: ChainClient;
  /** A folder of `faucet-<shard>.json` key files, as a devnet writes them under `keys/`. */
  faucetKeysDir: string;
  stop(): Promise<void>;
}

/**
 * Starts `shards` × `validators` validators (fast consensus timeouts, LMDB in a temp folder) with
 * their RPC on free ports, and writes the faucet keys the way `openDevnet` does.
 */
export async function startLocalChain(shards = 2, validators = 1): Promise<LocalChain> {
  const local = await createLocalNetwork(shards, validators, { fast: true });
  const faucetKeysDir = writeFaucetKeys(local);
  const validatorsRunning = await startLocalValidators(local);
  const client = createChainClient({ shards: validatorsRunning.urls });
  return {
    genesis: local.genesis,
    network: local.genesis.config,
    urls: validatorsRunning.urls,
    client,
    faucetKeysDir,
    async stop() {
      client.stop();
      await validatorsRunning.stop();
      rmSync(local.dir, { recursive: true, force: true });
    },
  };
}
