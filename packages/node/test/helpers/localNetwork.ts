import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, encodeAddress } from '@shardpay/crypto';
import { networkConfigToJson } from '@shardpay/protocol';
import { createDevnetGenesis, type DevnetGenesis } from '../../src/genesis/createDevnetGenesis.ts';
import { defaultNodeSettings, type NodeConfig } from '../../src/NodeConfig.ts';

/** A free TCP port on loopback, chosen by the kernel. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface LocalNetwork {
  dir: string;
  genesis: DevnetGenesis;
  /** configs[shard][index] */
  configs: NodeConfig[][];
}

export interface LocalNetworkOptions {
  /** 'shardpay-test' when absent. */
  chainId?: string;
  /**
   * Halved consensus timeouts and a 200 ms idle block interval, for suites that wait on many blocks
   * (gateway and CLI tests with one validator per shard); a multi-validator network wants the defaults.
   */
  fast?: boolean;
}

const consensusTimeouts = {
  proposeBaseMs: 2000,
  proposeDeltaMs: 500,
  prevoteBaseMs: 1000,
  prevoteDeltaMs: 500,
  precommitBaseMs: 1000,
  precommitDeltaMs: 500,
};
const fastConsensusTimeouts = {
  proposeBaseMs: 1000,
  proposeDeltaMs: 500,
  prevoteBaseMs: 500,
  prevoteDeltaMs: 500,
  precommitBaseMs: 500,
  precommitDeltaMs: 500,
};

/** Writes genesis, keys and one config per validator into a temp dir, with free ports. */
export async function createLocalNetwork(
  shards: number,
  validators: number,
  options: LocalNetworkOptions = {},
): Promise<LocalNetwork> {
  const dir = mkdtempSync(join(tmpdir(), 'shardpay-net-'));
  const p2pPorts: number[][] = [];
  for (let s = 0; s < shards; s++) {
    p2pPorts.push([]);
    for (let v = 0; v < validators; v++) p2pPorts[s]!.push(await freePort());
  }
  const genesis = createDevnetGenesis({
    chainId: options.chainId ?? 'shardpay-test',
    shards,
    validatorsPerShard: validators,
    p2pPort: (shard, index) => p2pPorts[shard]![index]!,
    faucetBalance: '1000000',
    genesisTimeMs: BigInt(Date.now() - 1000),
  });
  const genesisPath = join(dir, 'genesis.json');
  writeFileSync(genesisPath, JSON.stringify(networkConfigToJson(genesis.config), null, 2));
  const configs: NodeConfig[][] = [];
  for (let s = 0; s < shards; s++) {
    configs.push([]);
    for (let v = 0; v < validators; v++) {
      const home = join(dir, `s${s}-v${v}`);
      mkdirSync(home, { recursive: true });
      const keyPath = join(home, 'key.json');
      writeFileSync(
        keyPath,
        JSON.stringify({ privateKey: bytesToHex(genesis.validators[s]![v]!.privateKey) }),
        {
          mode: 0o600,
        },
      );
      configs[s]!.push({
        genesisPath,
        keyPath,
        dataDir: join(home, 'data'),
        shard: s,
        validatorIndex: v,
        p2p: { listen: [`/ip4/127.0.0.1/tcp/${p2pPorts[s]![v]}`] },
        rpc: { host: '127.0.0.1', port: 0 },
        ...structuredClone(defaultNodeSettings),
        consensus: { ...(options.fast ? fastConsensusTimeouts : consensusTimeouts) },
        block: { ...defaultNodeSettings.block, idleIntervalMs: options.fast ? 200 : 300 },
      });
    }
  }
  return { dir, genesis, configs };
}

/**
 * Writes each shard's faucet key to `<dir>/keys/faucet-<shard>.json` the way a devnet does (the
 * gateway reads `privateKey`), and returns that folder.
 */
export function writeFaucetKeys(network: Pick<LocalNetwork, 'dir' | 'genesis'>): string {
  const keysDir = join(network.dir, 'keys');
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  const { genesis } = network;
  for (const [shard, key] of genesis.faucets.entries()) {
    writeFileSync(
      join(keysDir, `faucet-${shard}.json`),
      JSON.stringify({
        privateKey: bytesToHex(key.privateKey),
        publicKey: bytesToHex(key.publicKey),
        address: encodeAddress(key.address, genesis.config.addressPrefix),
        shard,
      }),
      { mode: 0o600 },
    );
  }
  return keysDir;
}
