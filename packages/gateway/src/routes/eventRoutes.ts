import type { FastifyInstance } from 'fastify';
import { hasApiKey, requireMerchant } from '../auth/merchantAuth.ts';
import { createEventHub } from '../events/createEventHub.ts';
import { handleEventStream } from '../events/handleEventStream.ts';
import { type EventRow, eventColumns, eventToJson } from '../events/writeEvent.ts';
import type { GatewayContext } from '../GatewayContext.ts';
import { apiError } from '../http/apiErrors.ts';
import { type ListQuery, listPage } from '../http/listPage.ts';
import { ownedListPage } from '../merchants/ownedListPage.ts';
import { bearerSecurity, errorResponseSchema, listQuerySchema } from '../schemas/commonSchemas.ts';
import { eventListSchema } from '../schemas/eventSchemas.ts';

/** Options of the event routes beyond the context. */
export interface EventRoutesOptions extends GatewayContext {
  /** How often this replica polls the events table while sockets are open (default 200 ms). */
  eventPollIntervalMs?: number;
  /** WebSocket ping period (default 30 s). */
  eventHeartbeatMs?: number;
}

/**
 * GET /v1/events (the caller's events, newest first) and the WebSocket GET /v1/events/stream. The
 * stream's events come from the database through this replica's hub, so every replica sees every
 * event whichever replica caused it.
 */
export async function eventRoutes(app: FastifyInstance, options: EventRoutesOptions): Promise<void> {
  const { database, tokens, now } = options;
  const hub = createEventHub(
    options.eventPollIntervalMs === undefined ? {} : { pollIntervalMs: options.eventPollIntervalMs },
    { database, onError: (error) => app.log.warn({ err: error }, 'polling events failed; retrying') },
  );
  // After @fastify/websocket's preClose has closed the sockets: stop polling before the database goes.
  app.addHook('onClose', async () => {
    await hub.stop();
  });

  const merchantEvents = requireMerchant('events:read');
  app.get<{ Querystring: ListQuery }>(
    '/v1/events',
    {
      // A merchant API key (`Bearer sk_…`, scope events:read) lists the merchant's events instead.
      onRequest: async (request, reply) =>
        hasApiKey(request) ? merchantEvents.call(app, request, reply) : app.authenticate(request),
      schema: {
        tags: ['events'],
        summary: "The caller's events, newest first (with a merchant API key: the merchant's)",
        security: bearerSecurity,
        querystring: listQuerySchema('^evt_[A-Za-z0-9_-]{22}$'),
        response: { 200: eventListSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      if (request.merchant !== null) {
        const merchantPage = await ownedListPage<EventRow>(
          database,
          { from: 'events', columns: eventColumns, owner: 'merchant_id', seq: 'seq', id: 'id' },
          request.merchant.id,
          request.query,
        );
        return { object: 'list', data: merchantPage.rows.map(eventToJson), has_more: merchantPage.hasMore };
      }
      const page = await listPage<EventRow>(
        database,
        'events',
        eventColumns,
        request.user!.id,
        request.query,
      );
      return { object: 'list', data: page.rows.map(eventToJson), has_more: page.hasMore };
    },
  );

  app.route({
    method: 'GET',
    url: '/v1/events/stream',
    schema: {
      tags: ['events'],
      summary: "WebSocket stream of the caller's events (connect with Upgrade: websocket)",
      description:
        'Send {"type":"auth","access_token":"…","after":"evt_…"?} first; the server answers {"type":"ready"}, then ' +
        'pushes {"type":"event","event":{…}} for each event, in order. Bad credentials: ' +
        '{"type":"error","error":{…}} and close code 4401.',
      response: { default: errorResponseSchema },
    },
    // A plain HTTP GET (no upgrade) gets the error object rather than an empty 404.
    handler: async () => {
      throw apiError('REQUEST_INVALID', 'this endpoint is a WebSocket: connect with Upgrade: websocket');
    },
    wsHandler: (socket, request) => {
      handleEventStream(socket, {
        database,
        hub,
        tokens,
        now,
        log: request.log,
        requestId: request.id,
        ...(options.eventHeartbeatMs === undefined ? {} : { heartbeatMs: options.eventHeartbeatMs }),
      });
    },
  });
}
