import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, encodeAddress } from '@shardpay/crypto';
import {
  createDevnetGenesis,
  createNodeRpcServer,
  createValidatorNode,
  type DevnetGenesis,
  defaultNodeSettings,
  type NodeConfig,
} from '@shardpay/node';
import { type NetworkConfig, networkConfigToJson } from '@shardpay/protocol';
import { type ChainClient, createChainClient } from '../../src/chain/createChainClient.ts';

/** A free TCP port on loopback, chosen by the kernel. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

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
  const dir = mkdtempSync(join(tmpdir(), 'shardpay-gw-chain-'));
  const p2pPorts: number[][] = [];
  for (let s = 0; s < shards; s++) {
    p2pPorts.push([]);
    for (let v = 0; v < validators; v++) p2pPorts[s]!.push(await freePort());
  }
  const genesis = createDevnetGenesis({
    chainId: 'shardpay-test',
    shards,
    validatorsPerShard: validators,
    p2pPort: (shard, index) => p2pPorts[shard]![index]!,
    faucetBalance: '1000000',
    genesisTimeMs: BigInt(Date.now() - 1000),
  });
  const genesisPath = join(dir, 'genesis.json');
  writeFileSync(genesisPath, JSON.stringify(networkConfigToJson(genesis.config)));
  const faucetKeysDir = join(dir, 'keys');
  mkdirSync(faucetKeysDir);
  for (const [shard, key] of genesis.faucets.entries()) {
    writeFileSync(
      join(faucetKeysDir, `faucet-${shard}.json`),
      JSON.stringify({
        privateKey: bytesToHex(key.privateKey),
        publicKey: bytesToHex(key.publicKey),
        address: encodeAddress(key.address, genesis.config.addressPrefix),
        shard,
      }),
      { mode: 0o600 },
    );
  }
  const nodes: Array<Awaited<ReturnType<typeof createValidatorNode>>> = [];
  const servers: Array<ReturnType<typeof createNodeRpcServer>> = [];
  const urls: Record<number, string[]> = {};
  for (let s = 0; s < shards; s++) {
    urls[s] = [];
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
      const config: NodeConfig = {
        genesisPath,
        keyPath,
        dataDir: join(home, 'data'),
        shard: s,
        validatorIndex: v,
        p2p: { listen: [`/ip4/127.0.0.1/tcp/${p2pPorts[s]![v]}`] },
        rpc: { host: '127.0.0.1', port: 0 },
        ...structuredClone(defaultNodeSettings),
        consensus: {
          proposeBaseMs: 1000,
          proposeDeltaMs: 500,
          prevoteBaseMs: 500,
          prevoteDeltaMs: 500,
          precommitBaseMs: 500,
          precommitDeltaMs: 500,
        },
        block: { ...defaultNodeSettings.block, idleIntervalMs: 200 },
      };
      nodes.push(await createValidatorNode(config));
    }
  }
  await Promise.all(nodes.map((node) => node.start()));
  for (const node of nodes) {
    const server = createNodeRpcServer(node, { host: '127.0.0.1', port: 0 });
    await server.start();
    servers.push(server);
    urls[node.shard]!.push(`http://127.0.0.1:${server.port()}`);
  }
  const client = createChainClient({ shards: urls });
  return {
    genesis,
    network: genesis.config,
    urls,
    client,
    faucetKeysDir,
    async stop() {
      client.stop();
      await Promise.all(servers.map((server) => server.stop()));
      await Promise.all(nodes.map((node) => node.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
