import { secp256k1 } from '@noble/curves/secp256k1.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { AesGcmSealed, Platform, ScryptParams } from './platform.ts';
import { scryptMemoryBytes } from './platform.ts';

// We sign a 32-byte hash we computed ourselves: no prehash. lowS both ways, like libsecp256k1.
// extraEntropy false keeps RFC 6979 signatures deterministic, byte-equal to the native backend.
const signOptions = { prehash: false, lowS: true, format: 'compact', extraEntropy: false } as const;
const verifyOptions = { prehash: false, lowS: true, format: 'compact' } as const;
const gcmTagLength = 16;

/** A copy in a fresh ArrayBuffer: WebCrypto's BufferSource type wants ArrayBuffer, not SharedArrayBuffer. */
function toArrayBufferBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

function importAesKey(key: Uint8Array, usage: 'encrypt' | 'decrypt') {
  return globalThis.crypto.subtle.importKey('raw', toArrayBufferBytes(key), { name: 'AES-GCM' }, false, [
    usage,
  ]);
}

function scrypt(password: Uint8Array, salt: Uint8Array, params: ScryptParams): Promise<Uint8Array> {
  return scryptAsync(password, salt, {
    N: params.n,
    r: params.r,
    p: params.p,
    dkLen: params.keyLength,
    maxmem: scryptMemoryBytes(params),
  });
}

async function aesGcmEncrypt(
  key: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Promise<AesGcmSealed> {
  const algorithm = {
    name: 'AES-GCM',
    iv: toArrayBufferBytes(iv),
    additionalData: toArrayBufferBytes(aad),
    tagLength: gcmTagLength * 8,
  };
  const cryptoKey = await importAesKey(key, 'encrypt');
  // WebCrypto appends the tag to the ciphertext.
  const sealed = new Uint8Array(
    await globalThis.crypto.subtle.encrypt(algorithm, cryptoKey, toArrayBufferBytes(plaintext)),
  );
  const split = sealed.length - gcmTagLength;
  return { ciphertext: sealed.slice(0, split), tag: sealed.slice(split) };
}

async function aesGcmDecrypt(
  key: Uint8Array,
  iv: Uint8Array,
  sealed: AesGcmSealed,
  aad: Uint8Array,
): Promise<Uint8Array | undefined> {
  const algorithm = {
    name: 'AES-GCM',
    iv: toArrayBufferBytes(iv),
    additionalData: toArrayBufferBytes(aad),
    tagLength: gcmTagLength * 8,
  };
  const cryptoKey = await importAesKey(key, 'decrypt');
  const joined = new Uint8Array(sealed.ciphertext.length + sealed.tag.length);
  joined.set(sealed.ciphertext, 0);
  joined.set(sealed.tag, sealed.ciphertext.length);
  try {
    return new Uint8Array(await globalThis.crypto.subtle.decrypt(algorithm, cryptoKey, joined));
  } catch {
    return undefined; // OperationError: the tag did not authenticate
  }
}

/** Browsers (and any non-Node runtime): @noble/hashes, @noble/curves and WebCrypto AES-GCM. */
export const platform: Platform = {
  secp256k1Backend: 'noble',
  sha256: (data) => sha256(data),
  isValidPrivateKey: (privateKey) => secp256k1.utils.isValidSecretKey(privateKey),
  publicKeyFromPrivateKey: (privateKey) => secp256k1.getPublicKey(privateKey, true),
  isValidPublicKey: (publicKey) => secp256k1.utils.isValidPublicKey(publicKey, true),
  signHash: (messageHash, privateKey) => secp256k1.sign(messageHash, privateKey, signOptions),
  verifyHash: (signature, messageHash, publicKey) => {
    try {
      return secp256k1.verify(signature, messageHash, publicKey, verifyOptions);
    } catch {
      return false;
    }
  },
  scrypt,
  aesGcmEncrypt,
  aesGcmDecrypt,
};
