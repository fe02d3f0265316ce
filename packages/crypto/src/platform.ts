/**
 * What differs between Node and browsers. `#platform` (package.json `imports`) picks
 * `platform.node.ts` under the `node` condition and `platform.browser.ts` everywhere else, so a
 * browser bundle never loads node:crypto or the native addon. Both must give identical bytes.
 *
 * Callers validate inputs first (lengths, key ranges): these functions assume well-formed arguments,
 * except `verifyHash`, which must answer false rather than throw on anything it cannot parse.
 */
export interface Platform {
  /** Which secp256k1 implementation this platform verifies with. */
  readonly secp256k1Backend: 'native' | 'noble';
  sha256(data: Uint8Array): Uint8Array;
  /** `privateKey` is 32 bytes; true when it is a scalar in [1, n-1]. */
  isValidPrivateKey(privateKey: Uint8Array): boolean;
  /** 33-byte compressed public key of a valid private key. */
  publicKeyFromPrivateKey(privateKey: Uint8Array): Uint8Array;
  /** `publicKey` is 33 bytes; true when it is a compressed point on the curve. */
  isValidPublicKey(publicKey: Uint8Array): boolean;
  /** RFC 6979 deterministic, low-S, compact r‖s over a 32-byte hash (no prehash). */
  signHash(hash: Uint8Array, privateKey: Uint8Array): Uint8Array;
  /** Lengths already checked (64, 32, 33); false for high-S, out-of-range r/s or an invalid point. */
  verifyHash(signature: Uint8Array, hash: Uint8Array, publicKey: Uint8Array): boolean;
  scrypt(password: Uint8Array, salt: Uint8Array, params: ScryptParams): Promise<Uint8Array>;
  aesGcmEncrypt(
    key: Uint8Array,
    iv: Uint8Array,
    plaintext: Uint8Array,
    aad: Uint8Array,
  ): Promise<AesGcmSealed>;
  /** The plaintext, or undefined when the tag does not authenticate (wrong key or altered data). */
  aesGcmDecrypt(
    key: Uint8Array,
    iv: Uint8Array,
    sealed: AesGcmSealed,
    aad: Uint8Array,
  ): Promise<Uint8Array | undefined>;
}

export interface ScryptParams {
  n: number;
  r: number;
  p: number;
  keyLength: number;
}

/** AES-GCM output with the 16-byte tag kept apart (the keystore stores it in its own field). */
export interface AesGcmSealed {
  ciphertext: Uint8Array;
  tag: Uint8Array;
}

/** Bytes scrypt needs (128·N·r for V, 128·r·p for B), with headroom, for Node's `maxmem`. */
export function scryptMemoryBytes(params: ScryptParams): number {
  return 128 * params.n * params.r + 128 * params.r * params.p + 1024 * 1024;
}
