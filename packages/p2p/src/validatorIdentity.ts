import { privateKeyFromRaw, publicKeyFromRaw } from '@libp2p/crypto/keys';
import type { PeerId, PrivateKey } from '@libp2p/interface';
import { peerIdFromPrivateKey, peerIdFromPublicKey, peerIdFromString } from '@libp2p/peer-id';
import { p2pError } from './P2PErrorCode.ts';

const PRIVATE_KEY_BYTES = 32;
const COMPRESSED_PUBLIC_KEY_BYTES = 33;

/**
 * The libp2p identity of a validator, made from its 32-byte secp256k1 signing key, so that its
 * peer id is bound to the public key listed in genesis. The key is never logged or put in errors.
 */
export function libp2pKeyFromValidatorKey(validatorKey: Uint8Array): PrivateKey {
  if (!(validatorKey instanceof Uint8Array) || validatorKey.length !== PRIVATE_KEY_BYTES) {
    throw p2pError('P2P_INVALID_VALIDATOR_KEY', 'the validator key must be 32 bytes', {
      length: validatorKey instanceof Uint8Array ? validatorKey.length : null,
    });
  }
  try {
    // Copy: the caller may zero its buffer, and libp2p keeps a reference.
    return privateKeyFromRaw(Uint8Array.from(validatorKey));
  } catch (error) {
    throw p2pError(
      'P2P_INVALID_VALIDATOR_KEY',
      'the validator key is not a valid secp256k1 scalar',
      {},
      error,
    );
  }
}

/** The peer id (base58 string) of the host run with `validatorKey`. */
export function peerIdFromValidatorKey(validatorKey: Uint8Array): string {
  return peerIdFromPrivateKey(libp2pKeyFromValidatorKey(validatorKey)).toString();
}

/**
 * The peer id (base58 string) of a validator, from its 33-byte compressed public key as listed
 * in genesis, so hosts can recognise committee members before ever meeting them.
 *
 * @example peerIdFromValidatorPublicKey(committee.validators[0].publicKey) // '16Uiu2HAm…'
 */
export function peerIdFromValidatorPublicKey(publicKey: Uint8Array): string {
  if (
    !(publicKey instanceof Uint8Array) ||
    publicKey.length !== COMPRESSED_PUBLIC_KEY_BYTES ||
    (publicKey[0] !== 0x02 && publicKey[0] !== 0x03)
  ) {
    throw p2pError('P2P_INVALID_PUBLIC_KEY', 'a validator public key is 33 bytes, compressed (0x02/0x03)', {
      length: publicKey instanceof Uint8Array ? publicKey.length : null,
    });
  }
  try {
    return peerIdFromPublicKey(publicKeyFromRaw(publicKey)).toString();
  } catch (error) {
    throw p2pError('P2P_INVALID_PUBLIC_KEY', 'the public key is not a point on secp256k1', {}, error);
  }
}

/** Parses a base58 peer id string; throws `P2P_INVALID_PEER_ID`. */
export function parsePeerId(peer: string): PeerId {
  try {
    return peerIdFromString(peer);
  } catch (error) {
    throw p2pError('P2P_INVALID_PEER_ID', `"${String(peer).slice(0, 80)}" is not a peer id`, {}, error);
  }
}
