import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bytesToHex,
  generatePrivateKey,
  hexToBytes,
  isShardpayError,
  isValidPrivateKey,
  isValidPublicKey,
  publicKeyFromPrivateKey,
  secp256k1Backend,
  sha256,
  signHash,
  utf8ToBytes,
  verifyHash,
} from '@shardpay/crypto';
import fc from 'fast-check';
import { platform as browserPlatform } from '../src/platform.browser.ts';
import { loadNativeSecp256k1, platform as nodePlatform } from '../src/platform.node.ts';
import { propertyParameters } from './propertyParameters.ts';

const curveOrder = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const generatorCompressed = '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';

function scalarBytes(value: bigint): Uint8Array {
  return hexToBytes(value.toString(16).padStart(64, '0'));
}

const privateKeys = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .filter((candidate) => isValidPrivateKey(candidate));
const hashes = fc.uint8Array({ minLength: 32, maxLength: 32 });

describe('secp256k1 backend', () => {
  it('verifies with the native libsecp256k1 build in Node', () => {
    assert.equal(secp256k1Backend(), 'native');
    assert.equal(nodePlatform.secp256k1Backend, 'native');
    assert.equal(browserPlatform.secp256k1Backend, 'noble');
  });

  it('loads the compiled addon, and fails loudly (no silent JS fallback) when it is missing', () => {
    const native = loadNativeSecp256k1();
    assert.equal(typeof native.ecdsaVerify, 'function');
    // secp256k1's main entry would hand back elliptic's JS version here; we must throw instead.
    assert.throws(
      () => loadNativeSecp256k1('secp256k1/no-such-native-build.js'),
      (error) =>
        isShardpayError(error, 'SECP256K1_NATIVE_UNAVAILABLE') && /npm rebuild secp256k1/.test(error.message),
    );
  });
});

describe('keys', () => {
  it('private key 1 has the generator as public key (both backends)', () => {
    const one = scalarBytes(1n);
    assert.equal(bytesToHex(publicKeyFromPrivateKey(one)), generatorCompressed);
    assert.equal(bytesToHex(browserPlatform.publicKeyFromPrivateKey(one)), generatorCompressed);
  });

  it('accepts exactly the scalars 1..n-1 of 32 bytes', () => {
    assert.equal(isValidPrivateKey(scalarBytes(1n)), true);
    assert.equal(isValidPrivateKey(scalarBytes(curveOrder - 1n)), true);
    assert.equal(isValidPrivateKey(scalarBytes(0n)), false);
    assert.equal(isValidPrivateKey(scalarBytes(curveOrder)), false);
    assert.equal(isValidPrivateKey(new Uint8Array(32).fill(0xff)), false);
    assert.equal(isValidPrivateKey(new Uint8Array(31).fill(1)), false);
    assert.equal(isValidPrivateKey(new Uint8Array(33).fill(1)), false);
    assert.equal(isValidPrivateKey('01' as unknown as Uint8Array), false);
    for (const backend of [nodePlatform, browserPlatform]) {
      assert.equal(backend.isValidPrivateKey(scalarBytes(curveOrder - 1n)), true);
      assert.equal(backend.isValidPrivateKey(scalarBytes(curveOrder)), false);
      assert.equal(backend.isValidPrivateKey(scalarBytes(0n)), false);
    }
  });

  it('accepts only 33-byte compressed points on the curve', () => {
    const generator = hexToBytes(generatorCompressed);
    assert.equal(isValidPublicKey(generator), true);
    const wrongPrefix = Uint8Array.from(generator);
    wrongPrefix[0] = 0x04;
    assert.equal(isValidPublicKey(wrongPrefix), false);
    // x = 5: x^3 + 7 = 132 is not a square mod p, so no point has this x.
    const offCurve = scalarBytes(5n);
    const offCurveKey = new Uint8Array(33);
    offCurveKey[0] = 0x02;
    offCurveKey.set(offCurve, 1);
    assert.equal(isValidPublicKey(offCurveKey), false);
    assert.equal(browserPlatform.isValidPublicKey(offCurveKey), false);
    assert.equal(isValidPublicKey(generator.subarray(0, 32)), false);
    assert.equal(isValidPublicKey(new Uint8Array(65)), false);
  });

  it('generates distinct valid private keys', () => {
    const first = generatePrivateKey();
    const second = generatePrivateKey();
    assert.equal(isValidPrivateKey(first), true);
    assert.equal(isValidPrivateKey(second), true);
    assert.notDeepEqual(first, second);
  });

  it('refuses to derive a public key from an invalid private key', () => {
    assert.throws(
      () => publicKeyFromPrivateKey(scalarBytes(0n)),
      (error) => isShardpayError(error, 'KEY_INVALID'),
    );
  });
});

