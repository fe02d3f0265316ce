import type { NetworkConfig } from '@shardpay/protocol';
import { parseAmount } from '@shardpay/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireMerchant } from '../auth/merchantAuth.ts';
import { homeShardOf } from '../chain/readAccount.ts';
import { lockEventOrder, writeEvent } from '../events/writeEvent.ts';
import type { GatewayContext } from '../GatewayContext.ts';
import { apiError } from '../http/apiErrors.ts';
import type { ListQuery } from '../http/listPage.ts';
import { createId } from '../ids.ts';
import { defaultEscrowDeadlineSeconds, newInvoiceEscrow } from '../merchants/invoiceEscrow.ts';
import { type InvoiceRow, invoiceColumns, invoiceToJson, paymentUri } from '../merchants/invoiceObject.ts';
import { loadInvoice } from '../merchants/loadInvoice.ts';
import { ownedListPage } from '../merchants/ownedListPage.ts';
import { bearerSecurity, errorResponseSchema, idempotencyHeaderSchema } from '../schemas/commonSchemas.ts';
import {
  type CreateInvoiceBody,
  createInvoiceBodySchema,
  invoiceIdPattern,
  invoiceListQuerySchema,
  invoiceListSchema,
  invoiceObjectSchema,
} from '../schemas/invoiceSchemas.ts';

/** What invoice routes need beyond the context: the genesis (its chain id goes in payment URIs). */
export interface InvoiceRoutesOptions extends GatewayContext {
  network: NetworkConfig;
}

export const invoiceParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: invoiceIdPattern } },
} as const;

/** A decimal amount above zero, or `400 parameter_invalid` naming `param`. */
export function positiveAmount(text: string, param: string): bigint {
  try {
    return parseAmount(text);
  } catch (error) {
    throw apiError('PARAMETER_INVALID', error instanceof Error ? error.message : 'bad amount', param);
  }
}

/**
 * The `invoices.escrow` of an escrow-backed invoice, or null: addresses checked against the network
 * (`400 address_invalid` naming `escrow.arbiter` / `escrow.oracle`); the oracle defaults to the
 * gateway's configured delivery oracle (SHARDPAY_ORACLE_ADDRESS), else none.
 */
function escrowColumn(
  escrow: CreateInvoiceBody['escrow'],
  network: NetworkConfig,
  defaultOracle: string | undefined,
): string | null {
  if (escrow === undefined) return null;
  const address = (value: string | undefined, field: string) => {
    if (value === undefined) return null;
    homeShardOf(network, value, `escrow.${field}`);
    return value;
  };
  const terms = newInvoiceEscrow({
    deadlineSeconds: escrow.deadline_seconds ?? defaultEscrowDeadlineSeconds,
    arbiter: address(escrow.arbiter, 'arbiter'),
    oracle: address(escrow.oracle ?? defaultOracle, 'oracle'),
  });
  return JSON.stringify(terms);
}

/** Where the web app serves checkout pages: SHARDPAY_PUBLIC_URL, else the request's own origin. */
function publicBase(request: FastifyRequest, configured: string | undefined): string {
  return configured ?? `${request.protocol}://${request.host}`;
}

/**
 * Invoices, with a merchant API key (`invoices:write` / `invoices:read`) or the owner's access token
 * and `Shardpay-Merchant`. Status moves come from the indexer (src/merchants/watchInvoices.ts) and the
 * timer job (expireInvoices.ts); the checkout and refunds live in their own route files.
 */
