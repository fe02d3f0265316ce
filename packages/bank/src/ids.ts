import { randomBytes } from 'node:crypto';

/** Typed id prefixes of the bank's objects (Stripe's: payment intent, refund, payout, balance txn). */
export type BankIdPrefix = 'pi' | 're' | 'po' | 'txn' | 'req';

/** An id with its type in the prefix, e.g. `pi_3kT9…`: 16 random bytes, base64url. */
export function createBankId(prefix: BankIdPrefix): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}

/** Seconds since the epoch: how objects show times (`created`). */
export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
