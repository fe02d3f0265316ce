import { platform } from '#platform';
import { randomBytes } from './bytes.ts';
import { ShardpayError } from './ShardpayError.ts';

export const PRIVATE_KEY_LENGTH = 32;
export const PUBLIC_KEY_LENGTH = 33;
export const SIGNATURE_LENGTH = 64;
export const HASH_LENGTH = 32;

function isBytes(value: unknown, length: number): boolean {
  return value instanceof Uint8Array && value.length === length;
}

function assertPrivateKey(privateKey: Uint8Array): void {
  if (!isValidPrivateKey(privateKey)) {
    // meta says which key, never its bytes.
    throw new ShardpayError('KEY_INVALID', 'a private key is 32 bytes holding a scalar in [1, n-1]', {
      meta: { key: 'private' },
    });
  }
}

/** A fresh random private key (32 bytes, a valid scalar) from the CSPRNG. */
export function generatePrivateKey(): Uint8Array {
  for (;;) {
    const candidate = randomBytes(PRIVATE_KEY_LENGTH);
    // Out of range with probability ~2^-128; retry rather than reduce, to keep the distribution uniform.
    if (platform.isValidPrivateKey(candidate)) return candidate;
  }
}

/** True when `privateKey` is 32 bytes holding a scalar in [1, n-1]. */
export function isValidPrivateKey(privateKey: Uint8Array): boolean {
  return isBytes(privateKey, PRIVATE_KEY_LENGTH) && platform.isValidPrivateKey(privateKey);
}

/** The 33-byte compressed public key of `privateKey`; `KEY_INVALID` if it is not valid. */
export function publicKeyFromPrivateKey(privateKey: Uint8Array): Uint8Array {
  assertPrivateKey(privateKey);
  return platform.publicKeyFromPrivateKey(privateKey);
}

/** True when `publicKey` is a 33-byte compressed point on secp256k1. */
export function isValidPublicKey(publicKey: Uint8Array): boolean {
  return (
    isBytes(publicKey, PUBLIC_KEY_LENGTH) &&
    (publicKey[0] === 0x02 || publicKey[0] === 0x03) &&
    platform.isValidPublicKey(publicKey)
  );
}

/**
 * Signs a 32-byte hash: ECDSA, RFC 6979 deterministic nonce, low-S, 64-byte compact r‖s.
 * `HASH_INVALID` if the hash is not 32 bytes, `KEY_INVALID` for a bad key.
 */
export function signHash(hash: Uint8Array, privateKey: Uint8Array): Uint8Array {
  if (!isBytes(hash, HASH_LENGTH)) {
    throw new ShardpayError('HASH_INVALID', 'signHash signs a 32-byte hash', {
      meta: { length: hash instanceof Uint8Array ? hash.length : null },
    });
  }
  assertPrivateKey(privateKey);
  return platform.signHash(hash, privateKey);
}

/**
 * True when `signature` (64-byte compact, low-S) signs the 32-byte `hash` under the 33-byte
 * compressed `publicKey`. Never throws: any malformed input answers false.
 */
export function verifyHash(signature: Uint8Array, hash: Uint8Array, publicKey: Uint8Array): boolean {
  if (!isBytes(signature, SIGNATURE_LENGTH) || !isBytes(hash, HASH_LENGTH)) return false;
  if (!isBytes(publicKey, PUBLIC_KEY_LENGTH) || (publicKey[0] !== 0x02 && publicKey[0] !== 0x03))
    return false;
  try {
    return platform.verifyHash(signature, hash, publicKey);
  } catch {
    return false;
  }
}

/** Which implementation verifies in this process: 'native' (libsecp256k1, Node) or 'noble' (browsers). */
export function secp256k1Backend(): 'native' | 'noble' {
  return platform.secp256k1Backend;
}
