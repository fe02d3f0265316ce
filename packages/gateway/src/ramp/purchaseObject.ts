import { formatAmount } from '@shardpay/protocol';
import { toUnixSeconds } from '../GatewayContext.ts';

/** A `purchases` row as read back. */
export interface PurchaseRow {
  id: string;
  seq: bigint;
  user_id: string;
  wallet_id: string;
  idempotency_key: string;
  address: string;
  amount: bigint;
  status: PurchaseStatus;
  charge_id: string | null;
  card_brand: string | null;
  card_last4: string | null;
  mint_tx: string | null;
  mint_tx_id: string | null;
  mint_nonce: bigint | null;
  mint_expiry_height: bigint | null;
  failure_code: string | null;
  failure_message: string | null;
  attempts: number;
  created_at: Date | string;
}

/**
 * created (authorization asked) → requires_action (3-D Secure) → authorized → minting (mint signed and
 * submitted) → minted (mint final, capture pending) → succeeded; or → voiding → failed.
 */
export type PurchaseStatus =
  | 'created'
  | 'requires_action'
  | 'authorized'
  | 'minting'
  | 'minted'
  | 'succeeded'
  | 'voiding'
  | 'failed';

export const purchaseColumns =
  'id, seq, user_id, wallet_id, idempotency_key, address, amount, status, charge_id, card_brand, card_last4, ' +
  'mint_tx, mint_tx_id, mint_nonce, mint_expiry_height, failure_code, failure_message, attempts, created_at';

/** The API form of a purchase. */
export function purchaseToJson(row: PurchaseRow) {
  return {
    id: row.id,
    object: 'purchase' as const,
    status: row.status,
    amount: formatAmount(BigInt(row.amount)),
    currency: 'usd' as const,
    wallet: row.wallet_id,
    address: row.address,
    charge: row.charge_id,
    tx: row.mint_tx_id,
    card: row.card_last4 === null ? null : { brand: row.card_brand ?? 'unknown', last4: row.card_last4 },
    next_action: row.status === 'requires_action' ? { type: 'three_d_secure' as const } : null,
    failure_code: row.failure_code,
    failure_message: row.failure_message,
    created: toUnixSeconds(new Date(row.created_at)),
  };
}
