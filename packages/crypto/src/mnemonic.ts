import { HDKey } from '@scure/bip32';
import {
  generateMnemonic as generateBip39Mnemonic,
  mnemonicToSeedSync,
  validateMnemonic,
} from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { ShardpayError } from './ShardpayError.ts';

/** BIP44 coin type of Shardpay keys. Not registered in SLIP-0044; chosen to avoid known coins. */
export const SHARDPAY_COIN_TYPE = 8888;

const maxAccountIndex = 2 ** 31 - 1; // non-hardened BIP32 indices

/** A new random BIP39 mnemonic (English wordlist): 24 words (256-bit entropy) by default, or 12. */
export function generateMnemonic(words: 12 | 24 = 24): string {
  if (words !== 12 && words !== 24) {
    throw new ShardpayError('MNEMONIC_LENGTH_INVALID', 'a mnemonic has 12 or 24 words', { meta: { words } });
  }
  return generateBip39Mnemonic(english, words === 24 ? 256 : 128);
}

/** True when `mnemonic` is a BIP39 English mnemonic with a valid checksum (12 to 24 words). */
export function isValidMnemonic(mnemonic: string): boolean {
  return typeof mnemonic === 'string' && validateMnemonic(mnemonic, english);
}

/** The 64-byte BIP39 seed (PBKDF2-HMAC-SHA512, 2048 rounds); `MNEMONIC_INVALID` for a bad mnemonic. */
export function mnemonicToSeed(mnemonic: string, passphrase = ''): Uint8Array {
  // No meta and no cause: both could carry the mnemonic.
  if (!isValidMnemonic(mnemonic)) {
    throw new ShardpayError(
      'MNEMONIC_INVALID',
      'not a valid BIP39 English mnemonic (unknown word, word count or checksum)',
    );
  }
  return mnemonicToSeedSync(mnemonic, passphrase);
}

/** The BIP44 path of account `accountIndex`: m/44'/8888'/0'/0/accountIndex. */
export function derivationPath(accountIndex: number): string {
  return `m/44'/${SHARDPAY_COIN_TYPE}'/0'/0/${accountIndex}`;
}

/**
 * The private key of account `accountIndex` (BIP32, path m/44'/8888'/0'/0/accountIndex) from a BIP39
 * seed. `SEED_INVALID` unless the seed has 16..64 bytes; `ACCOUNT_INDEX_INVALID` outside 0..2^31-1.
 */
export function derivePrivateKey(seed: Uint8Array, accountIndex: number): Uint8Array {
  if (!(seed instanceof Uint8Array) || seed.length < 16 || seed.length > 64) {
    throw new ShardpayError('SEED_INVALID', 'a BIP32 seed has 16 to 64 bytes', {
      meta: { length: seed instanceof Uint8Array ? seed.length : null },
    });
  }
  if (!Number.isSafeInteger(accountIndex) || accountIndex < 0 || accountIndex > maxAccountIndex) {
    throw new ShardpayError(
      'ACCOUNT_INDEX_INVALID',
      `an account index is an integer in 0..${maxAccountIndex}`,
      {
        meta: { accountIndex },
      },
    );
  }
  const master = HDKey.fromMasterSeed(seed);
  const key = master.derive(derivationPath(accountIndex));
  const privateKey = key.privateKey === null ? null : Uint8Array.from(key.privateKey);
  master.wipePrivateData();
  key.wipePrivateData();
  if (privateKey === null) {
    // Cannot happen for a key derived from a seed; kept so the type is honest.
    throw new ShardpayError('KEY_DERIVATION_FAILED', 'BIP32 derivation gave no private key');
  }
  return privateKey;
}
