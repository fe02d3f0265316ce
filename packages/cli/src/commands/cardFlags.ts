import { ShardpayError } from '@shardpay/crypto';
import type { GatewayCard } from '@shardpay/sdk';
import { parseDigitsFlag } from './rampInputs.ts';

/** The sandbox's test cards accept any future expiry and any CVC: these defaults save typing them. */
export const DEFAULT_CVC = '123';
const defaultExpiryYearsAhead = 5;

/** `--exp MM/YY` (or MM/YYYY) as month and four-digit year; default December, five years from `now`. */
export function parseExpiryFlag(
  value: string | boolean | undefined,
  now: Date,
): { month: number; year: number } {
  if (value === undefined) return { month: 12, year: now.getUTCFullYear() + defaultExpiryYearsAhead };
  const match =
    typeof value === 'string' ? /^(0?[1-9]|1[0-2])\s*\/\s*([0-9]{2}|[0-9]{4})$/.exec(value.trim()) : null;
  if (match === null) {
    throw new ShardpayError('USAGE', '--exp takes the card expiry as MM/YY, e.g. 12/30', {
      meta: { flag: 'exp' },
    });
  }
  const year = Number(match[2]);
  return { month: Number(match[1]), year: year < 100 ? 2000 + year : year };
}

/**
 * The card of `--card`, `--exp` and `--cvc`. The number goes to the gateway only; the CLI shows its
 * last 4 digits and never writes it anywhere (process arguments are visible to other local users:
 * a sandbox convenience, not a way to handle real cards).
 */
export function parseCardFlags(values: Record<string, string | boolean | undefined>, now: Date): GatewayCard {
  const number = parseDigitsFlag(values.card, 'card', 'the card number', 12, 19);
  const { month, year } = parseExpiryFlag(values.exp, now);
  const cvc =
    values.cvc === undefined
      ? DEFAULT_CVC
      : parseDigitsFlag(values.cvc, 'cvc', 'the card security code', 3, 4);
  return { number, exp_month: month, exp_year: year, cvc };
}

/** "visa •••• 4242" for people (the brand once the bank named it). */
export function describeCard(card: { brand?: string; last4: string } | null, fallbackLast4: string): string {
  return `${card?.brand ?? 'card'} •••• ${card?.last4 ?? fallbackLast4}`;
}
