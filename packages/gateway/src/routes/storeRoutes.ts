import type { NetworkConfig } from '@shardpay/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { GatewayContext } from '../GatewayContext.ts';
import { apiError } from '../http/apiErrors.ts';
import { createStoreOrder } from '../merchants/createStoreOrder.ts';
import { escrowAvailable } from '../merchants/oracleClient.ts';
import { type ProductRow, productColumns, productToJson } from '../merchants/productObject.ts';
import { errorResponseSchema, idempotencyHeaderSchema } from '../schemas/commonSchemas.ts';
import { checkoutObjectSchema } from '../schemas/invoiceSchemas.ts';
import { merchantIdPattern } from '../schemas/merchantSchemas.ts';
import { type CreateOrderBody, createOrderBodySchema, storeObjectSchema } from '../schemas/shopSchemas.ts';
import { checkoutToJson, loadCheckoutRow } from './checkoutRoutes.ts';

/** What the store routes need beyond the context: the genesis (its chain id goes in payment URIs). */
export interface StoreRoutesOptions extends GatewayContext {
  network: NetworkConfig;
}

const storeParams = {
  type: 'object',
  required: ['merchant_id'],
  properties: { merchant_id: { type: 'string', pattern: merchantIdPattern } },
} as const;

/** Most products a store page lists (newest first). */
const storeProductLimit = 100;

/** Where the web app serves checkout pages: SHARDPAY_PUBLIC_URL, else the request's own origin. */
function publicBase(request: FastifyRequest, configured: string | undefined): string {
  return configured ?? `${request.protocol}://${request.host}`;
}

/**
 * A merchant's public store (docs/gateway.md "The store"), without authentication: its name and active
 * products — never its owner, wallet, metadata or keys — and orders, each a new invoice whose amount
 * the gateway computes from its stored prices. The answer to an order is the invoice's checkout, which
 * the buyer's page then follows (GET /v1/checkout/:invoice_id).
 */
export async function storeRoutes(app: FastifyInstance, options: StoreRoutesOptions): Promise<void> {
  const { database, now, network, config } = options;

  app.get<{ Params: { merchant_id: string } }>(
    '/v1/stores/:merchant_id',
    {
      schema: {
        tags: ['shop'],
        summary: "A merchant's store: its name and the products for sale (public)",
        params: storeParams,
        response: { 200: storeObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const id = request.params.merchant_id;
      const merchant = (
        await database.query<{ name: string }>('SELECT name FROM merchants WHERE id = $1', [id])
      ).rows[0];
      if (merchant === undefined) throw apiError('RESOURCE_MISSING', `no store ${id}`, 'merchant_id');
      const products = await database.query<ProductRow>(
        `SELECT ${productColumns} FROM products WHERE merchant_id = $1 AND active ORDER BY seq DESC LIMIT $2`,
        [id, storeProductLimit],
      );
      return {
        object: 'store',
        merchant: id,
        name: merchant.name,
        products: products.rows.map(productToJson),
        escrow_available: escrowAvailable(config),
      };
    },
  );

  app.post<{ Params: { merchant_id: string }; Body: CreateOrderBody }>(
    '/v1/stores/:merchant_id/orders',
    {
      schema: {
        tags: ['shop'],
        summary: 'Order from a store: a new invoice of the merchant, priced by the gateway (public)',
        headers: idempotencyHeaderSchema,
        params: storeParams,
        body: createOrderBodySchema,
        response: { 201: checkoutObjectSchema, default: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const escrow = request.body.escrow === true;
      if (escrow && !escrowAvailable(config)) {
        throw apiError('PARAMETER_INVALID', 'this store does not offer escrow-backed orders', 'escrow');
      }
      const at = now();
      const checkout = await createStoreOrder(
        {
          database,
          network,
          now: at,
          publicBase: publicBase(request, config.publicUrl),
          oracleAddress: config.oracleAddress,
        },
        request.params.merchant_id,
        { items: request.body.items, escrow },
        request.idempotency,
        async (tx, invoiceId) => checkoutToJson(await loadCheckoutRow(tx, invoiceId), at),
      );
      return reply.code(201).send(checkout);
    },
  );
}
