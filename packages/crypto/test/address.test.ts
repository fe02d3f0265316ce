import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ADDRESS_LENGTH,
  addressFromPublicKey,
  bytesToHex,
  decodeAddress,
  encodeAddress,
  hexToBytes,
  isAddress,
  isShardpayError,
  publicKeyFromPrivateKey,
} from '@shardpay/crypto';
import fc from 'fast-check';
import { propertyParameters } from './propertyParameters.ts';

// An independent bech32/bech32m encoder written from BIP 173 / BIP 350, to check the library with.
const charset = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const bech32Constant = 1;
const bech32mConstant = 0x2bc830a3;

function polymod(values: number[]): number {
  const generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let checksum = 1;
  for (const value of values) {
    const top = checksum >>> 25;
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) checksum ^= generator[i]!;
  }
  return checksum >>> 0;
}

function referenceEncode(prefix: string, data: Uint8Array, constant: number): string {
  const words: number[] = [];
  let accumulator = 0;
  let bits = 0;
  for (const byte of data) {
    accumulator = (accumulator << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      words.push((accumulator >>> bits) & 31);
    }
  }
  if (bits > 0) words.push((accumulator << (5 - bits)) & 31);
  const expanded = [...prefix].map((c) => c.charCodeAt(0) >> 5);
  expanded.push(0, ...[...prefix].map((c) => c.charCodeAt(0) & 31));
  const mod = (polymod([...expanded, ...words, 0, 0, 0, 0, 0, 0]) ^ constant) >>> 0;
  const checksum = Array.from({ length: 6 }, (_, i) => (mod >>> (5 * (5 - i))) & 31);
  return `${prefix}1${[...words, ...checksum].map((word) => charset[word]).join('')}`;
}

const addresses = fc.uint8Array({ minLength: ADDRESS_LENGTH, maxLength: ADDRESS_LENGTH });

