import { apiError } from '../http/apiErrors.ts';

// The chain counts in 6 decimals, the bank in cents: 1 cent = 10_000 minor units.
const minorPerCent = 10_000n;

/**
 * Minor units (6 decimals) as the bank's 2-decimal string; an amount with a fraction of a cent cannot
 * be charged or paid out, so it is refused naming `param`.
 *
 * @example minorToFiat(100_500_000n) // "100.50"
 */
export function minorToFiat(minor: bigint, param = 'amount'): string {
  if (minor % minorPerCent !== 0n) {
    throw apiError('PARAMETER_INVALID', `${param} must be whole cents (at most 2 decimals)`, param);
  }
  const cents = minor / minorPerCent;
  return `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
}

/** The bank's decimal string ("100.50", "-3.00") as minor units (6 decimals). */
export function fiatToMinor(text: string): bigint {
  const match = /^(-?)([0-9]+)(?:\.([0-9]{1,2}))?$/.exec(text);
  if (match === null) throw new Error(`the bank answered a malformed amount: ${text}`);
  const cents = BigInt(match[2]!) * 100n + BigInt((match[3] ?? '').padEnd(2, '0'));
  return (match[1] === '-' ? -cents : cents) * minorPerCent;
}
