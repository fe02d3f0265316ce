import { createHash, timingSafeEqual } from 'node:crypto';
import type { Database } from '@shardpay/database';
import { markAsAppPlugin } from '@shardpay/service';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { apiError } from '../http/apiErrors.ts';
import { isId } from '../ids.ts';

/** What a merchant API key may do (docs/gateway.md "Merchants and invoices"). */
export const MERCHANT_SCOPES = [
  'invoices:read',
  'invoices:write',
  'refunds:write',
  'events:read',
  'webhooks:read',
  'webhooks:write',
] as const;

export type MerchantScope = (typeof MERCHANT_SCOPES)[number];

/** The merchant a request acts for, by API key or by its owner's access token. */
export interface AuthenticatedMerchant {
  id: string;
  userId: string;
  address: string;
  /** The `mk_` key used, or null when the owner's access token (+ `Shardpay-Merchant`) was. */
  apiKeyId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    merchant: AuthenticatedMerchant | null;
  }
  interface FastifyInstance {
    merchantAuthDatabase: Database;
  }
}

/** sha256 hex of an API key secret: the only form stored. */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

const apiKeyPattern = /^Bearer (sk_[A-Za-z0-9_-]{20,100})$/;

interface KeyRow {
  key_id: string;
  secret_hash: string;
  scopes: string[];
  merchant_id: string;
  user_id: string;
  address: string;
}

async function merchantOfApiKey(
  database: Database,
  secret: string,
  scope: MerchantScope,
): Promise<AuthenticatedMerchant> {
  const hash = hashApiKeySecret(secret);
  const found = await database.query<KeyRow>(
    `SELECT k.id AS key_id, k.secret_hash, k.scopes, m.id AS merchant_id, m.user_id, m.address
       FROM merchant_api_keys k JOIN merchants m ON m.id = k.merchant_id
      WHERE k.secret_hash = $1 AND k.revoked_at IS NULL`,
    [hash],
  );
  const row = found.rows[0];
  // The lookup is by hash (no secret-dependent early exit on a prefix); compare in constant time anyway.
  const valid =
    row !== undefined && timingSafeEqual(Buffer.from(row.secret_hash, 'hex'), Buffer.from(hash, 'hex'));
  if (!valid || row === undefined) throw apiError('TOKEN_INVALID', 'the API key is not valid');
  if (!row.scopes.includes(scope)) {
    throw apiError('PERMISSION_DENIED', `this API key lacks the scope ${scope}`);
  }
  return { id: row.merchant_id, userId: row.user_id, address: row.address, apiKeyId: row.key_id };
}

async function merchantOfOwner(database: Database, request: FastifyRequest): Promise<AuthenticatedMerchant> {
  await request.server.authenticate(request);
  const header = request.headers['shardpay-merchant'];
  if (header === undefined) {
    throw apiError(
      'PARAMETER_MISSING',
      'send the merchant id in a Shardpay-Merchant header, or use an API key',
    );
  }
  if (!isId(header, 'mer')) {
    throw apiError('PARAMETER_INVALID', 'Shardpay-Merchant must be a mer_ id');
  }
  const found = await database.query<{ id: string; user_id: string; address: string }>(
    'SELECT id, user_id, address FROM merchants WHERE id = $1 AND user_id = $2',
    [header, request.user!.id],
  );
  const row = found.rows[0];
  if (row === undefined) throw apiError('RESOURCE_MISSING', `no merchant ${header}`);
  return { id: row.id, userId: row.user_id, address: row.address, apiKeyId: null };
}

/**
 * A hook that authenticates a merchant: `Authorization: Bearer sk_…` (an unrevoked API key with
 * `scope`; a key without it is `403 permission_denied`), or the owner's access token with a
 * `Shardpay-Merchant: mer_…` header (the owner may do everything). Sets `request.merchant`.
 * Use it as the route's `onRequest` (it only reads headers), so the idempotency claim, taken in the
 * app's preHandler, is scoped to the merchant; it also works as a preHandler for non-POST routes.
 */
export function requireMerchant(scope: MerchantScope): preHandlerAsyncHookHandler {
  return async function merchantAuthHook(request) {
    const database = request.server.merchantAuthDatabase;
    const match = apiKeyPattern.exec(request.headers.authorization ?? '');
    request.merchant =
      match === null
        ? await merchantOfOwner(database, request)
        : await merchantOfApiKey(database, match[1]!, scope);
  };
}

/** True when the request carries an API key (`Bearer sk_…`) rather than an access token. */
export function hasApiKey(request: FastifyRequest): boolean {
  return (request.headers.authorization ?? '').startsWith('Bearer sk_');
}

async function merchantAuthPlugin(app: FastifyInstance, options: { database: Database }): Promise<void> {
  app.decorateRequest('merchant', null);
  app.decorate('merchantAuthDatabase', options.database);
}

/** Registers `request.merchant` and what `requireMerchant` reads; register it with the auth plugin. */
export const merchantAuth = markAsAppPlugin(merchantAuthPlugin, 'shardpay-merchant-auth');
