/**
 * Readers for the commerce builders' inputs beyond inputs.ts: record ids (escrow, time lock),
 * public keys, private keys and owner counts. Like inputs.ts, refusals are coded and never echo
 * the input (a private key pasted into the wrong field must not reach a log).
 */
import {
  decodeAddress,
  hexToBytes,
  isValidPrivateKey,
  isValidPublicKey,
  ShardpayError,
} from '@shardpay/crypto';
import { type Hash, MAX_MULTISIG_OWNERS, type PublicKey } from '@shardpay/protocol';

/** A 32-byte id as 64 hex characters (no 0x) or bytes. */
export type HashInput = string | Uint8Array;

/** A 33-byte compressed public key as 66 hex characters or bytes. */
export type PublicKeyInput = string | Uint8Array;

function bytesOf(value: string | Uint8Array, length: number): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value.length === length ? Uint8Array.from(value) : undefined;
  if (typeof value !== 'string' || !new RegExp(`^[0-9a-fA-F]{${length * 2}}$`).test(value)) return undefined;
  return hexToBytes(value.toLowerCase());
}

/** A record id (escrow id, time lock id: the creating transaction's id); HASH_INVALID otherwise. */
export function readHashInput(value: HashInput, field: string): Hash {
  const bytes = bytesOf(value, 32);
  if (bytes === undefined) {
    throw new ShardpayError('HASH_INVALID', `${field} is 64 hex characters (or 32 bytes)`, {
      meta: { field },
    });
  }
  return bytes;
}

/** A valid compressed secp256k1 public key; KEY_INVALID otherwise. */
export function readPublicKeyInput(value: PublicKeyInput, field: string): PublicKey {
  const bytes = bytesOf(value, 33);
  if (bytes === undefined || !isValidPublicKey(bytes)) {
    throw new ShardpayError(
      'KEY_INVALID',
      `${field} is a compressed public key: 66 hex characters (or 33 bytes)`,
      {
        meta: { key: 'public', field },
      },
    );
  }
  return bytes;
}

/** A 32-byte private key in range; KEY_INVALID otherwise. */
export function readPrivateKeyInput(value: Uint8Array, field: string): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== 32 || !isValidPrivateKey(value)) {
    throw new ShardpayError('KEY_INVALID', `${field} is a 32-byte private key`, {
      meta: { key: 'private', field },
    });
  }
  return value;
}

/** An owner index or threshold: an integer in `min`..MAX_MULTISIG_OWNERS (or `max`); ENCODE_ERROR. */
export function readSmallCount(value: number, field: string, min: number, max = MAX_MULTISIG_OWNERS): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ShardpayError('ENCODE_ERROR', `${field} is an integer in ${min}..${max}`, {
      meta: { field, reason: 'out_of_range' },
    });
  }
  return value;
}

/**
 * The 20 bytes of a bech32m address read with its own prefix, for signing helpers that know only a
 * chain id (what they sign binds the chain id, not the prefix); bytes pass through. ADDRESS_INVALID.
 */
export function readAddressOrBytes(value: string | Uint8Array, field: string): Uint8Array {
  if (value instanceof Uint8Array) {
    if (value.length !== 20) {
      throw new ShardpayError('ADDRESS_INVALID', `${field} is an address: 20 bytes or bech32m text`, {
        meta: { field },
      });
    }
    return Uint8Array.from(value);
  }
  const separator = typeof value === 'string' ? value.lastIndexOf('1') : -1;
  try {
    if (separator < 1) throw new Error('no prefix');
    return decodeAddress(value, value.slice(0, separator).toLowerCase());
  } catch {
    // Never echo the text: people paste secrets into the wrong field.
    throw new ShardpayError('ADDRESS_INVALID', `${field} is an address: 20 bytes or bech32m text`, {
      meta: { field },
    });
  }
}
