import { createCipheriv, createDecipheriv, hash, scrypt as scryptCallback } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as Secp256k1Native from 'secp256k1';
import type { AesGcmSealed, Platform, ScryptParams } from './platform.ts';
import { scryptMemoryBytes } from './platform.ts';
import { ShardpayError } from './ShardpayError.ts';

/**
 * Loads the native libsecp256k1 binding. `secp256k1`'s main entry silently falls back to a JS
 * implementation (elliptic, ~40x slower) when the addon is missing; a node must not run on that, so
 * we load `bindings.js` (native only) ourselves and fail loudly, naming the cause.
 */
export function loadNativeSecp256k1(moduleId = 'secp256k1/bindings.js'): typeof Secp256k1Native {
  const require = createRequire(import.meta.url);
  let native: typeof Secp256k1Native;
  try {
    native = require(moduleId) as typeof Secp256k1Native;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ShardpayError(
      'SECP256K1_NATIVE_UNAVAILABLE',
      `the native secp256k1 addon failed to load (${reason}); the JS fallback is ~40x slower and is not ` +
        `used on Node. Reinstall or rebuild it: \`npm rebuild secp256k1\` (needs a prebuild for ` +
        `${process.platform}-${process.arch} or a C++ toolchain).`,
      { meta: { platform: process.platform, arch: process.arch }, cause: error },
    );
  }
  // Smoke test: private key 1 must give the generator G. Catches a loaded but broken build.
  const one = new Uint8Array(32);
  one[31] = 1;
  const generator = native.publicKeyCreate(one, true);
  if (generator[0] !== 0x02 || generator[1] !== 0x79 || generator[32] !== 0x98) {
    throw new ShardpayError('SECP256K1_NATIVE_UNAVAILABLE', 'the native secp256k1 addon computes wrong keys');
  }
  return native;
}

const native = loadNativeSecp256k1();

/** A Uint8Array view of a Buffer, so results compare equal (deepStrictEqual) with plain arrays. */
function toPlainBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function scrypt(password: Uint8Array, salt: Uint8Array, params: ScryptParams): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const options = { N: params.n, r: params.r, p: params.p, maxmem: scryptMemoryBytes(params) };
    scryptCallback(password, salt, params.keyLength, options, (error, key) => {
      if (error) reject(error);
      else resolve(toPlainBytes(key));
    });
  });
}

async function aesGcmEncrypt(
  key: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Promise<AesGcmSealed> {
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext: toPlainBytes(ciphertext), tag: toPlainBytes(cipher.getAuthTag()) };
}

async function aesGcmDecrypt(
  key: Uint8Array,
  iv: Uint8Array,
  sealed: AesGcmSealed,
  aad: Uint8Array,
): Promise<Uint8Array | undefined> {
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  decipher.setAuthTag(sealed.tag);
  decipher.setAAD(aad);
  const head = decipher.update(sealed.ciphertext);
  try {
    return toPlainBytes(Buffer.concat([head, decipher.final()]));
  } catch {
    head.fill(0); // unauthenticated plaintext must not linger
    return undefined;
  }
}

/** Node: node:crypto for hashing and the keystore, native libsecp256k1 for signatures. */
export const platform: Platform = {
  secp256k1Backend: 'native',
  sha256: (data) => toPlainBytes(hash('sha256', data, 'buffer')),
  isValidPrivateKey: (privateKey) => native.privateKeyVerify(privateKey),
  publicKeyFromPrivateKey: (privateKey) => native.publicKeyCreate(privateKey, true),
  isValidPublicKey: (publicKey) => native.publicKeyVerify(publicKey),
  // ecdsaSign normalizes to low-S and uses RFC 6979 nonces when no options are given.
  signHash: (messageHash, privateKey) => native.ecdsaSign(messageHash, privateKey).signature,
  verifyHash: (signature, messageHash, publicKey) => {
    try {
      // Rejects high-S (libsecp256k1 only accepts normalized signatures); throws on r or s ≥ n.
      return native.ecdsaVerify(signature, messageHash, publicKey);
    } catch {
      return false;
    }
  },
  scrypt,
  aesGcmEncrypt,
  aesGcmDecrypt,
};