export async function invoiceRoutes(app: FastifyInstance, options: InvoiceRoutesOptions): Promise<void> {
  const { database, now, network, config } = options;

  app.post<{ Body: CreateInvoiceBody }>(
    '/v1/invoices',
    {
      onRequest: requireMerchant('invoices:write'),
      schema: {
        tags: ['invoices'],
        summary: 'Create an invoice paid by an on-chain pay whose payment id is the invoice id',
        security: bearerSecurity,
        headers: idempotencyHeaderSchema,
        body: createInvoiceBodySchema,
        response: { 201: invoiceObjectSchema, default: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const merchant = request.merchant!;
      const body = request.body;
      const amount = positiveAmount(body.amount, 'amount');
      const escrow = escrowColumn(body.escrow, network, config.oracleAddress);
      const id = createId('inv');
      const at = now();
      const expiresIn = body.expires_in ?? 900;
      // Short expiries let a devnet or a test see an invoice expire without waiting a minute.
      const minimumExpiresIn = config.mode === 'production' ? 60 : 5;
      if (expiresIn < minimumExpiresIn) {
        throw apiError(
          'PARAMETER_INVALID',
          `expires_in must be at least ${minimumExpiresIn} seconds`,
          'expires_in',
        );
      }
      const expiresAt = new Date(at.getTime() + expiresIn * 1000);
      const monitoringUntil = new Date(expiresAt.getTime() + (body.monitoring_window ?? 3600) * 1000);
      const invoice = await database.transaction(async (tx) => {
        await lockEventOrder(tx);
        await tx.query(
          `INSERT INTO invoices (id, merchant_id, user_id, status, amount, currency, order_id, description, pay_to,
                                 payment_uri, checkout_url, redirect_url, metadata, expires_at, monitoring_until,
                                 created_at, updated_at, escrow)
           VALUES ($1, $2, $3, 'new', $4, 'usd', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15::jsonb)`,
          [
            id,
            merchant.id,
            merchant.userId,
            amount.toString(),
            body.order_id ?? null,
            body.description ?? null,
            merchant.address,
            paymentUri(merchant.address, amount, id, network.chainId),
            `${publicBase(request, config.publicUrl)}/checkout/${id}`,
            body.redirect_url ?? null,
            JSON.stringify(body.metadata ?? {}),
            expiresAt.toISOString(),
            monitoringUntil.toISOString(),
            at.toISOString(),
            escrow,
          ],
        );
        const json = invoiceToJson(await loadInvoice(tx, merchant.id, id));
        await writeEvent(tx, {
          userId: merchant.userId,
          merchantId: merchant.id,
          type: 'invoice.created',
          data: json,
          at,
        });
        await request.idempotency.completeIn(tx, 201, json);
        return json;
      });
      return reply.code(201).send(invoice);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/invoices/:id',
    {
      onRequest: requireMerchant('invoices:read'),
      schema: {
        tags: ['invoices'],
        summary: 'One invoice',
        security: bearerSecurity,
        params: invoiceParams,
        response: { 200: invoiceObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => invoiceToJson(await loadInvoice(database, request.merchant!.id, request.params.id)),
  );

  app.get<{ Querystring: ListQuery & { status?: string } }>(
    '/v1/invoices',
    {
      onRequest: requireMerchant('invoices:read'),
      schema: {
        tags: ['invoices'],
        summary: "The merchant's invoices, newest first (filter: status)",
        security: bearerSecurity,
        querystring: invoiceListQuerySchema,
        response: { 200: invoiceListSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const page = await ownedListPage<InvoiceRow>(
        database,
        {
          from: 'invoices i',
          columns: invoiceColumns,
          owner: 'i.merchant_id',
          seq: 'i.seq',
          id: 'i.id',
          filter: { column: 'i.status', value: request.query.status },
        },
        request.merchant!.id,
        request.query,
      );
      return { object: 'list', data: page.rows.map(invoiceToJson), has_more: page.hasMore };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/invoices/:id/invalidate',
    {
      onRequest: requireMerchant('invoices:write'),
      schema: {
        tags: ['invoices'],
        summary: 'Mark a new or expired invoice invalid (exception "marked")',
        security: bearerSecurity,
        headers: idempotencyHeaderSchema,
        params: invoiceParams,
        response: { 200: invoiceObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const merchant = request.merchant!;
      return database.transaction(async (tx) => {
        await lockEventOrder(tx);
        const row = await loadInvoice(tx, merchant.id, request.params.id, true);
        if (row.status !== 'new' && row.status !== 'expired') {
          throw apiError('INVOICE_STATE_INVALID', `a ${row.status} invoice cannot be invalidated`, 'id');
        }
        const at = now();
        await tx.query(
          "UPDATE invoices SET status = 'invalid', exception = 'marked', updated_at = $2 WHERE id = $1",
          [row.id, at.toISOString()],
        );
        const json = invoiceToJson(await loadInvoice(tx, merchant.id, row.id));
        await writeEvent(tx, {
          userId: merchant.userId,
          merchantId: merchant.id,
          type: 'invoice.invalid',
          data: json,
          at,
        });
        await request.idempotency.completeIn(tx, 200, json);
        return json;
      });
    },
  );
}
