import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bytesToHex,
  bytesToUtf8,
  compareBytes,
  concatBytes,
  constantTimeEqual,
  equalBytes,
  hexToBytes,
  isShardpayError,
  randomBytes,
  utf8ToBytes,
} from '@shardpay/crypto';
import fc from 'fast-check';
import { propertyParameters } from './propertyParameters.ts';

const bytes = fc.uint8Array({ maxLength: 64 });

describe('hex', () => {
  it('encodes lowercase and decodes back', () => {
    assert.equal(bytesToHex(Uint8Array.from([0x00, 0x0f, 0xa0, 0xff])), '000fa0ff');
    assert.deepEqual(hexToBytes('000fa0ff'), Uint8Array.from([0x00, 0x0f, 0xa0, 0xff]));
    assert.deepEqual(hexToBytes('ABCDEF'), Uint8Array.from([0xab, 0xcd, 0xef]));
    assert.deepEqual(hexToBytes(''), new Uint8Array(0));
  });

  it('round-trips any bytes and agrees with Buffer', () => {
    fc.assert(
      fc.property(bytes, (data) => {
        const hex = bytesToHex(data);
        assert.equal(hex, Buffer.from(data).toString('hex'));
        assert.deepEqual(hexToBytes(hex), data);
        assert.deepEqual(hexToBytes(hex.toUpperCase()), data);
      }),
      propertyParameters(300),
    );
  });

  it('refuses odd lengths and non-hex characters with HEX_INVALID', () => {
    for (const bad of ['0', 'abc', 'zz', '0x00', ' 00', '00 ', 'g0', '0\u0660', '+1', '-1']) {
      assert.throws(
        () => hexToBytes(bad),
        (error) => isShardpayError(error, 'HEX_INVALID'),
        bad,
      );
    }
  });
});

describe('utf8', () => {
  it('round-trips text, keeping a leading BOM', () => {
    for (const text of ['', 'abc', 'héllo wörld', '𝄞 emoji 💸', '\uFEFFbom']) {
      assert.equal(bytesToUtf8(utf8ToBytes(text)), text);
    }
    assert.deepEqual(utf8ToBytes('é'), Uint8Array.from([0xc3, 0xa9]));
  });

  it('refuses malformed UTF-8 with UTF8_INVALID', () => {
    const malformed = [
      [0xff], // never valid
      [0xc3], // truncated sequence
      [0xc0, 0x80], // overlong NUL
      [0xed, 0xa0, 0x80], // encoded surrogate
      [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
      [0x61, 0x80], // stray continuation byte
    ];
    for (const sequence of malformed) {
      assert.throws(
        () => bytesToUtf8(Uint8Array.from(sequence)),
        (error) => isShardpayError(error, 'UTF8_INVALID'),
        sequence.join(','),
      );
    }
  });
});

describe('concat, equality and order', () => {
  it('concatenates in order', () => {
    assert.deepEqual(concatBytes(), new Uint8Array(0));
    assert.deepEqual(
      concatBytes(Uint8Array.from([1]), new Uint8Array(0), Uint8Array.from([2, 3])),
      Uint8Array.from([1, 2, 3]),
    );
  });

  it('equalBytes and constantTimeEqual agree with Buffer.equals, lengths included', () => {
    fc.assert(
      fc.property(bytes, bytes, fc.boolean(), (a, other, same) => {
        const b = same ? Uint8Array.from(a) : other;
        const expected = Buffer.from(a).equals(Buffer.from(b));
        assert.equal(equalBytes(a, b), expected);
        assert.equal(constantTimeEqual(a, b), expected);
      }),
      propertyParameters(300),
    );
    assert.equal(constantTimeEqual(Uint8Array.from([1, 2]), Uint8Array.from([1, 2, 0])), false);
    assert.equal(constantTimeEqual(new Uint8Array(0), Uint8Array.from([0])), false);
    assert.equal(constantTimeEqual(Uint8Array.from([0]), new Uint8Array(0)), false);
    assert.equal(constantTimeEqual(new Uint8Array(0), new Uint8Array(0)), true);
  });

  it('compareBytes sorts like Buffer.compare (lexicographic, prefix first)', () => {
    fc.assert(
      fc.property(bytes, bytes, (a, b) => {
        assert.equal(Math.sign(compareBytes(a, b)), Buffer.compare(Buffer.from(a), Buffer.from(b)));
      }),
      propertyParameters(300),
    );
    assert.ok(compareBytes(Uint8Array.from([1]), Uint8Array.from([1, 0])) < 0);
    assert.ok(compareBytes(Uint8Array.from([2]), Uint8Array.from([1, 9])) > 0);
  });
});

describe('randomBytes', () => {
  it('returns the asked length, also above the 65536-byte getRandomValues limit', () => {
    assert.equal(randomBytes(0).length, 0);
    const large = randomBytes(70_000);
    assert.equal(large.length, 70_000);
    // Both chunks were filled: the chance of 1000 zero bytes from a CSPRNG is nil.
    assert.ok(large.subarray(0, 1000).some((byte) => byte !== 0));
    assert.ok(large.subarray(69_000).some((byte) => byte !== 0));
    assert.notDeepEqual(randomBytes(32), randomBytes(32));
  });

  it('refuses a negative or fractional length', () => {
    for (const length of [-1, 1.5, Number.NaN]) {
      assert.throws(
        () => randomBytes(length),
        (error) => isShardpayError(error, 'LENGTH_INVALID'),
      );
    }
  });
});
