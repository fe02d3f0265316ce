import { ShardpayError } from '@shardpay/crypto';
import type { GatewayClient } from '@shardpay/sdk';
import type { StoredWallet } from '../home/walletStore.ts';
import { fetchNetwork } from './gatewayContext.ts';
import {
  ensureWalletRegistered,
  findRegisteredWallet,
  parseAmountFlag,
  unlockWallet,
} from './walletAccess.ts';

/** Minor units per cent: the bank counts in cents, the chain in 6 decimals. */
const minorPerCent = 10_000n;

/**
 * Minor units of an `--amount` for a card purchase or a cash-out: as for `send`, and in whole cents
 * (the bank cannot charge or pay a fraction of a cent), refused here before any request.
 */
export function parseCentsAmountFlag(value: string | boolean | undefined): bigint {
  const amount = parseAmountFlag(value);
  if (amount % minorPerCent !== 0n) {
    throw new ShardpayError(
      'AMOUNT_INVALID',
      '--amount: the bank works in whole cents (at most 2 decimals)',
      {
        meta: { type: 'invalid_request_error', flag: 'amount', reason: 'fraction_of_cent' },
      },
    );
  }
  return amount;
}

/** A flag that must be all digits, `min`–`max` of them (spaces and dashes people type are dropped). */
export function parseDigitsFlag(
  value: string | boolean | undefined,
  flag: string,
  what: string,
  min: number,
  max: number,
): string {
  if (typeof value !== 'string') {
    throw new ShardpayError('USAGE', `--${flag} is required (${what})`, { meta: { flag } });
  }
  const digits = value.replace(/[\s-]/g, '');
  if (!/^[0-9]+$/.test(digits) || digits.length < min || digits.length > max) {
    throw new ShardpayError('USAGE', `--${flag} takes ${what}: ${min}–${max} digits`, { meta: { flag } });
  }
  return digits;
}

/**
 * The gateway id (`wal_…`) of a local wallet. Looked up among the caller's wallets first, so no
 * passphrase is asked when it is registered; otherwise the wallet is opened and registered (address,
 * public key and a signed challenge only).
 */
export async function gatewayWalletId(
  client: GatewayClient,
  wallet: StoredWallet,
  onRegistered: () => void,
): Promise<string> {
  const known = await findRegisteredWallet(client, wallet.address);
  if (known !== undefined) return known;
  const { network } = await fetchNetwork(client);
  const account = await unlockWallet(wallet, network);
  const registration = await ensureWalletRegistered(client, account, wallet.name);
  if (registration.registeredNow) onRegistered();
  return registration.id;
}
