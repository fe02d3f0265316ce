import { isShardpayError, utf8ToBytes } from '@shardpay/crypto';
import { MAX_REFERENCE_BYTES } from '@shardpay/protocol';
import type { FastifyInstance } from 'fastify';
import { oracleError } from '../http/oracleErrors.ts';
import { createShipmentId, createTrackingId } from '../ids.ts';
import type { OracleContext } from '../OracleContext.ts';
import { type ShipmentStatus, shipmentObject } from '../shipments/shipmentObject.ts';
import {
  deliverShipmentNow,
  findShipmentByEscrow,
  getShipment,
  insertShipment,
  listShipments,
} from '../shipments/shipmentStore.ts';

interface CreateShipmentBody {
  escrow_id: string;
  order_id?: string;
  deliver_after_seconds?: number;
  carrier?: string;
}

/** Shipments deliver after this by default. */
export const DEFAULT_DELIVER_AFTER_SECONDS = 30;
const maxDeliverAfterSeconds = 30 * 24 * 3600;

const statuses: readonly ShipmentStatus[] = [
  'in_transit',
  'delivered',
  'attested',
  'released',
  'attestation_refused',
];

const createBodySchema = {
  type: 'object',
  required: ['escrow_id'],
  additionalProperties: false,
  properties: {
    escrow_id: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
    order_id: { type: 'string', minLength: 1, maxLength: MAX_REFERENCE_BYTES },
    deliver_after_seconds: { type: 'integer', minimum: 0, maximum: maxDeliverAfterSeconds },
    carrier: { type: 'string', minLength: 1, maxLength: 64 },
  },
} as const;

const idParamsSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 64 } },
} as const;

const listQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'string', pattern: '^(100|[1-9][0-9]?)$' },
    starting_after: { type: 'string', maxLength: 64 },
    status: { type: 'string', enum: statuses },
  },
} as const;

/**
 * The carrier side: a shipment for an escrow (checked on chain to name this oracle and be open),
 * delivered after a set time or on command, then attested and released by the worker.
 */
export async function shipmentRoutes(app: FastifyInstance, context: OracleContext): Promise<void> {
  const { database, chain, identity, now } = context;

  app.get('/v1/oracle', async () => {
    const network = await chain.network();
    return {
      object: 'oracle',
      address: identity.address(network),
      public_key: identity.publicKeyHex,
      fee_payers: identity
        .feePayers(network)
        .map((payer) => ({ shard: payer.shard, address: payer.address })),
      sandbox: true,
    };
  });

  app.post<{ Body: CreateShipmentBody }>(
    '/v1/shipments',
    { schema: { body: createBodySchema } },
    async (request) => {
      const body = request.body;
      const escrowId = body.escrow_id.toLowerCase();
      const existing = await findShipmentByEscrow(database, escrowId);
      // One shipment per escrow: a retried request gets the first one back.
      if (existing !== undefined) return shipmentObject(existing);
      if (body.order_id !== undefined && utf8ToBytes(body.order_id).length > MAX_REFERENCE_BYTES) {
        throw oracleError(
          'PARAMETER_INVALID',
          `order_id is at most ${MAX_REFERENCE_BYTES} UTF-8 bytes`,
          'order_id',
        );
      }
      const network = await chain.network();
      let escrow: Awaited<ReturnType<typeof chain.getEscrow>>;
      try {
        escrow = await chain.getEscrow(escrowId);
      } catch (error) {
        if (isShardpayError(error, 'ESCROW_NOT_FOUND')) {
          throw oracleError('ESCROW_NOT_FOUND', `no shard holds an escrow ${escrowId}`, 'escrow_id');
        }
        throw error;
      }
      const oracle = identity.address(network);
      if (escrow.oracle !== oracle) {
        throw oracleError(
          'ESCROW_NOT_AUTHORIZED',
          escrow.oracle === null
            ? `the escrow names no oracle; this oracle (${oracle}) cannot release it`
            : `the escrow names oracle ${escrow.oracle}, not this oracle (${oracle})`,
          'escrow_id',
        );
      }
      if (escrow.status !== 'open') {
        throw oracleError('ESCROW_STATE_INVALID', `the escrow is ${escrow.status}, not open`, 'escrow_id');
      }
      if (body.order_id !== undefined && body.order_id !== escrow.orderId) {
        throw oracleError('PARAMETER_INVALID', "order_id is not the escrow's order id", 'order_id');
      }
      const at = now();
      const deliverAfterMs = (body.deliver_after_seconds ?? DEFAULT_DELIVER_AFTER_SECONDS) * 1000;
      const row = await insertShipment(database, {
        id: createShipmentId(),
        trackingId: createTrackingId(),
        escrowId,
        escrowShard: escrow.shard,
        orderId: escrow.orderId,
        carrier: body.carrier ?? 'sandbox-express',
        deliverAt: new Date(at.getTime() + deliverAfterMs),
        createdAt: at,
      });
      context.onShipmentChanged();
      return shipmentObject(row);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/shipments/:id/deliver',
    { schema: { params: idParamsSchema } },
    async (request) => {
      const { id } = request.params;
      if ((await getShipment(database, id)) === undefined) {
        throw oracleError('RESOURCE_MISSING', `no such shipment: ${id}`, 'id');
      }
      // Delivering twice is harmless: a shipment past in_transit is returned as it is.
      if (await deliverShipmentNow(database, id, now())) context.onShipmentChanged();
      return shipmentObject((await getShipment(database, id))!);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/shipments/:id',
    { schema: { params: idParamsSchema } },
    async (request) => {
      const row = await getShipment(database, request.params.id);
      if (row === undefined)
        throw oracleError('RESOURCE_MISSING', `no such shipment: ${request.params.id}`, 'id');
      return shipmentObject(row);
    },
  );

  app.get<{ Querystring: { limit?: string; starting_after?: string; status?: ShipmentStatus } }>(
    '/v1/shipments',
    { schema: { querystring: listQuerySchema } },
    async (request) => {
      const { limit, starting_after: startingAfter, status } = request.query;
      const page = await listShipments(database, {
        limit: Number(limit ?? '10'),
        ...(startingAfter === undefined ? {} : { startingAfter }),
        ...(status === undefined ? {} : { status }),
      });
      if (!page.cursorFound) {
        throw oracleError('RESOURCE_MISSING', `no such shipment: ${startingAfter}`, 'starting_after');
      }
      return { object: 'list', data: page.rows.map(shipmentObject), has_more: page.hasMore };
    },
  );
}
