import { formatAmount, parseAmount } from '@shardpay/protocol';

/** "12.500000" (the API's 6 decimals) → "$12.50": at least cents, more decimals only when they are not zero. */
export function formatUsd(amount: string | bigint): string {
  let minor: bigint;
  try {
    minor = typeof amount === 'bigint' ? amount : parseAmount(amount, { allowZero: true });
  } catch {
    return `$${String(amount)}`;
  }
  const negative = minor < 0n;
  const text = formatAmount(negative ? -minor : minor);
  const [whole = '0', fraction = ''] = text.split('.');
  const trimmed = fraction.replace(/0+$/, '').padEnd(2, '0');
  return `${negative ? '-' : ''}$${whole}.${trimmed}`;
}

/** The amount typed in a form as minor units, or null when it is not a positive amount of at most 6 decimals. */
export function parseTypedAmount(text: string): bigint | null {
  try {
    return parseAmount(text.trim());
  } catch {
    return null;
  }
}

/** Dollars in whole cents ("100", "12.50"), as card purchases and cash-outs take them; null otherwise. */
export function parseCentsAmount(text: string): string | null {
  const trimmed = text.trim();
  if (!/^(0|[1-9][0-9]{0,8})(\.[0-9]{1,2})?$/.test(trimmed)) return null;
  return parseTypedAmount(trimmed) === null ? null : trimmed;
}
