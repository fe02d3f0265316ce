import { ShardpayError } from '@shardpay/crypto';
import { AMOUNT_DECIMALS, MAX_AMOUNT } from './types.ts';

const MINOR_PER_UNIT = 10n ** BigInt(AMOUNT_DECIMALS);
const AMOUNT_PATTERN = /^([0-9]+)(?:\.([0-9]+))?$/;
// MAX_AMOUNT / 10^6 has 14 integer digits; anything much longer is refused before BigInt sees it.
const MAX_INTEGER_DIGITS = 20;

/** Options of `parseAmount`. */
export interface ParseAmountOptions {
  /** Accept '0' (for fees and balances). Payments refuse zero, so the default is false. */
  allowZero?: boolean;
}

function amountInvalid(reason: string, message: string): ShardpayError {
  return new ShardpayError('AMOUNT_INVALID', message, { meta: { reason } });
}

/**
 * Parses a decimal dollar amount into minor units (6 decimals). One spelling per value: digits,
 * optionally '.' and 1 to 6 digits; no sign, exponent, spaces, leading zeros ('007'), bare
 * point ('1.', '.5') or digit grouping. Throws AMOUNT_INVALID (meta.reason: not_string,
 * negative, malformed, leading_zero, too_many_decimals, zero) or AMOUNT_TOO_LARGE.
 *
 * @example parseAmount('12.5') // 12500000n
 */
export function parseAmount(text: string, options: ParseAmountOptions = {}): bigint {
  if (typeof text !== 'string') throw amountInvalid('not_string', 'an amount must be a string');
  const match = AMOUNT_PATTERN.exec(text);
  if (match === null) {
    if (text.startsWith('-') && AMOUNT_PATTERN.test(text.slice(1))) {
      throw amountInvalid('negative', 'an amount cannot be negative');
    }
    throw amountInvalid(
      'malformed',
      'an amount is digits, optionally a point and 1 to 6 decimals (e.g. 12.50)',
    );
  }
  const integerPart = match[1] ?? '';
  const fractionPart = match[2] ?? '';
  if (integerPart.length > 1 && integerPart.startsWith('0')) {
    throw amountInvalid('leading_zero', 'an amount cannot have leading zeros');
  }
  if (fractionPart.length > AMOUNT_DECIMALS) {
    throw amountInvalid('too_many_decimals', `an amount has at most ${AMOUNT_DECIMALS} decimals`);
  }
  if (integerPart.length > MAX_INTEGER_DIGITS) throw amountTooLarge();
  const minor = BigInt(integerPart) * MINOR_PER_UNIT + BigInt(fractionPart.padEnd(AMOUNT_DECIMALS, '0'));
  if (minor > MAX_AMOUNT) throw amountTooLarge();
  if (minor === 0n && options.allowZero !== true) throw amountInvalid('zero', 'an amount must be above zero');
  return minor;
}

function amountTooLarge(): ShardpayError {
  return new ShardpayError('AMOUNT_TOO_LARGE', `an amount is at most ${formatAmount(MAX_AMOUNT)}`, {
    meta: { max: formatAmount(MAX_AMOUNT) },
  });
}

/**
 * Formats minor units as a decimal string with exactly 6 decimals. Any bigint is accepted
 * (a negative one gets a leading '-', for display of debits).
 *
 * @example formatAmount(12500000n) // '12.500000'
 */
export function formatAmount(minor: bigint): string {
  if (typeof minor !== 'bigint')
    throw amountInvalid('not_bigint', 'an amount in minor units must be a bigint');
  const sign = minor < 0n ? '-' : '';
  const magnitude = minor < 0n ? -minor : minor;
  const units = magnitude / MINOR_PER_UNIT;
  const fraction = (magnitude % MINOR_PER_UNIT).toString().padStart(AMOUNT_DECIMALS, '0');
  return `${sign}${units}.${fraction}`;
}
