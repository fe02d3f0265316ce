import { isShardpayError, ShardpayError } from '@shardpay/crypto';
import type { FastifyInstance } from 'fastify';
import { requireMerchant } from '../auth/merchantAuth.ts';
import { lockEventOrder } from '../events/writeEvent.ts';
import type { GatewayContext } from '../GatewayContext.ts';
import { apiError } from '../http/apiErrors.ts';
import { invoiceEscrowOf } from '../merchants/invoiceEscrow.ts';
import { invoiceToJson } from '../merchants/invoiceObject.ts';
import { loadInvoice } from '../merchants/loadInvoice.ts';
import { type InvoiceShipment, type OracleClient, oracleClientOf } from '../merchants/oracleClient.ts';
import { bearerSecurity, errorResponseSchema, idempotencyHeaderSchema } from '../schemas/commonSchemas.ts';
import { invoiceObjectSchema } from '../schemas/invoiceSchemas.ts';
import { type CreateShipmentBody, createShipmentBodySchema } from '../schemas/shopSchemas.ts';
import { invoiceParams } from './invoiceRoutes.ts';

/** The oracle's refusals that mean "this escrow cannot be shipped": the invoice's state, not an outage. */
const escrowRefusals = new Set([
  'ESCROW_NOT_FOUND',
  'ESCROW_NOT_AUTHORIZED',
  'ESCROW_STATE_INVALID',
  'PARAMETER_INVALID',
]);

/** Asks the oracle for the shipment; its answers in the gateway's words. */
async function registerShipment(
  oracle: OracleClient,
  request: { escrowId: string; orderId: string; deliverAfterSeconds: number },
): Promise<InvoiceShipment> {
  try {
    return await oracle.createShipment(request);
  } catch (error) {
    if (isShardpayError(error, 'ORACLE_UNAVAILABLE')) throw error;
    if (isShardpayError(error) && escrowRefusals.has(error.code)) {
      throw apiError(
        'INVOICE_STATE_INVALID',
        `the delivery oracle refused the escrow: ${error.message}`,
        'id',
      );
    }
    // Anything else (a version skew, a refused body) is the gateway's problem, not the merchant's.
    throw new ShardpayError('ORACLE_UNAVAILABLE', 'the delivery oracle could not register the shipment', {
      cause: error,
    });
  }
}

/**
 * Shipments of escrow-backed invoices (docs/gateway.md "The store"): the merchant ships, and the gateway
 * registers the shipment with the delivery oracle sandbox (SHARDPAY_ORACLE_URL), which attests the
 * delivery and releases the escrow. The oracle is asked first and the invoice written after, so an
 * oracle that does not answer (`503 oracle_unavailable`) leaves nothing behind; a retry is safe, as
 * the oracle keeps one shipment per escrow and returns it again.
 */
export async function shipmentRoutes(app: FastifyInstance, options: GatewayContext): Promise<void> {
  const { database, now, config } = options;
  const oracle = oracleClientOf(config);

  app.post<{ Params: { id: string }; Body: CreateShipmentBody }>(
    '/v1/invoices/:id/shipments',
    {
      onRequest: requireMerchant('invoices:write'),
      schema: {
        tags: ['invoices'],
        summary: "Ship an escrow-backed order: the delivery oracle releases the buyer's escrow on delivery",
        security: bearerSecurity,
        headers: idempotencyHeaderSchema,
        params: invoiceParams,
        body: createShipmentBodySchema,
        response: { 201: invoiceObjectSchema, default: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const merchant = request.merchant!;
      const row = await loadInvoice(database, merchant.id, request.params.id);
      const escrow = invoiceEscrowOf(row.escrow);
      if (escrow === null) {
        throw apiError(
          'INVOICE_STATE_INVALID',
          'the invoice is not escrow-backed: nothing to ship against',
          'id',
        );
      }
      if (escrow.escrow_id === null || escrow.status !== 'open') {
        throw apiError(
          'INVOICE_STATE_INVALID',
          `the invoice's escrow is ${escrow.status ?? 'not locked yet'}: a shipment needs an open escrow`,
          'id',
        );
      }
      if (oracle === undefined) {
        throw apiError('ORACLE_UNAVAILABLE', 'this gateway has no delivery oracle to ship through');
      }
      if (escrow.oracle === null || escrow.oracle !== config.oracleAddress) {
        throw apiError(
          'INVOICE_STATE_INVALID',
          "the invoice's escrow names another delivery oracle than this gateway's",
          'id',
        );
      }
      const escrowId = escrow.escrow_id;
      const shipment = await registerShipment(oracle, {
        escrowId,
        orderId: row.id,
        deliverAfterSeconds: request.body?.deliver_after_seconds ?? 30,
      });
      const invoice = await database.transaction(async (tx) => {
        await lockEventOrder(tx);
        await tx.query(
          `UPDATE invoices SET escrow = jsonb_set(escrow, '{shipment}', $3::jsonb), updated_at = $4
            WHERE id = $1 AND merchant_id = $2 AND escrow->>'escrow_id' = $5`,
          [row.id, merchant.id, JSON.stringify(shipment), now().toISOString(), escrowId],
        );
        const json = invoiceToJson(await loadInvoice(tx, merchant.id, row.id));
        await request.idempotency.completeIn(tx, 201, json);
        return json;
      });
      return reply.code(201).send(invoice);
    },
  );
}
