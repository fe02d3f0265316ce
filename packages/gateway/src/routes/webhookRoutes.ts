import type { FastifyInstance } from 'fastify';
import { requireMerchant } from '../auth/merchantAuth.ts';
import { type GatewayContext, toUnixSeconds } from '../GatewayContext.ts';
import { apiError } from '../http/apiErrors.ts';
import type { ListQuery } from '../http/listPage.ts';
import {
  bearerSecurity,
  errorResponseSchema,
  idempotencyHeaderSchema,
  listQuerySchema,
} from '../schemas/commonSchemas.ts';
import {
  type CreateWebhookEndpointBody,
  createWebhookEndpointBodySchema,
  type RotateWebhookSecretBody,
  rotateWebhookSecretBodySchema,
  webhookDeliveryIdPattern,
  webhookDeliveryListSchema,
  webhookDeliveryObjectSchema,
  webhookEndpointIdPattern,
  webhookEndpointListSchema,
  webhookEndpointObjectSchema,
  webhookEndpointWithSecretSchema,
} from '../schemas/webhookSchemas.ts';
import { assertWebhookUrl } from '../webhooks/assertWebhookUrl.ts';
import { seqListPage } from '../webhooks/seqListPage.ts';
import { createWebhookId, createWebhookSecret } from '../webhooks/webhookIds.ts';
import {
  type WebhookAttemptRow,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
  webhookAttemptColumns,
  webhookDeliveryColumns,
  webhookDeliveryFrom,
  webhookDeliveryToJson,
  webhookEndpointColumns,
  webhookEndpointToJson,
} from '../webhooks/webhookObjects.ts';

/** Options of the webhook routes beyond the context. */
export interface WebhookRoutesOptions extends GatewayContext {
  /** Wakes this replica's webhook sender (a new endpoint, a redelivery); a no-op without one. */
  wakeWebhooks?: () => void;
}

const endpointParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: webhookEndpointIdPattern } },
} as const;
const deliveryParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: webhookDeliveryIdPattern } },
} as const;

const defaultRotationSeconds = 86_400;
const tags = ['webhooks'];

/**
 * A merchant's webhook endpoints (create, list, get, disable, rotate the secret), the delivery log
 * and redelivery. Sending is the webhook sender's (src/webhooks/createWebhookSender.ts).
 */
