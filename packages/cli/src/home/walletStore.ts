import { join } from 'node:path';
import type { Keystore } from '@shardpay/crypto';
import { ShardpayError } from '@shardpay/crypto';
import {
  ensurePrivateDir,
  listJsonNames,
  readJsonFile,
  shardpayHomeDir,
  writePrivateJson,
} from './shardpayHome.ts';

/** A wallet as SHARDPAY_HOME keeps it: public data plus the mnemonic in an encrypted keystore. */
export interface StoredWallet {
  version: 1;
  name: string;
  /** The address of the account the CLI uses (BIP44 index `account`, 0 unless `--shard` chose another). */
  address: string;
  /** Its BIP44 account index; absent in files written before it existed (= 0). */
  account?: number;
  shard: number;
  chainId: string;
  publicKey: string;
  /** Unix seconds. */
  created: number;
  /** The mnemonic, encrypted with the passphrase (the SDK's exportKeystore). */
  keystore: Keystore;
}

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** WALLET_NAME_INVALID unless `name` is 1-64 of letters, digits, `.`, `_`, `-` (not starting with a sign). */
export function assertWalletName(name: string | undefined): string {
  if (name === undefined || !namePattern.test(name)) {
    throw new ShardpayError(
      'WALLET_NAME_INVALID',
      `a wallet name is 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit${name === undefined ? ' (none given)' : ''}`,
      { meta: { type: 'invalid_request_error' } },
    );
  }
  return name;
}

function walletsDir(home: string): string {
  return join(home, 'wallets');
}

function isStoredWallet(value: unknown): value is StoredWallet {
  const wallet = value as Partial<StoredWallet> | null;
  return (
    typeof wallet === 'object' &&
    wallet !== null &&
    wallet.version === 1 &&
    typeof wallet.name === 'string' &&
    typeof wallet.address === 'string' &&
    typeof wallet.shard === 'number' &&
    (wallet.account === undefined || (Number.isSafeInteger(wallet.account) && wallet.account >= 0)) &&
    typeof wallet.keystore === 'object' &&
    wallet.keystore !== null
  );
}

/** The wallet called `name`, or undefined. */
export async function findWallet(name: string, home = shardpayHomeDir()): Promise<StoredWallet | undefined> {
  if (!namePattern.test(name)) return undefined;
  const path = join(walletsDir(home), `${name}.json`);
  const value = await readJsonFile(path);
  if (value === undefined) return undefined;
  if (!isStoredWallet(value)) {
    throw new ShardpayError('HOME_STATE_INVALID', `${path} is not a Shardpay wallet file`, {
      meta: { path },
    });
  }
  return value;
}

/** The wallet called `name`; WALLET_NOT_FOUND (naming SHARDPAY_HOME) otherwise. */
export async function loadWallet(name: string, home = shardpayHomeDir()): Promise<StoredWallet> {
  const wallet = await findWallet(assertWalletName(name), home);
  if (wallet === undefined) {
    throw new ShardpayError(
      'WALLET_NOT_FOUND',
      `no wallet "${name}" in ${home}; create one with shardpay wallet create ${name} (shardpay wallet list shows them)`,
      { meta: { type: 'invalid_request_error', name } },
    );
  }
  return wallet;
}

/** Saves a new wallet; WALLET_NAME_TAKEN if the name is used (a wallet file is never overwritten). */
export async function saveNewWallet(wallet: StoredWallet, home = shardpayHomeDir()): Promise<void> {
  const dir = walletsDir(home);
  await ensurePrivateDir(home);
  await ensurePrivateDir(dir);
  if ((await findWallet(wallet.name, home)) !== undefined) {
    throw new ShardpayError('WALLET_NAME_TAKEN', `a wallet "${wallet.name}" already exists in ${home}`, {
      meta: { type: 'invalid_request_error', name: wallet.name },
    });
  }
  await writePrivateJson(join(dir, `${wallet.name}.json`), wallet);
}

/** Every wallet in SHARDPAY_HOME, by name. */
export async function listWallets(home = shardpayHomeDir()): Promise<StoredWallet[]> {
  const wallets: StoredWallet[] = [];
  for (const name of await listJsonNames(walletsDir(home))) {
    const wallet = await findWallet(name, home);
    if (wallet) wallets.push(wallet);
  }
  return wallets;
}
