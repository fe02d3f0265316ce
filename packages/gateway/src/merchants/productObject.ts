import { randomBytes } from 'node:crypto';
import { formatAmount } from '@shardpay/protocol';

/** A `products` row (migration 010). */
export interface ProductRow {
  id: string;
  merchant_id: string;
  name: string;
  description: string | null;
  price: bigint | string;
  active: boolean;
  created_at: Date | string;
}

export const productColumns = 'id, merchant_id, name, description, price, active, created_at';

/** `prd_` (products) and `ord_` (store order ids) + 16 random bytes, like the gateway's other ids. */
export function createShopId(prefix: 'prd' | 'ord'): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}

/** The product object of the API (also what the public store lists: no owner, no secrets). */
export function productToJson(row: ProductRow) {
  return {
    id: row.id,
    object: 'product' as const,
    merchant: row.merchant_id,
    name: row.name,
    description: row.description,
    price: formatAmount(BigInt(row.price)),
    currency: 'usd' as const,
    active: row.active,
    created: new Date(row.created_at).toISOString(),
  };
}
