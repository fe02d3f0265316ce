import { platform as defaultPlatform } from '#platform';
import { bytesToHex, hexToBytes, randomBytes, utf8ToBytes } from './bytes.ts';
import type { Platform } from './platform.ts';
import { ShardpayError } from './ShardpayError.ts';

/**
 * An encrypted secret (a private key or a mnemonic), safe to store on a server that must not read
 * it: scrypt(passphrase) → AES-256-GCM. All byte fields are lowercase hex. JSON-serializable.
 */
export interface Keystore {
  version: 1;
  kind: 'mnemonic' | 'privateKey';
  address?: string;
  kdf: { name: 'scrypt'; n: number; r: number; p: number; salt: string };
  cipher: { name: 'aes-256-gcm'; iv: string; tag: string };
  ciphertext: string;
}

export interface EncryptKeystoreOptions {
  kind: Keystore['kind'];
  /** The address the secret controls, in text form; shown without decrypting, and authenticated. */
  address?: string | undefined;
  /** scrypt cost N, a power of two (default 2^17; tests use 2^10 for speed). */
  scryptN?: number | undefined;
}

/** scrypt N used when the caller gives none: ~0.3 s and 128 MiB per unlock. */
export const KEYSTORE_DEFAULT_SCRYPT_N = 2 ** 17;
const scryptR = 8;
const scryptP = 1;
const keyLength = 32;
const saltLength = 32;
const ivLength = 12;
const tagLength = 16;
const maxSecretLength = 1024;
const maxAddressLength = 128;
// Bounds on what a keystore may ask for, so a crafted file cannot exhaust memory or CPU.
const maxScryptN = 2 ** 20;
const maxScryptR = 32;
const maxScryptP = 16;
const maxScryptMemory = 256 * 1024 * 1024;
const kinds: ReadonlySet<string> = new Set(['mnemonic', 'privateKey']);

function isPowerOfTwo(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 2 && (value & (value - 1)) === 0;
}

function isAcceptableScrypt(n: unknown, r: unknown, p: unknown): boolean {
  return (
    typeof n === 'number' &&
    typeof r === 'number' &&
    typeof p === 'number' &&
    isPowerOfTwo(n) &&
    n <= maxScryptN &&
    Number.isSafeInteger(r) &&
    r >= 1 &&
    r <= maxScryptR &&
    Number.isSafeInteger(p) &&
    p >= 1 &&
    p <= maxScryptP &&
    128 * n * r <= maxScryptMemory
  );
}

/**
 * Authenticated data: the version, the kind and the address, so none of the readable fields can be
 * swapped onto another keystore's ciphertext. (The kdf fields are bound through the key itself.)
 */
function associatedData(kind: string, address: string | undefined): Uint8Array {
  return utf8ToBytes(`shardpay-keystore/v1\n${kind}\n${address ?? ''}`);
}

/** NFKC so that one passphrase typed on different keyboards/OSes gives the same bytes. */
function passphraseBytes(passphrase: string): Uint8Array {
  if (typeof passphrase !== 'string')
    throw new ShardpayError('PASSPHRASE_INVALID', 'a passphrase is a string');
  return utf8ToBytes(passphrase.normalize('NFKC'));
}

/** `encryptKeystore` on a given platform (tests run the browser implementation in Node with it). */
export async function encryptKeystoreWith(
  platform: Platform,
  secret: Uint8Array,
  passphrase: string,
  options: EncryptKeystoreOptions,
): Promise<Keystore> {
  const { kind, address } = options;
  const n = options.scryptN ?? KEYSTORE_DEFAULT_SCRYPT_N;
  if (!kinds.has(kind)) {
    throw new ShardpayError('KEYSTORE_OPTIONS_INVALID', "kind is 'mnemonic' or 'privateKey'", {
      meta: { kind },
    });
  }
  if (
    address !== undefined &&
    (typeof address !== 'string' || address.length === 0 || address.length > maxAddressLength)
  ) {
    throw new ShardpayError(
      'KEYSTORE_OPTIONS_INVALID',
      `address must be a string of 1..${maxAddressLength} chars`,
    );
  }
  if (!isAcceptableScrypt(n, scryptR, scryptP)) {
    throw new ShardpayError(
      'KEYSTORE_OPTIONS_INVALID',
      `scryptN must be a power of two in 2..${maxScryptN}`,
      {
        meta: { scryptN: n },
      },
    );
  }
  if (!(secret instanceof Uint8Array) || secret.length === 0 || secret.length > maxSecretLength) {
    throw new ShardpayError('KEYSTORE_SECRET_INVALID', `a secret has 1..${maxSecretLength} bytes`);
  }
  if (kind === 'privateKey' && secret.length !== 32) {
    throw new ShardpayError('KEYSTORE_SECRET_INVALID', "a 'privateKey' secret has 32 bytes");
  }
  const password = passphraseBytes(passphrase);
  const salt = randomBytes(saltLength);
  const iv = randomBytes(ivLength);
  const key = await platform.scrypt(password, salt, { n, r: scryptR, p: scryptP, keyLength });
  try {
    const sealed = await platform.aesGcmEncrypt(key, iv, secret, associatedData(kind, address));
    return {
      version: 1,
      kind,
      ...(address === undefined ? {} : { address }),
      kdf: { name: 'scrypt', n, r: scryptR, p: scryptP, salt: bytesToHex(salt) },
      cipher: { name: 'aes-256-gcm', iv: bytesToHex(iv), tag: bytesToHex(sealed.tag) },
      ciphertext: bytesToHex(sealed.ciphertext),
    };
  } finally {
    key.fill(0);
    password.fill(0);
  }
}

