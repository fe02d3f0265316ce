import { decodeAddress } from '@shardpay/crypto';
import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../GatewayContext.ts';
import { apiError } from '../http/apiErrors.ts';
import { addressHistory } from '../indexer/addressHistory.ts';
import { bearerSecurity, errorResponseSchema } from '../schemas/commonSchemas.ts';
import {
  chainTransactionListSchema,
  type HistoryQuery,
  historyQuerySchema,
} from '../schemas/historySchemas.ts';

const walletParamsSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^wal_[A-Za-z0-9_-]{22}$' } },
} as const;

const addressParamsSchema = {
  type: 'object',
  required: ['address'],
  properties: { address: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;

/**
 * On-chain history from the indexer: GET /v1/wallets/:id/transactions (the caller's wallet) and
 * GET /v1/accounts/:address/transactions (any address: chain data is public). Served without a chain
 * too: they read only the database.
 */
export async function historyRoutes(app: FastifyInstance, options: GatewayContext): Promise<void> {
  const { database, config } = options;

  app.get<{ Params: { id: string }; Querystring: HistoryQuery }>(
    '/v1/wallets/:id/transactions',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['wallets'],
        summary: "A wallet's on-chain history (sent and received), newest indexed first, from the indexer",
        security: bearerSecurity,
        params: walletParamsSchema,
        querystring: historyQuerySchema,
        response: { 200: chainTransactionListSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const found = await database.query<{ address: string }>(
        'SELECT address FROM wallets WHERE id = $1 AND user_id = $2',
        [request.params.id, request.user!.id],
      );
      const address = found.rows[0]?.address;
      if (address === undefined) throw apiError('RESOURCE_MISSING', `no wallet ${request.params.id}`, 'id');
      return addressHistory(database, address, request.query);
    },
  );

  app.get<{ Params: { address: string }; Querystring: HistoryQuery }>(
    '/v1/accounts/:address/transactions',
    {
      schema: {
        tags: ['chain'],
        summary: "An address's on-chain history (sent and received), newest indexed first, from the indexer",
        params: addressParamsSchema,
        querystring: historyQuerySchema,
        response: { 200: chainTransactionListSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const { address } = request.params;
      try {
        decodeAddress(address, config.addressPrefix);
      } catch {
        throw apiError(
          'ADDRESS_INVALID',
          `address is not a valid ${config.addressPrefix}1… address`,
          'address',
        );
      }
      return addressHistory(database, address, request.query);
    },
  );
}