describe('sign and verify', () => {
  it('gives the RFC 6979 low-S signature of the well-known vector (key 1, sha256("Satoshi Nakamoto"))', () => {
    const hash = sha256(utf8ToBytes('Satoshi Nakamoto'));
    const expected =
      '934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8' +
      '2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5';
    assert.equal(bytesToHex(signHash(hash, scalarBytes(1n))), expected);
    assert.equal(bytesToHex(browserPlatform.signHash(hash, scalarBytes(1n))), expected);
    assert.equal(verifyHash(hexToBytes(expected), hash, hexToBytes(generatorCompressed)), true);
  });

  it('round-trips, and native and noble give the same bytes and accept each other', () => {
    fc.assert(
      fc.property(privateKeys, hashes, (privateKey, hash) => {
        const publicKey = publicKeyFromPrivateKey(privateKey);
        assert.deepEqual(browserPlatform.publicKeyFromPrivateKey(privateKey), publicKey);
        const native = signHash(hash, privateKey);
        const noble = browserPlatform.signHash(hash, privateKey);
        assert.equal(native.length, 64);
        assert.deepEqual(noble, native);
        // low-S: s ≤ n/2
        assert.ok(BigInt(`0x${bytesToHex(native.subarray(32))}`) <= curveOrder / 2n);
        assert.equal(verifyHash(native, hash, publicKey), true);
        assert.equal(browserPlatform.verifyHash(native, hash, publicKey), true);
        assert.equal(nodePlatform.verifyHash(noble, hash, publicKey), true);
      }),
      propertyParameters(150),
    );
  });

  it('is false once any byte of the hash, signature or public key changes (both backends)', () => {
    const privateKey = scalarBytes(0x1234567890abcdefn);
    const publicKey = publicKeyFromPrivateKey(privateKey);
    const part = fc.constantFrom('hash', 'signature', 'publicKey');
    fc.assert(
      fc.property(hashes, part, fc.nat(), fc.integer({ min: 1, max: 255 }), (hash, which, at, delta) => {
        const signature = signHash(hash, privateKey);
        const inputs = {
          hash: Uint8Array.from(hash),
          signature: Uint8Array.from(signature),
          publicKey: Uint8Array.from(publicKey),
        };
        const target = inputs[which];
        target[at % target.length]! ^= delta;
        assert.equal(verifyHash(inputs.signature, inputs.hash, inputs.publicKey), false);
        assert.equal(browserPlatform.verifyHash(inputs.signature, inputs.hash, inputs.publicKey), false);
      }),
      propertyParameters(300),
    );
  });

  it('rejects the high-S twin of a valid signature (malleability) on both backends', () => {
    const privateKey = scalarBytes(42n);
    const publicKey = publicKeyFromPrivateKey(privateKey);
    const hash = sha256(utf8ToBytes('pay 5 to bob'));
    const signature = signHash(hash, privateKey);
    const s = BigInt(`0x${bytesToHex(signature.subarray(32))}`);
    const highS = Uint8Array.from(signature);
    highS.set(scalarBytes(curveOrder - s), 32);
    assert.equal(verifyHash(signature, hash, publicKey), true);
    assert.equal(verifyHash(highS, hash, publicKey), false);
    assert.equal(browserPlatform.verifyHash(highS, hash, publicKey), false);
  });

  it('never throws on malformed input: answers false', () => {
    const privateKey = scalarBytes(7n);
    const publicKey = publicKeyFromPrivateKey(privateKey);
    const hash = sha256(utf8ToBytes('m'));
    const signature = signHash(hash, privateKey);
    const rOverflow = Uint8Array.from(signature);
    rOverflow.fill(0xff, 0, 32);
    const sZero = Uint8Array.from(signature);
    sZero.fill(0, 32);
    const cases: Array<[string, unknown, unknown, unknown]> = [
      ['r ≥ n', rOverflow, hash, publicKey],
      ['s = 0', sZero, hash, publicKey],
      ['all-zero signature', new Uint8Array(64), hash, publicKey],
      ['short signature', signature.subarray(0, 63), hash, publicKey],
      ['DER-length signature', new Uint8Array(71), hash, publicKey],
      ['short hash', signature, hash.subarray(0, 31), publicKey],
      ['long hash', signature, new Uint8Array(33), publicKey],
      ['uncompressed-length key', signature, hash, new Uint8Array(65)],
      ['zero key', signature, hash, new Uint8Array(33)],
      ['string signature', bytesToHex(signature), hash, publicKey],
      ['null key', signature, hash, null],
      ['undefined hash', signature, undefined, publicKey],
    ];
    for (const [label, sig, messageHash, key] of cases) {
      assert.equal(verifyHash(sig as Uint8Array, messageHash as Uint8Array, key as Uint8Array), false, label);
    }
    for (const backend of [nodePlatform, browserPlatform]) {
      assert.equal(backend.verifyHash(rOverflow, hash, publicKey), false);
      assert.equal(backend.verifyHash(sZero, hash, publicKey), false);
    }
  });

  it('signHash refuses a hash that is not 32 bytes and an invalid key', () => {
    const privateKey = scalarBytes(7n);
    assert.throws(
      () => signHash(new Uint8Array(31), privateKey),
      (error) => isShardpayError(error, 'HASH_INVALID'),
    );
    assert.throws(
      () => signHash(utf8ToBytes('not a hash'), privateKey),
      (error) => isShardpayError(error, 'HASH_INVALID'),
    );
    assert.throws(
      () => signHash(new Uint8Array(32), scalarBytes(curveOrder)),
      (error) => isShardpayError(error, 'KEY_INVALID'),
    );
  });
});