describe('addresses', () => {
  it('checks the reference encoder against BIP 350 vectors', () => {
    assert.equal(referenceEncode('a', new Uint8Array(0), bech32mConstant), 'a1lqfn3a');
    assert.equal(referenceEncode('a', new Uint8Array(0), bech32Constant), 'a12uel5l'); // BIP 173
  });

  it('derives a fixed key → public key → address → text (known answer)', () => {
    const privateKey = hexToBytes('0000000000000000000000000000000000000000000000000000000000000001');
    const publicKey = publicKeyFromPrivateKey(privateKey);
    // sha256(G compressed) = 0f715baf5d4c2ed329785cef29e562f73488c8a2bb9dbc5700b361d54b9b0554
    const address = addressFromPublicKey(publicKey);
    assert.equal(bytesToHex(address), '0f715baf5d4c2ed329785cef29e562f73488c8a2');
    const text = encodeAddress(address, 'spd');
    assert.equal(text, 'spd1pac4ht6afshdx2tctnhjnetz7u6g3j9zqllg53');
    assert.equal(text, referenceEncode('spd', address, bech32mConstant));
    assert.deepEqual(decodeAddress(text, 'spd'), address);
  });

  it('round-trips any 20 bytes, agrees with the reference, and accepts all-uppercase', () => {
    fc.assert(
      fc.property(addresses, fc.constantFrom('sp', 'spd', 'sptest2'), (address, prefix) => {
        const text = encodeAddress(address, prefix);
        assert.equal(text, referenceEncode(prefix, address, bech32mConstant));
        assert.deepEqual(decodeAddress(text, prefix), address);
        assert.deepEqual(decodeAddress(text.toUpperCase(), prefix), address);
        assert.equal(isAddress(text, prefix), true);
      }),
      propertyParameters(200),
    );
  });

  it('refuses any single-character change with ADDRESS_INVALID', () => {
    const change = fc.record({
      address: addresses,
      at: fc.nat(),
      replacement: fc.constantFrom(...`${charset}1bioBQZ`),
    });
    fc.assert(
      fc.property(change, ({ address, at, replacement }) => {
        const text = encodeAddress(address, 'spd');
        const position = at % text.length;
        fc.pre(text[position] !== replacement);
        const altered = text.slice(0, position) + replacement + text.slice(position + 1);
        assert.throws(
          () => decodeAddress(altered, 'spd'),
          (error) => isShardpayError(error, 'ADDRESS_INVALID'),
        );
        assert.equal(isAddress(altered, 'spd'), false);
      }),
      propertyParameters(300),
    );
  });

  it('tells a bad address (ADDRESS_INVALID) from one of another network (ADDRESS_WRONG_NETWORK)', () => {
    const address = hexToBytes('00112233445566778899aabbccddeeff00112233');
    const invalid = (text: string, label: string) =>
      assert.throws(
        () => decodeAddress(text, 'spd'),
        (error) => isShardpayError(error, 'ADDRESS_INVALID'),
        label,
      );
    const text = encodeAddress(address, 'spd');
    invalid(referenceEncode('spd', address, bech32Constant), 'bech32 checksum instead of bech32m');
    invalid(`${text.slice(0, 5)}${text.slice(5, 9).toUpperCase()}${text.slice(9)}`, 'mixed case');
    invalid(referenceEncode('spd', address.subarray(0, 19), bech32mConstant), '19 bytes');
    invalid(referenceEncode('spd', Uint8Array.of(...address, 0), bech32mConstant), '21 bytes');
    invalid(`${text.slice(0, -1)}b`, 'character outside the charset');
    invalid(text.replace('spd1', 'spd'), 'no separator');
    invalid('', 'empty');
    invalid('spd1', 'prefix only');
    invalid(`${text} `, 'trailing space');
    invalid(42 as unknown as string, 'not a string');
    assert.throws(
      () => decodeAddress(encodeAddress(address, 'sp'), 'spd'),
      (error) => isShardpayError(error, 'ADDRESS_WRONG_NETWORK') && error.meta.prefix === 'sp',
    );
    assert.equal(isAddress(encodeAddress(address, 'sp'), 'spd'), false);
    assert.equal(isAddress(text, 'spd'), true);
  });

  it('never echoes the rejected input in the error (it may be a pasted secret)', () => {
    const secretLooking = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
    const almostAddress = `${encodeAddress(new Uint8Array(20), 'spd').slice(0, -1)}x`;
    for (const text of [secretLooking, almostAddress]) {
      try {
        decodeAddress(text, 'spd');
        assert.fail('expected ADDRESS_INVALID');
      } catch (error) {
        assert.ok(isShardpayError(error, 'ADDRESS_INVALID'));
        assert.ok(!error.message.includes(text), error.message);
        assert.ok(!JSON.stringify(error.meta).includes(text));
        assert.equal(error.cause, undefined);
      }
    }
  });

  it('refuses bad inputs to the encoder and invalid network prefixes', () => {
    assert.throws(
      () => encodeAddress(new Uint8Array(19), 'spd'),
      (error) => isShardpayError(error, 'ADDRESS_INVALID'),
    );
    for (const prefix of ['', 'SPD', 'sp d', '1sp', 'x'.repeat(21)]) {
      assert.throws(
        () => encodeAddress(new Uint8Array(20), prefix),
        (error) => isShardpayError(error, 'ADDRESS_PREFIX_INVALID'),
      );
      assert.throws(
        () => decodeAddress('spd1qqqq', prefix),
        (error) => isShardpayError(error, 'ADDRESS_PREFIX_INVALID'),
      );
      assert.equal(isAddress(encodeAddress(new Uint8Array(20), 'spd'), prefix), false);
    }
    assert.throws(
      () => addressFromPublicKey(new Uint8Array(33)),
      (error) => isShardpayError(error, 'KEY_INVALID'),
    );
    assert.throws(
      () => addressFromPublicKey(new Uint8Array(65)),
      (error) => isShardpayError(error, 'KEY_INVALID'),
    );
  });
});
