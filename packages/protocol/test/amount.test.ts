import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatAmount, MAX_AMOUNT, parseAmount } from '../src/index.ts';
import { assertThrowsCode } from './assertions.ts';
import { propertyParameters } from './propertyParameters.ts';

describe('parseAmount', () => {
  const good: Array<[string, bigint]> = [
    ['12.5', 12_500_000n],
    ['0.000001', 1n],
    ['1', 1_000_000n],
    ['1.0', 1_000_000n],
    ['12.500000', 12_500_000n],
    ['0.1', 100_000n],
    ['999999.999999', 999_999_999_999n],
    ['18446744073709.551615', MAX_AMOUNT],
  ];
  for (const [text, minor] of good) {
    it(`'${text}' → ${minor}`, () => {
      assert.equal(parseAmount(text), minor);
    });
  }

  const bad: Array<[string, string, string | undefined]> = [
    ['', 'AMOUNT_INVALID', 'malformed'],
    ['-1', 'AMOUNT_INVALID', 'negative'],
    ['-0.5', 'AMOUNT_INVALID', 'negative'],
    ['+1', 'AMOUNT_INVALID', 'malformed'],
    ['1e3', 'AMOUNT_INVALID', 'malformed'],
    [' 1', 'AMOUNT_INVALID', 'malformed'],
    ['1 ', 'AMOUNT_INVALID', 'malformed'],
    ['1.', 'AMOUNT_INVALID', 'malformed'],
    ['.5', 'AMOUNT_INVALID', 'malformed'],
    ['1,000', 'AMOUNT_INVALID', 'malformed'],
    ['1_000', 'AMOUNT_INVALID', 'malformed'],
    ['0x10', 'AMOUNT_INVALID', 'malformed'],
    ['١', 'AMOUNT_INVALID', 'malformed'],
    ['NaN', 'AMOUNT_INVALID', 'malformed'],
    ['1.2.3', 'AMOUNT_INVALID', 'malformed'],
    ['007', 'AMOUNT_INVALID', 'leading_zero'],
    ['00.5', 'AMOUNT_INVALID', 'leading_zero'],
    ['0.0000001', 'AMOUNT_INVALID', 'too_many_decimals'],
    ['1.0000000', 'AMOUNT_INVALID', 'too_many_decimals'],
    ['0', 'AMOUNT_INVALID', 'zero'],
    ['0.000000', 'AMOUNT_INVALID', 'zero'],
    ['18446744073709.551616', 'AMOUNT_TOO_LARGE', undefined],
    ['18446744073710', 'AMOUNT_TOO_LARGE', undefined],
    ['9'.repeat(10_000), 'AMOUNT_TOO_LARGE', undefined],
  ];
  for (const [text, code, reason] of bad) {
    it(`'${text.length > 30 ? `${text.slice(0, 10)}…` : text}' → ${code}${reason ? ` (${reason})` : ''}`, () => {
      assertThrowsCode(() => parseAmount(text), code, reason);
    });
  }

  it('refuses non-strings', () => {
    assertThrowsCode(() => parseAmount(5 as unknown as string), 'AMOUNT_INVALID', 'not_string');
  });

  it('accepts zero only with allowZero', () => {
    assert.equal(parseAmount('0', { allowZero: true }), 0n);
    assert.equal(parseAmount('0.00', { allowZero: true }), 0n);
    assertThrowsCode(() => parseAmount('0', { allowZero: false }), 'AMOUNT_INVALID', 'zero');
  });
});

describe('formatAmount', () => {
  it('always gives 6 decimals', () => {
    assert.equal(formatAmount(12_500_000n), '12.500000');
    assert.equal(formatAmount(1n), '0.000001');
    assert.equal(formatAmount(0n), '0.000000');
    assert.equal(formatAmount(MAX_AMOUNT), '18446744073709.551615');
    assert.equal(formatAmount(-1_500_000n), '-1.500000');
  });

  it('parseAmount(formatAmount(x)) = x for every amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_AMOUNT }), (minor) => {
        const text = formatAmount(minor);
        assert.match(text, /^(0|[1-9][0-9]*)\.[0-9]{6}$/);
        assert.equal(parseAmount(text, { allowZero: true }), minor);
      }),
      propertyParameters(),
    );
  });

  it('refuses non-bigints', () => {
    assertThrowsCode(() => formatAmount(5 as unknown as bigint), 'AMOUNT_INVALID', 'not_bigint');
  });
});
