import type { FastifyInstance } from 'fastify';
import { requireMerchant } from '../auth/merchantAuth.ts';
import type { GatewayContext } from '../GatewayContext.ts';
import { apiError } from '../http/apiErrors.ts';
import type { ListQuery } from '../http/listPage.ts';
import { ownedListPage } from '../merchants/ownedListPage.ts';
import { createShopId, type ProductRow, productColumns, productToJson } from '../merchants/productObject.ts';
import { bearerSecurity, errorResponseSchema, idempotencyHeaderSchema } from '../schemas/commonSchemas.ts';
import {
  type CreateProductBody,
  createProductBodySchema,
  maxProductPrice,
  productIdPattern,
  productListQuerySchema,
  productListSchema,
  productObjectSchema,
} from '../schemas/shopSchemas.ts';
import { positiveAmount } from './invoiceRoutes.ts';

const productParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: productIdPattern } },
} as const;

/**
 * A merchant's products (docs/gateway.md "The store"): what its public store sells, at prices the
 * gateway keeps, so a store order's amount never comes from the buyer. Archiving (DELETE) keeps the
 * row for the invoices that sold it and takes it out of the store.
 */
export async function productRoutes(app: FastifyInstance, options: GatewayContext): Promise<void> {
  const { database, now } = options;

  app.post<{ Body: CreateProductBody }>(
    '/v1/products',
    {
      onRequest: requireMerchant('invoices:write'),
      schema: {
        tags: ['shop'],
        summary: 'Create a product of your store',
        security: bearerSecurity,
        headers: idempotencyHeaderSchema,
        body: createProductBodySchema,
        response: { 201: productObjectSchema, default: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const merchant = request.merchant!;
      const price = positiveAmount(request.body.price, 'price');
      if (price <= 0n || price > maxProductPrice) {
        throw apiError('PARAMETER_INVALID', 'price must be above 0 and at most 1000000', 'price');
      }
      const product = await database.transaction(async (tx) => {
        const inserted = await tx.query<ProductRow>(
          `INSERT INTO products (id, merchant_id, name, description, price, created_at)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${productColumns}`,
          [
            createShopId('prd'),
            merchant.id,
            request.body.name,
            request.body.description ?? null,
            price.toString(),
            now().toISOString(),
          ],
        );
        const json = productToJson(inserted.rows[0]!);
        await request.idempotency.completeIn(tx, 201, json);
        return json;
      });
      return reply.code(201).send(product);
    },
  );

  app.get<{ Querystring: ListQuery }>(
    '/v1/products',
    {
      onRequest: requireMerchant('invoices:read'),
      schema: {
        tags: ['shop'],
        summary: 'Your products, archived ones included, newest first',
        security: bearerSecurity,
        querystring: productListQuerySchema,
        response: { 200: productListSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const page = await ownedListPage<ProductRow>(
        database,
        { from: 'products', columns: productColumns, owner: 'merchant_id', seq: 'seq', id: 'id' },
        request.merchant!.id,
        request.query,
      );
      return { object: 'list', data: page.rows.map(productToJson), has_more: page.hasMore };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/products/:id',
    {
      onRequest: requireMerchant('invoices:write'),
      schema: {
        tags: ['shop'],
        summary: 'Archive a product: it leaves the store (orders already made keep their amount)',
        security: bearerSecurity,
        params: productParams,
        response: { 200: productObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const archived = await database.query<ProductRow>(
        `UPDATE products SET active = false WHERE id = $1 AND merchant_id = $2 RETURNING ${productColumns}`,
        [request.params.id, request.merchant!.id],
      );
      const row = archived.rows[0];
      if (row === undefined) throw apiError('RESOURCE_MISSING', `no product ${request.params.id}`, 'id');
      return productToJson(row);
    },
  );
}
