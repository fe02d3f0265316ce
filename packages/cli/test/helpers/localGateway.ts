import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BankServer, createBankServer, resolveBankConfig } from '@shardpay/bank';
import { bytesToHex, encodeAddress } from '@shardpay/crypto';
import { createGatewayServer, type GatewayServer, resolveGatewayConfig } from '@shardpay/gateway';
import {
  createDevnetGenesis,
  createNodeRpcServer,
  createValidatorNode,
  type DevnetGenesis,
  defaultNodeSettings,
  type RpcServer,
  type ValidatorNode,
} from '@shardpay/node';
import { networkConfigToJson } from '@shardpay/protocol';

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

/** A real 2-shard chain (one validator per shard, fast timeouts) and a devnet gateway in front of it. */
export interface LocalGateway {
  genesis: DevnetGenesis;
  gateway: GatewayServer;
  /** The bank and card sandbox, when started with `ramp` (purchases, cash-outs, reserves). */
  bank: BankServer | undefined;
  /** The gateway's base URL. */
  url: string;
  stop(): Promise<void>;
}

/**
 * With `ramp`, also the bank sandbox in process (its opening deposit backs the genesis allocations,
 * as a devnet's does) and the issuer key, so the gateway serves money in and out.
 */
async function startRampParts(dir: string, genesis: DevnetGenesis) {
  const apiKey = 'cli-test-bank-api-key-0123456789abcdef01234567';
  const bank = await createBankServer(
    resolveBankConfig({
      apiKey,
      port: 0,
      payoutDelayMs: 150,
      logLevel: 'silent',
      openingDepositCents:
        genesis.config.initialBalances.reduce((sum, entry) => sum + entry.amount, 0n) / 10_000n,
    }),
  );
  const issuerKeyFile = join(dir, 'keys', 'issuer.json');
  writeFileSync(issuerKeyFile, JSON.stringify({ privateKey: bytesToHex(genesis.issuer.privateKey) }), {
    mode: 0o600,
  });
  return { bank, gatewayConfig: { bankUrl: bank.url, bankApiKey: apiKey, issuerKeyFile } };
}

export async function startLocalGateway(shards = 2, options: { ramp?: boolean } = {}): Promise<LocalGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'shardpay-cli-e2e-'));
  const p2pPorts: number[] = [];
  for (let s = 0; s < shards; s++) p2pPorts.push(await freePort());
  const genesis = createDevnetGenesis({
    chainId: 'shardpay-cli-test',
    shards,
    validatorsPerShard: 1,
    p2pPort: (shard) => p2pPorts[shard]!,
    faucetBalance: '1000000',
    genesisTimeMs: BigInt(Date.now() - 1000),
  });
  const genesisPath = join(dir, 'genesis.json');
  writeFileSync(genesisPath, JSON.stringify(networkConfigToJson(genesis.config)));
  // The faucet keys as a devnet writes them under keys/ (the gateway reads `privateKey`).
  const keysDir = join(dir, 'keys');
  mkdirSync(keysDir, { mode: 0o700 });
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
  const nodes: ValidatorNode[] = [];
  for (let s = 0; s < shards; s++) {
    const home = join(dir, `s${s}`);
    mkdirSync(home, { recursive: true });
    const keyPath = join(home, 'key.json');
    writeFileSync(
      keyPath,
      JSON.stringify({ privateKey: bytesToHex(genesis.validators[s]![0]!.privateKey) }),
      {
        mode: 0o600,
      },
    );
    nodes.push(
      await createValidatorNode({
        genesisPath,
        keyPath,
        dataDir: join(home, 'data'),
        shard: s,
        validatorIndex: 0,
        p2p: { listen: [`/ip4/127.0.0.1/tcp/${p2pPorts[s]}`] },
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
      }),
    );
  }
  await Promise.all(nodes.map((node) => node.start()));
  const servers: RpcServer[] = [];
  const chainNodes: Record<number, string[]> = {};
  for (const node of nodes) {
    const server = createNodeRpcServer(node, { host: '127.0.0.1', port: 0 });
    await server.start();
    servers.push(server);
    chainNodes[node.shard] = [`http://127.0.0.1:${server.port()}`];
  }
  const ramp = options.ramp ? await startRampParts(dir, genesis) : undefined;
  const gateway = await createGatewayServer(
    resolveGatewayConfig({
      ...ramp?.gatewayConfig,
      mode: 'devnet',
      port: 0,
      chainNodes,
      faucetKeysDir: keysDir,
      passwordScryptN: 2 ** 10,
      rateLimit: false,
      logLevel: 'warn',
    }),
  );
  return {
    genesis,
    gateway,
    bank: ramp?.bank,
    url: gateway.url,
    async stop() {
      await gateway.close();
      await ramp?.bank.close();
      await Promise.all(servers.map((server) => server.stop()));
      await Promise.all(nodes.map((node) => node.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const bin = join(import.meta.dirname, '..', '..', 'bin', 'shardpay.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON object of --json. */
  json: Record<string, unknown>;
}

/**
 * Runs the real `shardpay` bin (with this Node, so TypeScript loads) asynchronously — the gateway in
 * this process must keep serving meanwhile. `env` is added to a minimal environment; `input` is stdin.
 */
export function runCli(
  args: string[],
  env: Record<string, string>,
  options: { input?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: env.SHARDPAY_HOME ?? tmpdir(), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(stdout);
      } catch {
        // left empty: the test's assertion on it says what was printed instead
      }
      resolve({ code, stdout, stderr, json });
    });
    child.stdin.end(options.input ?? '');
  });
}