/**
 * Encrypts `secret` under `passphrase`: scrypt (N = 2^17, r = 8, p = 1 unless `scryptN` is given)
 * derives an AES-256-GCM key; version, kind and address are authenticated data.
 */
export function encryptKeystore(
  secret: Uint8Array,
  passphrase: string,
  options: EncryptKeystoreOptions,
): Promise<Keystore> {
  return encryptKeystoreWith(defaultPlatform, secret, passphrase, options);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(field: string, expected: string): ShardpayError {
  return new ShardpayError('KEYSTORE_INVALID', `keystore field '${field}' is invalid: expected ${expected}`, {
    meta: { field },
  });
}

function hexField(value: unknown, field: string, minLength: number, maxLength: number): Uint8Array {
  const expected = `hex of ${minLength === maxLength ? minLength : `${minLength}..${maxLength}`} bytes`;
  if (typeof value !== 'string') throw invalid(field, expected);
  let bytes: Uint8Array;
  try {
    bytes = hexToBytes(value);
  } catch {
    throw invalid(field, expected);
  }
  if (bytes.length < minLength || bytes.length > maxLength) throw invalid(field, expected);
  return bytes;
}

interface ParsedKeystore {
  kind: string;
  address: string | undefined;
  n: number;
  r: number;
  p: number;
  salt: Uint8Array;
  iv: Uint8Array;
  tag: Uint8Array;
  ciphertext: Uint8Array;
}

/** Checks the shape of an untrusted keystore (e.g. parsed JSON); `KEYSTORE_INVALID` naming the field. */
function parseKeystore(value: unknown): ParsedKeystore {
  if (!isRecord(value)) throw invalid('(root)', 'an object');
  if (value.version !== 1) throw invalid('version', '1');
  const { kind, address, kdf, cipher } = value;
  if (typeof kind !== 'string' || !kinds.has(kind)) throw invalid('kind', "'mnemonic' or 'privateKey'");
  if (
    address !== undefined &&
    (typeof address !== 'string' || address.length === 0 || address.length > maxAddressLength)
  ) {
    throw invalid('address', `a string of 1..${maxAddressLength} chars`);
  }
  if (!isRecord(kdf) || kdf.name !== 'scrypt') throw invalid('kdf.name', "'scrypt'");
  const { n, r, p } = kdf;
  if (!isAcceptableScrypt(n, r, p)) {
    throw invalid(
      'kdf',
      `n a power of two ≤ 2^20, r 1..${maxScryptR}, p 1..${maxScryptP}, 128·n·r ≤ 256 MiB`,
    );
  }
  if (!isRecord(cipher) || cipher.name !== 'aes-256-gcm') throw invalid('cipher.name', "'aes-256-gcm'");
  return {
    kind,
    address,
    n: n as number,
    r: r as number,
    p: p as number,
    salt: hexField(kdf.salt, 'kdf.salt', 16, 64),
    iv: hexField(cipher.iv, 'cipher.iv', ivLength, ivLength),
    tag: hexField(cipher.tag, 'cipher.tag', tagLength, tagLength),
    ciphertext: hexField(value.ciphertext, 'ciphertext', 1, maxSecretLength),
  };
}

/** `decryptKeystore` on a given platform (tests run the browser implementation in Node with it). */
export async function decryptKeystoreWith(
  platform: Platform,
  keystore: unknown,
  passphrase: string,
): Promise<Uint8Array> {
  const parsed = parseKeystore(keystore);
  const password = passphraseBytes(passphrase);
  const key = await platform.scrypt(password, parsed.salt, {
    n: parsed.n,
    r: parsed.r,
    p: parsed.p,
    keyLength,
  });
  try {
    const secret = await platform.aesGcmDecrypt(
      key,
      parsed.iv,
      { ciphertext: parsed.ciphertext, tag: parsed.tag },
      associatedData(parsed.kind, parsed.address),
    );
    if (secret === undefined) {
      // GCM cannot tell a wrong key from altered data; a wrong passphrase is by far the common case.
      throw new ShardpayError(
        'KEYSTORE_WRONG_PASSPHRASE',
        'the passphrase does not open this keystore (or the keystore was altered)',
      );
    }
    return secret;
  } finally {
    key.fill(0);
    password.fill(0);
  }
}

/**
 * The secret inside a keystore. `KEYSTORE_INVALID` when the value does not have the keystore shape,
 * `KEYSTORE_WRONG_PASSPHRASE` when the passphrase is wrong or any authenticated field was altered.
 */
export function decryptKeystore(keystore: unknown, passphrase: string): Promise<Uint8Array> {
  return decryptKeystoreWith(defaultPlatform, keystore, passphrase);
}
