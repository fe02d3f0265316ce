import { bech32m } from '@scure/base';
import { platform } from '#platform';
import { ShardpayError } from './ShardpayError.ts';
import { isValidPublicKey } from './secp256k1.ts';

/** Bytes in an address: the first 20 bytes of sha256(compressed public key). */
export const ADDRESS_LENGTH = 20;

// Network prefixes are short lowercase words ('sp', 'spd'); a stricter rule than bech32's HRP
// (which allows most ASCII) keeps addresses easy to read and to compare.
const prefixPattern = /^[a-z][a-z0-9]{0,19}$/;
// BIP 173/350 limit: a 20-byte payload with a 20-char prefix stays far below it.
const maxAddressTextLength = 90;

function assertPrefix(prefix: string): void {
  if (typeof prefix !== 'string' || !prefixPattern.test(prefix)) {
    throw new ShardpayError(
      'ADDRESS_PREFIX_INVALID',
      'a network prefix is 1-20 chars of [a-z0-9], starting with a letter',
      {
        meta: { prefix },
      },
    );
  }
}

/** The 20-byte address of a 33-byte compressed public key; `KEY_INVALID` otherwise. */
export function addressFromPublicKey(publicKey: Uint8Array): Uint8Array {
  if (!isValidPublicKey(publicKey)) {
    throw new ShardpayError('KEY_INVALID', 'an address is derived from a 33-byte compressed public key', {
      meta: { key: 'public' },
    });
  }
  return platform.sha256(publicKey).slice(0, ADDRESS_LENGTH);
}

/**
 * Text form of an address: bech32m with the network prefix.
 *
 * @example encodeAddress(address, 'spd') // 'spd1…'
 */
export function encodeAddress(address: Uint8Array, prefix: string): string {
  if (!(address instanceof Uint8Array) || address.length !== ADDRESS_LENGTH) {
    throw new ShardpayError('ADDRESS_INVALID', `an address is ${ADDRESS_LENGTH} bytes`, {
      meta: { length: address instanceof Uint8Array ? address.length : null },
    });
  }
  assertPrefix(prefix);
  return bech32m.encode(prefix, bech32m.toWords(address), maxAddressTextLength);
}

/**
 * The 20 address bytes of a bech32m address of network `expectedPrefix`. Throws `ADDRESS_INVALID`
 * (bad checksum or charset, wrong length, bech32 instead of bech32m, mixed case) or
 * `ADDRESS_WRONG_NETWORK` (a valid address of another prefix). All-uppercase text is accepted (BIP 350).
 */
export function decodeAddress(text: string, expectedPrefix: string): Uint8Array {
  assertPrefix(expectedPrefix);
  if (typeof text !== 'string' || text.length === 0 || text.length > maxAddressTextLength) {
    throw new ShardpayError('ADDRESS_INVALID', 'not an address: expected a bech32m string');
  }
  let prefix: string;
  let address: Uint8Array;
  try {
    const decoded = bech32m.decode(text, maxAddressTextLength);
    prefix = decoded.prefix;
    address = bech32m.fromWords(decoded.words);
  } catch (error) {
    // The input is never echoed (nor kept as `cause`, whose message may quote it): people paste the
    // wrong thing into address fields, secrets included.
    const message = error instanceof Error ? error.message : String(error);
    const reason = message.replaceAll(text, '<input>').replaceAll(text.toLowerCase(), '<input>');
    throw new ShardpayError('ADDRESS_INVALID', `not a valid bech32m address: ${reason}`);
  }
  if (prefix !== expectedPrefix) {
    throw new ShardpayError(
      'ADDRESS_WRONG_NETWORK',
      `address ${text} is for network '${prefix}', expected '${expectedPrefix}'`,
      { meta: { text, prefix, expectedPrefix } },
    );
  }
  if (address.length !== ADDRESS_LENGTH) {
    throw new ShardpayError(
      'ADDRESS_INVALID',
      `an address holds ${ADDRESS_LENGTH} bytes, this one ${address.length}`,
      {
        meta: { length: address.length },
      },
    );
  }
  return address;
}

/** True when `text` is a valid address of network `expectedPrefix` (never throws). */
export function isAddress(text: string, expectedPrefix: string): boolean {
  try {
    decodeAddress(text, expectedPrefix);
    return true;
  } catch {
    return false;
  }
}
