import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concatBytes, equalBytes, isShardpayError } from '@shardpay/crypto';
import fc from 'fast-check';
import { assertThrowsCode } from './assertions.ts';
import { kindCases } from './kinds.ts';
import { propertyParameters } from './propertyParameters.ts';

/** Decodes `bytes`; requires either DECODE_ERROR or a value that re-encodes to exactly `bytes`. */
function assertCanonicalOrRejected(
  decode: (b: Uint8Array) => unknown,
  encode: (v: unknown) => Uint8Array,
  bytes: Uint8Array,
) {
  let value: unknown;
  try {
    value = decode(bytes);
  } catch (error) {
    assert.ok(isShardpayError(error, 'DECODE_ERROR'), `expected DECODE_ERROR, got ${String(error)}`);
    return;
  }
  assert.ok(equalBytes(encode(value), bytes), 'a decoded value must re-encode to the same bytes');
}

for (const c of kindCases) {
  describe(`codec: ${c.name}`, () => {
    it('round-trips every value: decode(encode(v)) = v, and re-encoding gives the same bytes', () => {
      fc.assert(
        fc.property(c.arbitrary, (value) => {
          const bytes = c.encode(value);
          assert.equal(bytes[0], c.kind, 'the first byte is the object kind');
          const decoded = c.decode(bytes);
          assert.deepStrictEqual(decoded, value);
          assert.ok(equalBytes(c.encode(decoded), bytes));
        }),
        propertyParameters(),
      );
    });

    it('refuses every truncation with reason truncated', () => {
      fc.assert(
        fc.property(c.arbitrary, fc.nat(), (value, cut) => {
          const bytes = c.encode(value);
          const length = cut % bytes.length;
          assertThrowsCode(() => c.decode(bytes.subarray(0, length)), 'DECODE_ERROR', 'truncated');
        }),
        propertyParameters(),
      );
    });

    it('refuses appended bytes with reason trailing_bytes', () => {
      fc.assert(
        fc.property(c.arbitrary, fc.uint8Array({ minLength: 1, maxLength: 40 }), (value, extra) => {
          const bytes = concatBytes(c.encode(value), extra);
          const error = assertThrowsCode(() => c.decode(bytes), 'DECODE_ERROR', 'trailing_bytes');
          assert.equal(error.meta.offset, bytes.length - extra.length);
        }),
        propertyParameters(),
      );
    });

    it('refuses any other object kind byte with reason wrong_kind', () => {
      fc.assert(
        fc.property(c.arbitrary, fc.integer({ min: 0, max: 255 }), (value, kind) => {
          fc.pre(kind !== c.kind);
          const bytes = c.encode(value).slice();
          bytes[0] = kind;
          assertThrowsCode(() => c.decode(bytes), 'DECODE_ERROR', 'wrong_kind');
        }),
        propertyParameters(),
      );
    });

    it('after any byte flips, either refuses (DECODE_ERROR) or re-encodes to the mutated bytes', () => {
      fc.assert(
        fc.property(
          c.arbitrary,
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }),
          (value, flips) => {
            const bytes = c.encode(value).slice();
            for (const [position, xor] of flips) {
              const i = position % bytes.length;
              bytes[i] = (bytes[i] ?? 0) ^ xor;
            }
            assertCanonicalOrRejected(c.decode, c.encode, bytes);
          },
        ),
        propertyParameters(),
      );
    });

    it('random bytes after the kind byte are refused or canonical', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), (tail) => {
          assertCanonicalOrRejected(c.decode, c.encode, concatBytes(new Uint8Array([c.kind]), tail));
        }),
        propertyParameters(),
      );
    });
  });
}

describe('codec: kinds never cross', () => {
  it('every kind byte is distinct', () => {
    const kinds = kindCases.map((c) => c.kind);
    assert.equal(new Set(kinds).size, kinds.length);
  });

  it('bytes of one kind are refused by every other decoder with wrong_kind', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...kindCases),
        fc.constantFrom(...kindCases),
        fc.nat(),
        (source, target, seed) => {
          fc.pre(source.name !== target.name);
          const value = fc.sample(source.arbitrary, { numRuns: 1, seed })[0];
          assertThrowsCode(() => target.decode(source.encode(value)), 'DECODE_ERROR', 'wrong_kind');
        },
      ),
      propertyParameters(200),
    );
  });

  it('refuses input that is not a Uint8Array', () => {
    for (const c of kindCases) {
      assertThrowsCode(() => c.decode('01' as unknown as Uint8Array), 'DECODE_ERROR', 'not_bytes');
      assertThrowsCode(() => c.decode(new Uint8Array(0)), 'DECODE_ERROR', 'truncated');
    }
  });
});
