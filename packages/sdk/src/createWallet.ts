import {
  bytesToUtf8,
  decryptKeystore,
  derivePrivateKey,
  encryptKeystore,
  generateMnemonic,
  isValidMnemonic,
  type Keystore,
  mnemonicToSeed,
  ShardpayError,
  utf8ToBytes,
} from '@shardpay/crypto';
import type { NetworkConfig } from '@shardpay/protocol';
import { assertNetwork, createAccount, type WalletAccount } from './createAccountFromPrivateKey.ts';

/**
 * An HD wallet: one BIP39 mnemonic, accounts at m/44'/8888'/0'/0/i. The mnemonic and seed live in a
 * closure; they leave only through `exportMnemonic()` or an encrypted `exportKeystore()`.
 */
export interface Wallet {
  readonly network: NetworkConfig;
  /** Account `index` (0 by default), derived once and cached. ACCOUNT_INDEX_INVALID outside 0..2^31-1. */
  account(index?: number): WalletAccount;
  /** Accounts 0..count-1. */
  accounts(count: number): WalletAccount[];
  /** The recovery phrase: the one explicit way out. */
  exportMnemonic(): string;
  /**
   * The mnemonic encrypted under `passphrase` (keystore kind 'mnemonic', showing account 0's address).
   * A BIP39 passphrase, if the wallet has one, is not inside: it is needed again to restore.
   */
  exportKeystore(passphrase: string, options?: { scryptN?: number }): Promise<Keystore>;
  toJSON(): WalletJson;
  toString(): string;
}

/** What a wallet shows of itself: public data only. */
export interface WalletJson {
  chainId: string;
  addressPrefix: string;
  /** Account 0's address. */
  address: string;
}

export interface CreateWalletOptions {
  network: NetworkConfig;
  /** 24 (default) or 12 words. */
  words?: 12 | 24;
  /** Optional BIP39 passphrase (the "25th word"). */
  bip39Passphrase?: string;
}

export interface RestoreWalletOptions {
  network: NetworkConfig;
  bip39Passphrase?: string;
}

function walletFromMnemonic(mnemonic: string, network: NetworkConfig, bip39Passphrase: string): Wallet {
  const seed = mnemonicToSeed(mnemonic, bip39Passphrase);
  const cache = new Map<number, WalletAccount>();
  function account(index = 0): WalletAccount {
    const known = cache.get(index);
    if (known) return known;
    const privateKey = derivePrivateKey(seed, index);
    try {
      const created = createAccount(privateKey, network, index);
      cache.set(index, created);
      return created;
    } finally {
      privateKey.fill(0);
    }
  }
  const firstAddress = account(0).address;
  return Object.freeze({
    network,
    account,
    accounts(count: number): WalletAccount[] {
      if (!Number.isSafeInteger(count) || count < 0 || count > 1000) {
        throw new ShardpayError('ACCOUNT_INDEX_INVALID', 'ask for 0 to 1000 accounts at once', {
          meta: { count },
        });
      }
      return Array.from({ length: count }, (_, index) => account(index));
    },
    exportMnemonic: () => mnemonic,
    exportKeystore: (passphrase: string, options: { scryptN?: number } = {}) =>
      encryptKeystore(utf8ToBytes(mnemonic), passphrase, {
        kind: 'mnemonic',
        address: firstAddress,
        scryptN: options.scryptN,
      }),
    toJSON: () => ({ chainId: network.chainId, addressPrefix: network.addressPrefix, address: firstAddress }),
    toString: () => `Wallet(${firstAddress})`,
  });
}

/**
 * A new wallet with a fresh random mnemonic (24 words by default).
 *
 * @example const wallet = createWallet({ network }); wallet.account(0).address // 'spd1…'
 */
export function createWallet(options: CreateWalletOptions): Wallet {
  assertNetwork(options.network);
  return walletFromMnemonic(
    generateMnemonic(options.words ?? 24),
    options.network,
    options.bip39Passphrase ?? '',
  );
}

/**
 * The wallet of an existing mnemonic (12 or 24 words; spacing and case are normalized).
 * MNEMONIC_INVALID for an unknown word, a wrong word count or a bad checksum (the phrase is never echoed).
 */
export function restoreWallet(mnemonic: string, options: RestoreWalletOptions): Wallet {
  assertNetwork(options.network);
  const normalized =
    typeof mnemonic === 'string'
      ? mnemonic.normalize('NFKD').trim().toLowerCase().split(/\s+/).join(' ')
      : '';
  if (!isValidMnemonic(normalized)) {
    throw new ShardpayError(
      'MNEMONIC_INVALID',
      'not a valid BIP39 English mnemonic (unknown word, word count or checksum)',
    );
  }
  return walletFromMnemonic(normalized, options.network, options.bip39Passphrase ?? '');
}

/**
 * The wallet inside a keystore of kind 'mnemonic'. KEYSTORE_INVALID for a malformed keystore or one of
 * another kind; KEYSTORE_WRONG_PASSPHRASE when the passphrase does not open it.
 */
export async function restoreWalletFromKeystore(
  keystore: unknown,
  passphrase: string,
  options: RestoreWalletOptions,
): Promise<Wallet> {
  assertNetwork(options.network);
  if ((keystore as Partial<Keystore> | null)?.kind !== 'mnemonic') {
    throw new ShardpayError('KEYSTORE_INVALID', "a wallet keystore has kind 'mnemonic'", {
      meta: { field: 'kind' },
    });
  }
  const secret = await decryptKeystore(keystore, passphrase);
  let mnemonic: string;
  try {
    mnemonic = bytesToUtf8(secret);
  } catch {
    throw new ShardpayError('KEYSTORE_INVALID', 'the keystore does not hold a mnemonic', {
      meta: { field: 'ciphertext' },
    });
  } finally {
    secret.fill(0);
  }
  if (!isValidMnemonic(mnemonic)) {
    throw new ShardpayError('KEYSTORE_INVALID', 'the keystore does not hold a valid mnemonic', {
      meta: { field: 'ciphertext' },
    });
  }
  return walletFromMnemonic(mnemonic, options.network, options.bip39Passphrase ?? '');
}
