import { formatAmount } from '@shardpay/protocol';
import { toUnixSeconds } from '../GatewayContext.ts';

/** A `cashouts` row as read back. */
export interface CashoutRow {
  id: string;
  seq: bigint;
  user_id: string;
  wallet_id: string;
  address: string;
  amount: bigint;
  routing_number: string;
  account_number: string;
  status: CashoutStatus;
  burn_tx: string | null;
  burn_tx_id: string | null;
  burn_expiry_height: bigint | null;
  payout_id: string | null;
  failure_code: string | null;
  failure_message: string | null;
  refund_tx: string | null;
  refund_tx_id: string | null;
  refund_nonce: bigint | null;
  refund_expiry_height: bigint | null;
  attempts: number;
  created_at: Date | string;
}

/**
 * awaiting_burn → burning (burn submitted) → burned (final; payout to request) → paying_out → paid;
 * or, when the payout fails for good, → refunding (refund mint) → refunded.
 */
export type CashoutStatus =
  | 'awaiting_burn'
  | 'burning'
  | 'burned'
  | 'paying_out'
  | 'paid'
  | 'refunding'
  | 'refunded';

export const cashoutColumns =
  'id, seq, user_id, wallet_id, address, amount, routing_number, account_number, status, burn_tx, burn_tx_id, ' +
  'burn_expiry_height, payout_id, failure_code, failure_message, refund_tx, refund_tx_id, refund_nonce, ' +
  'refund_expiry_height, attempts, created_at';

/** The API form of a cash-out (only the last 4 digits of the account number). */
export function cashoutToJson(row: CashoutRow) {
  return {
    id: row.id,
    object: 'cashout' as const,
    status: row.status,
    amount: formatAmount(BigInt(row.amount)),
    currency: 'usd' as const,
    wallet: row.wallet_id,
    address: row.address,
    payout_reference: row.id,
    bank_account: { routing_number: row.routing_number, last4: row.account_number.slice(-4) },
    burn_tx: row.burn_tx_id,
    payout: row.payout_id,
    refund_tx: row.refund_tx_id,
    failure_code: row.failure_code,
    failure_message: row.failure_message,
    created: toUnixSeconds(new Date(row.created_at)),
  };
}
