import type { Database, Queryable } from '@shardpay/database';
import type { NetworkConfig } from '@shardpay/protocol';
import { lockEventOrder, writeEvent } from '../events/writeEvent.ts';
import { apiError } from '../http/apiErrors.ts';
import { createId } from '../ids.ts';
import { defaultEscrowDeadlineSeconds, newInvoiceEscrow } from './invoiceEscrow.ts';
import { invoiceToJson, paymentUri } from './invoiceObject.ts';
import { loadInvoice } from './loadInvoice.ts';
import { type OrderItem, priceOrder } from './priceOrder.ts';
import { createShopId } from './productObject.ts';

/** An invoice's default time to pay and to keep watching after that (as POST /v1/invoices). */
const orderExpiresInSeconds = 900;
const orderMonitoringWindowSeconds = 3600;

/** What a store order needs to know besides the request. */
export interface StoreOrderContext {
  database: Database;
  network: NetworkConfig;
  now: Date;
  /** Where checkout pages are served (`<base>/checkout/<inv_…>`). */
  publicBase: string;
  /** The delivery oracle escrow orders name, or undefined when the gateway has none. */
  oracleAddress: string | undefined;
}

interface StoreMerchant {
  id: string;
  user_id: string;
  address: string;
}

/**
 * Creates the invoice of a store order, in one transaction with its `invoice.created` event and the
 * idempotency record: amount = Σ price × quantity of the merchant's active products (read in that
 * transaction, so an archive racing the order either comes before it or not at all), description
 * "2 × Mug, 1 × T-shirt", order id `ord_…`, the default expiry, and for `escrow` the default terms
 * naming the gateway's oracle. Returns the invoice id. Unknown merchant → 404 naming `merchant_id`.
 */
export async function createStoreOrder(
  context: StoreOrderContext,
  merchantId: string,
  order: { items: readonly OrderItem[]; escrow: boolean },
  idempotency: { completeIn(tx: Queryable, status: number, body: unknown): Promise<void> },
  respond: (tx: Queryable, invoiceId: string) => Promise<unknown>,
): Promise<unknown> {
  const { database, network, now } = context;
  if (order.escrow && context.oracleAddress === undefined) {
    throw apiError('PARAMETER_INVALID', 'this store does not offer escrow-backed orders', 'escrow');
  }
  return database.transaction(async (tx) => {
    const merchant = (
      await tx.query<StoreMerchant>('SELECT id, user_id, address FROM merchants WHERE id = $1', [merchantId])
    ).rows[0];
    if (merchant === undefined) throw apiError('RESOURCE_MISSING', `no store ${merchantId}`, 'merchant_id');
    const ids = [...new Set(order.items.map((item) => item.product))];
    const products = await tx.query<{ id: string; name: string; price: bigint | string }>(
      'SELECT id, name, price FROM products WHERE merchant_id = $1 AND active AND id = ANY($2::text[]) FOR SHARE',
      [merchant.id, ids],
    );
    const prices = new Map(
      products.rows.map((row) => [row.id, { name: row.name, price: BigInt(row.price) }]),
    );
    const { amount, description } = priceOrder(order.items, prices);
    await lockEventOrder(tx);
    const id = createId('inv');
    const expiresAt = new Date(now.getTime() + orderExpiresInSeconds * 1000);
    const monitoringUntil = new Date(expiresAt.getTime() + orderMonitoringWindowSeconds * 1000);
    const escrow = order.escrow
      ? JSON.stringify(
          newInvoiceEscrow({
            deadlineSeconds: defaultEscrowDeadlineSeconds,
            arbiter: null,
            oracle: context.oracleAddress ?? null,
          }),
        )
      : null;
    await tx.query(
      `INSERT INTO invoices (id, merchant_id, user_id, status, amount, currency, order_id, description, pay_to,
                             payment_uri, checkout_url, redirect_url, metadata, expires_at, monitoring_until,
                             created_at, updated_at, escrow)
       VALUES ($1, $2, $3, 'new', $4, 'usd', $5, $6, $7, $8, $9, NULL, '{}', $10, $11, $12, $12, $13::jsonb)`,
      [
        id,
        merchant.id,
        merchant.user_id,
        amount.toString(),
        createShopId('ord'),
        description,
        merchant.address,
        paymentUri(merchant.address, amount, id, network.chainId),
        `${context.publicBase}/checkout/${id}`,
        expiresAt.toISOString(),
        monitoringUntil.toISOString(),
        now.toISOString(),
        escrow,
      ],
    );
    await writeEvent(tx, {
      userId: merchant.user_id,
      merchantId: merchant.id,
      type: 'invoice.created',
      data: invoiceToJson(await loadInvoice(tx, merchant.id, id)),
      at: now,
    });
    const body = await respond(tx, id);
    await idempotency.completeIn(tx, 201, body);
    return body;
  });
}
