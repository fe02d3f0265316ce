import { randomBytes } from 'node:crypto';
import type { Queryable } from '@shardpay/database';
import type { FastifyInstance } from 'fastify';
import { hashApiKeySecret } from '../auth/merchantAuth.ts';
import { type GatewayContext, toUnixSeconds } from '../GatewayContext.ts';
import { apiError } from '../http/apiErrors.ts';
import type { ListQuery } from '../http/listPage.ts';
import { createId } from '../ids.ts';
import { ownedListPage } from '../merchants/ownedListPage.ts';
import { bearerSecurity, errorResponseSchema, listQuerySchema } from '../schemas/commonSchemas.ts';
import {
  apiKeyIdPattern,
  apiKeyListSchema,
  apiKeyObjectSchema,
  type CreateApiKeyBody,
  type CreateMerchantBody,
  createApiKeyBodySchema,
  createdApiKeySchema,
  createMerchantBodySchema,
  merchantIdPattern,
  merchantListSchema,
  merchantObjectSchema,
} from '../schemas/merchantSchemas.ts';

interface MerchantRow {
  id: string;
  name: string;
  wallet_id: string;
  address: string;
  created_at: Date;
}

interface ApiKeyRow {
  id: string;
  merchant_id: string;
  name: string;
  scopes: string[];
  last4: string;
  revoked_at: Date | null;
  created_at: Date;
}

const merchantColumns = 'id, name, wallet_id, address, created_at';
const apiKeyColumns = 'id, merchant_id, name, scopes, last4, revoked_at, created_at';

function merchantToJson(row: MerchantRow) {
  return {
    id: row.id,
    object: 'merchant',
    name: row.name,
    wallet: row.wallet_id,
    address: row.address,
    created: toUnixSeconds(new Date(row.created_at)),
  };
}

function apiKeyToJson(row: ApiKeyRow) {
  return {
    id: row.id,
    object: 'api_key',
    merchant: row.merchant_id,
    name: row.name,
    scopes: row.scopes,
    last4: row.last4,
    revoked: row.revoked_at === null ? null : toUnixSeconds(new Date(row.revoked_at)),
    created: toUnixSeconds(new Date(row.created_at)),
  };
}

/** The caller's merchant `id`, or 404 (someone else's merchant is not shown to exist). */
async function ownedMerchant(db: Queryable, userId: string, id: string): Promise<MerchantRow> {
  const found = await db.query<MerchantRow>(
    `SELECT ${merchantColumns} FROM merchants WHERE id = $1 AND user_id = $2`,
    [id, userId],
  );
  const row = found.rows[0];
  if (row === undefined) throw apiError('RESOURCE_MISSING', `no merchant ${id}`, 'id');
  return row;
}

const merchantParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: merchantIdPattern } },
} as const;

/**
 * Merchants (a user's shops, paid to one of the user's wallets) and their scoped API keys; all with
 * the owner's access token. Invoices: invoiceRoutes.ts.
 */
