import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BankServer, createBankServer, resolveBankConfig } from '@shardpay/bank';
import { bytesToHex } from '@shardpay/crypto';
import { createGatewayServer, type GatewayServer, resolveGatewayConfig } from '@shardpay/gateway';
import type { DevnetGenesis } from '@shardpay/node';
import { createLocalNetwork, startLocalValidators, writeFaucetKeys } from '@shardpay/node/testing';

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
  const network = await createLocalNetwork(shards, 1, { chainId: 'shardpay-cli-test', fast: true });
  const { dir, genesis } = network;
  // The faucet keys as a devnet writes them under keys/ (the gateway reads `privateKey`).
  const keysDir = writeFaucetKeys(network);
  const validators = await startLocalValidators(network);
  const ramp = options.ramp ? await startRampParts(dir, genesis) : undefined;
  const gateway = await createGatewayServer(
    resolveGatewayConfig({
      ...ramp?.gatewayConfig,
      mode: 'devnet',
      port: 0,
      chainNodes: validators.urls,
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
      await validators.stop();
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