export async function webhookRoutes(app: FastifyInstance, options: WebhookRoutesOptions): Promise<void> {
  const { database, now, config } = options;
  const wake = options.wakeWebhooks ?? (() => undefined);
  const read = requireMerchant('webhooks:read');
  const write = requireMerchant('webhooks:write');

  async function findEndpoint(id: string, merchantId: string): Promise<WebhookEndpointRow> {
    const found = await database.query<WebhookEndpointRow>(
      `SELECT ${webhookEndpointColumns} FROM webhook_endpoints WHERE id = $1 AND merchant_id = $2`,
      [id, merchantId],
    );
    const row = found.rows[0];
    if (row === undefined) throw apiError('RESOURCE_MISSING', `no webhook endpoint ${id}`, 'id');
    return row;
  }

  async function deliveryJson(row: WebhookDeliveryRow) {
    const attempts = await database.query<WebhookAttemptRow>(
      `SELECT ${webhookAttemptColumns} FROM webhook_attempts WHERE delivery_id = $1 ORDER BY seq`,
      [row.id],
    );
    return webhookDeliveryToJson(row, attempts.rows);
  }

  async function findDelivery(id: string, merchantId: string): Promise<WebhookDeliveryRow> {
    const found = await database.query<WebhookDeliveryRow>(
      `SELECT ${webhookDeliveryColumns} FROM ${webhookDeliveryFrom}
         JOIN webhook_endpoints w ON w.id = d.endpoint_id
        WHERE d.id = $1 AND w.merchant_id = $2`,
      [id, merchantId],
    );
    const row = found.rows[0];
    if (row === undefined) throw apiError('RESOURCE_MISSING', `no webhook delivery ${id}`, 'id');
    return row;
  }

  app.post<{ Body: CreateWebhookEndpointBody }>(
    '/v1/webhook_endpoints',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Create a webhook endpoint (the response is the only one showing its secret)',
        security: bearerSecurity,
        headers: idempotencyHeaderSchema,
        body: createWebhookEndpointBodySchema,
        response: { 201: webhookEndpointWithSecretSchema, default: errorResponseSchema },
      },
      // The response carries the signing secret: it must not sit in the idempotency table.
      config: { idempotency: 'not_stored' },
    },
    async (request, reply) => {
      const merchant = request.merchant!;
      const url = assertWebhookUrl(request.body.url, config.mode);
      const events = request.body.events;
      if (events.includes('*') && events.length > 1) {
        throw apiError('PARAMETER_INVALID', 'events is ["*"] or a list of event types, not both', 'events');
      }
      const at = now();
      const created = await database.query<WebhookEndpointRow>(
        `INSERT INTO webhook_endpoints (id, merchant_id, url, events, description, status, secret, after_seq, created_at)
         VALUES ($1, $2, $3, $4::text[], $5, 'enabled', $6, (SELECT coalesce(max(seq), 0) FROM events), $7)
         RETURNING ${webhookEndpointColumns}`,
        [
          createWebhookId('we'),
          merchant.id,
          url,
          events,
          request.body.description ?? null,
          createWebhookSecret(),
          at.toISOString(),
        ],
      );
      const row = created.rows[0]!;
      wake();
      return reply.code(201).send({ ...webhookEndpointToJson(row), secret: row.secret });
    },
  );

  app.get<{ Querystring: ListQuery }>(
    '/v1/webhook_endpoints',
    {
      onRequest: read,
      schema: {
        tags,
        summary: "The merchant's webhook endpoints, newest first",
        security: bearerSecurity,
        querystring: listQuerySchema(webhookEndpointIdPattern),
        response: { 200: webhookEndpointListSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const page = await seqListPage<WebhookEndpointRow>(
        database,
        {
          columns: webhookEndpointColumns,
          from: 'webhook_endpoints w',
          alias: 'w',
          owner: 'w.merchant_id = $1',
        },
        request.merchant!.id,
        request.query,
      );
      return { object: 'list', data: page.rows.map(webhookEndpointToJson), has_more: page.hasMore };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/webhook_endpoints/:id',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'One webhook endpoint',
        security: bearerSecurity,
        params: endpointParams,
        response: { 200: webhookEndpointObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => webhookEndpointToJson(await findEndpoint(request.params.id, request.merchant!.id)),
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/webhook_endpoints/:id',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Disable a webhook endpoint: nothing more is sent to it, pending deliveries stop',
        security: bearerSecurity,
        params: endpointParams,
        response: { 200: webhookEndpointObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const row = await findEndpoint(request.params.id, request.merchant!.id);
      const at = now().toISOString();
      await database.transaction(async (tx) => {
        await tx.query(
          `UPDATE webhook_endpoints SET status = 'disabled', disabled_at = $2
            WHERE id = $1 AND status = 'enabled'`,
          [row.id, at],
        );
        // A delivery being sent right now is recorded as an attempt but stays failed.
        await tx.query(
          `UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, lease_owner = NULL,
                  lease_until = NULL, last_error = 'endpoint_disabled', updated_at = $2
            WHERE endpoint_id = $1 AND status IN ('pending', 'delivering')`,
          [row.id, at],
        );
      });
      return webhookEndpointToJson({ ...row, status: 'disabled' });
    },
  );

  app.post<{ Params: { id: string }; Body: RotateWebhookSecretBody | undefined }>(
    '/v1/webhook_endpoints/:id/rotate_secret',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'A new signing secret; the old one keeps signing (a second v1=) for expires_in seconds',
        security: bearerSecurity,
        headers: idempotencyHeaderSchema,
        params: endpointParams,
        body: rotateWebhookSecretBodySchema,
        response: { 200: webhookEndpointWithSecretSchema, default: errorResponseSchema },
      },
      config: { idempotency: 'not_stored' },
      // The body is optional: no body is `{}` (every default).
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const row = await findEndpoint(request.params.id, request.merchant!.id);
      if (row.status !== 'enabled') {
        throw apiError('WEBHOOK_ENDPOINT_DISABLED', `webhook endpoint ${row.id} is disabled`, 'id');
      }
      const expiresIn = request.body?.expires_in ?? defaultRotationSeconds;
      const until = new Date(now().getTime() + expiresIn * 1000);
      const rotated = await database.query<WebhookEndpointRow>(
        `UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = $2, secret = $3
          WHERE id = $1 RETURNING ${webhookEndpointColumns}`,
        [row.id, until.toISOString(), createWebhookSecret()],
      );
      const updated = rotated.rows[0]!;
      return {
        ...webhookEndpointToJson(updated),
        secret: updated.secret,
        previous_secret_expires: toUnixSeconds(until),
      };
    },
  );

  app.get<{ Params: { id: string }; Querystring: ListQuery }>(
    '/v1/webhook_endpoints/:id/deliveries',
    {
      onRequest: read,
      schema: {
        tags,
        summary: "The endpoint's delivery log, newest first, each with its attempts",
        security: bearerSecurity,
        params: endpointParams,
        querystring: listQuerySchema(webhookDeliveryIdPattern),
        response: { 200: webhookDeliveryListSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const endpoint = await findEndpoint(request.params.id, request.merchant!.id);
      const page = await seqListPage<WebhookDeliveryRow>(
        database,
        {
          columns: webhookDeliveryColumns,
          from: webhookDeliveryFrom,
          alias: 'd',
          owner: 'd.endpoint_id = $1',
        },
        endpoint.id,
        request.query,
      );
      const data = [];
      for (const row of page.rows) data.push(await deliveryJson(row));
      return { object: 'list', data, has_more: page.hasMore };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/webhook_deliveries/:id',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'One webhook delivery with its attempts',
        security: bearerSecurity,
        params: deliveryParams,
        response: { 200: webhookDeliveryObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => deliveryJson(await findDelivery(request.params.id, request.merchant!.id)),
  );

  app.post<{ Params: { id: string } }>(
    '/v1/webhook_deliveries/:id/redeliver',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Send the delivery again now, whatever its status',
        security: bearerSecurity,
        headers: idempotencyHeaderSchema,
        params: deliveryParams,
        response: { 200: webhookDeliveryObjectSchema, default: errorResponseSchema },
      },
      config: { idempotency: 'optional' },
    },
    async (request) => {
      const row = await findDelivery(request.params.id, request.merchant!.id);
      const endpoint = await findEndpoint(row.endpoint_id, request.merchant!.id);
      if (endpoint.status !== 'enabled') {
        throw apiError('WEBHOOK_ENDPOINT_DISABLED', `webhook endpoint ${endpoint.id} is disabled`, 'id');
      }
      const at = now().toISOString();
      // Taken from whoever holds it: a sender still waiting on the old attempt records it and moves on.
      await database.query(
        `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $2, lease_owner = NULL,
                lease_until = NULL, updated_at = $2 WHERE id = $1`,
        [row.id, at],
      );
      wake();
      return deliveryJson(await findDelivery(row.id, request.merchant!.id));
    },
  );
}
