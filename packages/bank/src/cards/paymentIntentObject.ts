import { formatFiatAmount } from '../fiatAmount.ts';
import { unixSeconds } from '../ids.ts';

/** A `payment_intents` row as the database returns it. */
export interface PaymentIntentRow {
  id: string;
  amount: bigint;
  currency: string;
  status: string;
  capture_method: string;
  card_brand: string;
  card_last4: string;
  card_exp_month: number;
  card_exp_year: number;
  description: string | null;
  metadata: Record<string, string>;
  amount_received: bigint;
  amount_refunded: bigint;
  last_payment_error: Record<string, unknown> | null;
  cancellation_reason: string | null;
  created_at: Date;
}

export const paymentIntentColumns =
  'id, amount, currency, status, capture_method, card_brand, card_last4, card_exp_month, card_exp_year, ' +
  'description, metadata, amount_received, amount_refunded, last_payment_error, cancellation_reason, created_at';

/** The API form of a payment intent (Stripe's shape; `livemode` is always false: a sandbox). */
export function paymentIntentObject(row: PaymentIntentRow) {
  return {
    id: row.id,
    object: 'payment_intent',
    amount: formatFiatAmount(BigInt(row.amount)),
    amount_capturable: formatFiatAmount(row.status === 'requires_capture' ? BigInt(row.amount) : 0n),
    amount_received: formatFiatAmount(BigInt(row.amount_received)),
    amount_refunded: formatFiatAmount(BigInt(row.amount_refunded)),
    currency: row.currency,
    status: row.status,
    capture_method: row.capture_method,
    next_action: row.status === 'requires_action' ? { type: 'three_d_secure' } : null,
    card: {
      brand: row.card_brand,
      last4: row.card_last4,
      exp_month: row.card_exp_month,
      exp_year: row.card_exp_year,
    },
    last_payment_error: row.last_payment_error,
    cancellation_reason: row.cancellation_reason,
    description: row.description,
    metadata: row.metadata,
    created: unixSeconds(row.created_at),
    livemode: false,
  };
}

/** The API form of a payment intent. */
export type PaymentIntentObject = ReturnType<typeof paymentIntentObject>;
