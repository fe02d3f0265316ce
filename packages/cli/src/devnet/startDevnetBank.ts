import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { networkConfigFromJson } from '@shardpay/protocol';
import { type DevnetService, devnetSecret, startDevnetService } from './startDevnetService.ts';

export interface StartDevnetBankOptions {
  /** Absolute devnet folder. */
  dir: string;
  port: number;
  /** The bank program (default: @shardpay/bank's bin/shardpay-bank.js). */
  bankBin?: string;
  signal?: AbortSignal;
}

/** The path of `shardpay-bank`'s launcher, found through the @shardpay/bank package. */
export function defaultBankBin(): string {
  const entry = fileURLToPath(import.meta.resolve('@shardpay/bank'));
  return join(dirname(entry), '..', 'bin', 'shardpay-bank.js');
}

/** Dollars (2 decimals) of the genesis allocations, which the reserve's opening deposit backs. */
async function genesisSupplyDollars(dir: string): Promise<string> {
  const network = networkConfigFromJson(JSON.parse(await readFile(join(dir, 'genesis.json'), 'utf8')));
  const micros = network.initialBalances.reduce((sum, entry) => sum + entry.amount, 0n);
  // The reserve is kept in cents; a genesis allocation is whole dollars on a devnet, so nothing is lost.
  const cents = micros / 10_000n;
  return `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
}

/**
 * Starts the bank and card sandbox on `127.0.0.1:port` with its state in `DIR/bank/db`, an API key
 * kept in `DIR/keys/bank-api-key` (the gateway gets the same), and an opening deposit equal to the
 * genesis allocations, so supply and reserve match from the start. Logs in `DIR/logs/bank.log`.
 */
export async function startDevnetBank(
  options: StartDevnetBankOptions,
): Promise<{ service: DevnetService; apiKey: string }> {
  const { dir } = options;
  const dataDir = join(dir, 'bank', 'db');
  await mkdir(dataDir, { recursive: true });
  const apiKey = await devnetSecret(dir, 'bank-api-key');
  const service = await startDevnetService({
    name: 'the bank sandbox',
    bin: options.bankBin ?? defaultBankBin(),
    dir,
    port: options.port,
    logFile: 'bank.log',
    env: {
      HOST: '127.0.0.1',
      PORT: String(options.port),
      SHARDPAY_BANK_DATA_DIR: dataDir,
      SHARDPAY_BANK_API_KEY: apiKey,
      SHARDPAY_BANK_OPENING_DEPOSIT: await genesisSupplyDollars(dir),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return { service, apiKey };
}
