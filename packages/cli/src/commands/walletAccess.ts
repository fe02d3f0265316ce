import { isShardpayError, ShardpayError } from '@shardpay/crypto';
import { type NetworkConfig, parseAmount } from '@shardpay/protocol';
import {
  type GatewayClient,
  isGatewayError,
  restoreWalletFromKeystore,
  type WalletAccount,
} from '@shardpay/sdk';
import { findWallet, type StoredWallet } from '../home/walletStore.ts';
import { readSecret } from './readSecret.ts';

/** Minor units of an `--amount` flag (a decimal string, up to 6 decimals, above zero). */
export function parseAmountFlag(value: string | boolean | undefined, flag = 'amount'): bigint {
  if (typeof value !== 'string') {
    throw new ShardpayError('USAGE', `--${flag} A is required (dollars, e.g. 12.5)`, { meta: { flag } });
  }
  try {
    return parseAmount(value);
  } catch (error) {
    if (isShardpayError(error)) {
      throw new ShardpayError(error.code, `--${flag}: ${error.message}`, {
        meta: { type: 'invalid_request_error', flag },
      });
    }
    throw error;
  }
}

/** The address a command argument names: a wallet of SHARDPAY_HOME by name, or else the text itself. */
export async function resolveAddress(
  text: string,
): Promise<{ address: string; wallet: StoredWallet | undefined }> {
  const wallet = await findWallet(text);
  return { address: wallet?.address ?? text, wallet };
}

/**
 * Opens a stored wallet with its passphrase (SHARDPAY_PASSPHRASE or a prompt) and returns its account
 * on `network`. KEYSTORE_WRONG_PASSPHRASE for a wrong passphrase.
 */
export async function unlockWallet(wallet: StoredWallet, network: NetworkConfig): Promise<WalletAccount> {
  const passphrase = await readSecret({
    variable: 'SHARDPAY_PASSPHRASE',
    what: `passphrase of wallet "${wallet.name}"`,
  });
  let account: WalletAccount;
  try {
    account = (await restoreWalletFromKeystore(wallet.keystore, passphrase, { network })).account(
      wallet.account ?? 0,
    );
  } catch (error) {
    if (isShardpayError(error, 'KEYSTORE_WRONG_PASSPHRASE')) {
      throw new ShardpayError('KEYSTORE_WRONG_PASSPHRASE', `wrong passphrase for wallet "${wallet.name}"`, {
        meta: { type: 'invalid_request_error' },
      });
    }
    throw error;
  }
  if (account.address !== wallet.address) {
    throw new ShardpayError(
      'HOME_STATE_INVALID',
      `wallet "${wallet.name}" was made on network ${wallet.chainId}; this gateway serves ${network.chainId} (${account.address} here)`,
      { meta: { type: 'invalid_request_error' } },
    );
  }
  return account;
}

/** The gateway id of the caller's wallet holding `address`, or undefined (pages through the list). */
export async function findRegisteredWallet(
  client: GatewayClient,
  address: string,
): Promise<string | undefined> {
  let startingAfter: string | undefined;
  for (;;) {
    const page = await client.listWallets({ limit: 100, ...(startingAfter ? { startingAfter } : {}) });
    const found = page.data.find((wallet) => wallet.address === address);
    if (found) return found.id;
    if (!page.has_more || page.data.length === 0) return undefined;
    startingAfter = page.data.at(-1)!.id;
  }
}

/**
 * Registers `account` with the caller's gateway account (address, public key and a signed challenge;
 * never the mnemonic) unless it is already; returns the wallet id.
 */
export async function ensureWalletRegistered(
  client: GatewayClient,
  account: WalletAccount,
  label: string,
): Promise<{ id: string; registeredNow: boolean }> {
  const known = await findRegisteredWallet(client, account.address);
  if (known) return { id: known, registeredNow: false };
  try {
    const wallet = await client.registerWallet({ account, label });
    return { id: wallet.id, registeredNow: true };
  } catch (error) {
    if (isGatewayError(error, 'WALLET_EXISTS')) {
      throw new ShardpayError(
        'WALLET_EXISTS',
        `${account.address} is registered to another gateway account; log in as that account to use it`,
        { meta: { type: 'invalid_request_error' }, cause: error },
      );
    }
    throw error;
  }
}