export async function merchantRoutes(app: FastifyInstance, options: GatewayContext): Promise<void> {
  const { database, now } = options;

  app.post<{ Body: CreateMerchantBody }>(
    '/v1/merchants',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['merchants'],
        summary: 'Create a merchant paid to one of your wallets',
        security: bearerSecurity,
        body: createMerchantBodySchema,
        response: { 201: merchantObjectSchema, default: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const userId = request.user!.id;
      const wallet = await database.query<{ address: string }>(
        'SELECT address FROM wallets WHERE id = $1 AND user_id = $2',
        [request.body.wallet, userId],
      );
      const address = wallet.rows[0]?.address;
      if (address === undefined)
        throw apiError('RESOURCE_MISSING', `no wallet ${request.body.wallet}`, 'wallet');
      const inserted = await database.query<MerchantRow>(
        `INSERT INTO merchants (id, user_id, name, wallet_id, address, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING ${merchantColumns}`,
        [createId('mer'), userId, request.body.name, request.body.wallet, address, now().toISOString()],
      );
      return reply.code(201).send(merchantToJson(inserted.rows[0]!));
    },
  );

  app.get<{ Querystring: ListQuery }>(
    '/v1/merchants',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['merchants'],
        summary: 'Your merchants, newest first',
        security: bearerSecurity,
        querystring: listQuerySchema(merchantIdPattern),
        response: { 200: merchantListSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const page = await ownedListPage<MerchantRow>(
        database,
        { from: 'merchants', columns: merchantColumns, owner: 'user_id', seq: 'seq', id: 'id' },
        request.user!.id,
        request.query,
      );
      return { object: 'list', data: page.rows.map(merchantToJson), has_more: page.hasMore };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/merchants/:id',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['merchants'],
        summary: 'One of your merchants',
        security: bearerSecurity,
        params: merchantParams,
        response: { 200: merchantObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => merchantToJson(await ownedMerchant(database, request.user!.id, request.params.id)),
  );

  app.post<{ Params: { id: string }; Body: CreateApiKeyBody }>(
    '/v1/merchants/:id/api_keys',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['merchants'],
        summary: 'Create a scoped API key; its secret is shown in this answer only',
        security: bearerSecurity,
        params: merchantParams,
        body: createApiKeyBodySchema,
        response: { 201: createdApiKeySchema, default: errorResponseSchema },
      },
      // The answer carries the secret: it must not sit in the idempotency table in clear.
      config: { idempotency: 'not_stored' },
    },
    async (request, reply) => {
      const merchant = await ownedMerchant(database, request.user!.id, request.params.id);
      const secret = `sk_${randomBytes(32).toString('base64url')}`;
      const inserted = await database.query<ApiKeyRow>(
        `INSERT INTO merchant_api_keys (id, merchant_id, name, scopes, secret_hash, last4, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${apiKeyColumns}`,
        [
          createId('mk'),
          merchant.id,
          request.body.name,
          request.body.scopes,
          hashApiKeySecret(secret),
          secret.slice(-4),
          now().toISOString(),
        ],
      );
      return reply.code(201).send({ ...apiKeyToJson(inserted.rows[0]!), secret });
    },
  );

  app.get<{ Params: { id: string }; Querystring: ListQuery }>(
    '/v1/merchants/:id/api_keys',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['merchants'],
        summary: "A merchant's API keys, newest first (never their secrets)",
        security: bearerSecurity,
        params: merchantParams,
        querystring: listQuerySchema(apiKeyIdPattern),
        response: { 200: apiKeyListSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const merchant = await ownedMerchant(database, request.user!.id, request.params.id);
      const page = await ownedListPage<ApiKeyRow>(
        database,
        { from: 'merchant_api_keys', columns: apiKeyColumns, owner: 'merchant_id', seq: 'seq', id: 'id' },
        merchant.id,
        request.query,
      );
      return { object: 'list', data: page.rows.map(apiKeyToJson), has_more: page.hasMore };
    },
  );

  app.delete<{ Params: { id: string; key_id: string } }>(
    '/v1/merchants/:id/api_keys/:key_id',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['merchants'],
        summary: 'Revoke an API key at once',
        security: bearerSecurity,
        params: {
          type: 'object',
          required: ['id', 'key_id'],
          properties: {
            id: { type: 'string', pattern: merchantIdPattern },
            key_id: { type: 'string', pattern: apiKeyIdPattern },
          },
        },
        response: { 200: apiKeyObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const merchant = await ownedMerchant(database, request.user!.id, request.params.id);
      const revoked = await database.query<ApiKeyRow>(
        `UPDATE merchant_api_keys SET revoked_at = coalesce(revoked_at, $3) WHERE id = $1 AND merchant_id = $2
         RETURNING ${apiKeyColumns}`,
        [request.params.key_id, merchant.id, now().toISOString()],
      );
      const row = revoked.rows[0];
      if (row === undefined)
        throw apiError('RESOURCE_MISSING', `no API key ${request.params.key_id}`, 'key_id');
      return apiKeyToJson(row);
    },
  );
}
