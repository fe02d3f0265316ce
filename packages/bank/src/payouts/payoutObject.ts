import { formatFiatAmount } from '../fiatAmount.ts';
import { unixSeconds } from '../ids.ts';

/** A `payouts` row as the database returns it. */
export interface PayoutRow {
  id: string;
  amount: bigint;
  currency: string;
  routing_number: string;
  account_last4: string;
  status: string;
  failure_code: string | null;
  failure_message: string | null;
  description: string | null;
  metadata: Record<string, string>;
  created_at: Date;
  settle_at: Date;
}

export const payoutColumns =
  'id, amount, currency, routing_number, account_last4, status, failure_code, failure_message, ' +
  'description, metadata, created_at, settle_at';

/** The API form of a payout (Stripe's shape; only the account's last 4 digits are shown). */
export function payoutObject(row: PayoutRow) {
  return {
    id: row.id,
    object: 'payout',
    amount: formatFiatAmount(BigInt(row.amount)),
    currency: row.currency,
    status: row.status,
    destination: { object: 'bank_account', routing_number: row.routing_number, last4: row.account_last4 },
    arrival_date: unixSeconds(row.settle_at),
    failure_code: row.failure_code,
    failure_message: row.failure_message,
    description: row.description,
    metadata: row.metadata,
    created: unixSeconds(row.created_at),
    livemode: false,
  };
}
