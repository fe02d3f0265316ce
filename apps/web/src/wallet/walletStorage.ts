import type { Keystore } from '@shardpay/crypto';

/** The encrypted wallet this browser keeps: the keystore (never the mnemonic) and its first address. */
export interface StoredWallet {
  keystore: Keystore;
  address: string;
}

/** One wallet per network: a devnet restarted with a new chain id starts with none. */
const keyOf = (chainId: string) => `shardpay.wallet.${chainId}`;

export function loadStoredWallet(chainId: string): StoredWallet | null {
  try {
    const text = localStorage.getItem(keyOf(chainId));
    if (text === null) return null;
    const parsed = JSON.parse(text) as Partial<StoredWallet>;
    if (
      typeof parsed.address !== 'string' ||
      typeof parsed.keystore !== 'object' ||
      parsed.keystore === null
    ) {
      return null;
    }
    return { keystore: parsed.keystore, address: parsed.address };
  } catch {
    return null;
  }
}

export function saveStoredWallet(chainId: string, wallet: StoredWallet): void {
  localStorage.setItem(keyOf(chainId), JSON.stringify(wallet));
}

export function forgetStoredWallet(chainId: string): void {
  localStorage.removeItem(keyOf(chainId));
}
