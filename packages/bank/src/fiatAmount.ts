import { bankError } from './http/bankErrors.ts';

/** The largest amount one request may move: 1,000,000.00 USD, in cents. */
export const MAX_FIAT_AMOUNT_CENTS = 100_000_000n;

const fiatAmountPattern = /^(0|[1-9][0-9]*)(?:\.([0-9]{1,2}))?$/;

/**
 * Parses a dollar amount with at most 2 decimals ("100", "100.5", "100.50") into cents. Zero,
 * negative, malformed, 3+ decimals or over 1,000,000.00 → 400 PARAMETER_INVALID naming `param`.
 *
 * @example parseFiatAmount('100.5') // 10050n
 */
export function parseFiatAmount(text: string, param = 'amount', maxCents = MAX_FIAT_AMOUNT_CENTS): bigint {
  const match = fiatAmountPattern.exec(text);
  if (match === null) {
    const reason = /^[0-9]+\.[0-9]{3,}$/.test(text)
      ? 'has more than 2 decimals'
      : text.startsWith('-')
        ? 'is negative'
        : 'is not a decimal amount like "100.50"';
    throw bankError('PARAMETER_INVALID', `${param} ${reason}`, param);
  }
  const cents = BigInt(match[1]!) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
  if (cents === 0n) throw bankError('PARAMETER_INVALID', `${param} must be above zero`, param);
  if (cents > maxCents) {
    throw bankError('PARAMETER_INVALID', `${param} is at most ${formatFiatAmount(maxCents)}`, param);
  }
  return cents;
}

/** True when `text` is an amount `parseFiatAmount` takes (the schemas' `fiat-amount` format). */
export function isFiatAmount(text: string): boolean {
  try {
    parseFiatAmount(text);
    return true;
  } catch {
    return false;
  }
}

/** Cents as a decimal string with exactly 2 decimals; negative for debits ("-12.50"). */
export function formatFiatAmount(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const magnitude = cents < 0n ? -cents : cents;
  return `${sign}${magnitude / 100n}.${(magnitude % 100n).toString().padStart(2, '0')}`;
}
