import { formatAmount } from '@shardpay/protocol';
import { toUnixSeconds } from '../GatewayContext.ts';

/** A payments row as the routes and the indexer read it. */
export interface PaymentRow {
  id: string;
  user_id: string;
  wallet_id: string;
  tx_id: string;
  shard: number;
  operation: string;
  from_address: string;
  to_address: string | null;
  amount: bigint;
  fee: bigint;
  status: string;
  created_at: Date;
}

export const paymentColumns =
  'id, user_id, wallet_id, tx_id, shard, operation, from_address, to_address, amount, fee, status, created_at';

/** The payment object of the API (also the data of payment.* events). */
export function paymentToJson(row: PaymentRow) {
  return {
    id: row.id,
    object: 'payment',
    wallet: row.wallet_id,
    tx_id: row.tx_id,
    shard: Number(row.shard),
    operation: row.operation,
    from: row.from_address,
    to: row.to_address,
    amount: formatAmount(BigInt(row.amount)),
    fee: formatAmount(BigInt(row.fee)),
    currency: 'usd',
    status: row.status,
    created: toUnixSeconds(new Date(row.created_at)),
  };
}
