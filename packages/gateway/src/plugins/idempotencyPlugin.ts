import { createHash } from 'node:crypto';
import type { Database, Queryable } from '@shardpay/database';
import { markAsAppPlugin } from '@shardpay/service';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiError } from '../http/apiErrors.ts';

/**
 * How a POST route treats `Idempotency-Key`: `required` (money-moving), `optional` (stored when
 * sent), `not_stored` (the response carries credentials that must not be kept: the key is checked
 * and ignored).
 */
export type IdempotencyMode = 'required' | 'optional' | 'not_stored';

declare module 'fastify' {
  interface FastifyContextConfig {
    idempotency?: IdempotencyMode;
  }
  interface FastifyRequest {
    idempotencyClaim: { scope: string; key: string } | null;
    /** How a handler stores its response together with its own writes (see `IdempotencyRecorder`). */
    idempotency: IdempotencyRecorder;
  }
}

/**
 * Lets a handler record its response inside its own database transaction, so its writes and the
 * idempotency record commit together: a crash can then leave both or neither, never a payment
 * without its record (which a retry would create twice) nor a record without the payment.
 */
export interface IdempotencyRecorder {
  /**
   * Stores `status` and `body` (serialized as JSON) as this request's response in `tx`. A no-op when
   * the request has no stored key (no header, or a `not_stored` route).
   */
  completeIn(tx: Queryable, status: number, body: unknown): Promise<void>;
}

export interface IdempotencyPluginOptions extends Record<string, unknown> {
  database: Database;
  now: () => Date;
  /** A 'running' claim older than this is taken to be from a crashed replica and taken over. */
  staleClaimSeconds?: number;
}

const keyPattern = /^[\x21-\x7e]{1,255}$/;

/** JSON with object keys sorted, so equal parameters hash equally whatever their order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** sha256 of the method, the URL and the canonical body: what "the same parameters" means. */
export function idempotencyRequestHash(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method}\n${url}\n${canonicalJson(body ?? null)}`)
    .digest('hex');
}

interface StoredKey {
  request_hash: string;
  state: 'running' | 'done';
  response_status: number | null;
  response_body: string | null;
  locked_at: Date;
}

async function idempotencyPlugin(app: FastifyInstance, options: IdempotencyPluginOptions): Promise<void> {
  const { database, now } = options;
  const staleMs = (options.staleClaimSeconds ?? 60) * 1000;
  app.decorateRequest('idempotencyClaim', null);
  app.decorateRequest('idempotency', {
    getter(this: FastifyRequest): IdempotencyRecorder {
      return {
        completeIn: async (tx, status, body) => {
          const claim = this.idempotencyClaim;
          if (claim === null) return;
          await storeResponse(tx, claim, status, JSON.stringify(body));
        },
      };
    },
  });

  // preHandler runs after authentication and schema validation: refused requests store nothing.
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'POST') return;
    const mode = request.routeOptions.config.idempotency ?? 'optional';
    const header = request.headers['idempotency-key'];
    if (header === undefined) {
      if (mode === 'required') {
        throw apiError('IDEMPOTENCY_KEY_REQUIRED', 'this endpoint needs an Idempotency-Key header');
      }
      return;
    }
    if (typeof header !== 'string' || !keyPattern.test(header)) {
      throw apiError('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key is 1-255 printable ASCII characters');
    }
    if (mode === 'not_stored') return;
    // A merchant's API key (or its owner acting for it) keys its own space (src/auth/merchantAuth.ts).
    const merchant = (request as { merchant?: { id: string } | null }).merchant;
    const scope = merchant ? `merchant:${merchant.id}` : (request.user?.id ?? 'anonymous');
    const requestHash = idempotencyRequestHash(request.method, request.url, request.body);
    const at = now();
    const inserted = await database.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, state, created_at, locked_at)
       VALUES ($1, $2, $3, 'running', $4, $4) ON CONFLICT (scope, key) DO NOTHING`,
      [scope, header, requestHash, at.toISOString()],
    );
    if (inserted.rowCount === 1) {
      request.idempotencyClaim = { scope, key: header };
      return;
    }
    const existing = await database.query<StoredKey>(
      `SELECT request_hash, state, response_status, response_body, locked_at
         FROM idempotency_keys WHERE scope = $1 AND key = $2`,
      [scope, header],
    );
    const stored = existing.rows[0];
    if (stored === undefined) {
      // Purged between the two statements: the caller may simply retry.
      throw apiError('IDEMPOTENCY_KEY_IN_USE', 'this Idempotency-Key is being processed; retry shortly');
    }
    if (stored.request_hash !== requestHash) {
      throw apiError(
        'IDEMPOTENCY_KEY_REUSED',
        'this Idempotency-Key was used with different parameters; use a new key for a new request',
      );
    }
    if (stored.state === 'done') {
      reply
        .code(stored.response_status ?? 200)
        .header('idempotent-replayed', 'true')
        .type('application/json; charset=utf-8');
      return reply.send(stored.response_body ?? '');
    }
    const takenOver = await database.query(
      `UPDATE idempotency_keys SET locked_at = $3
        WHERE scope = $1 AND key = $2 AND state = 'running' AND locked_at < $4`,
      [scope, header, at.toISOString(), new Date(at.getTime() - staleMs).toISOString()],
    );
    if (takenOver.rowCount !== 1) {
      throw apiError(
        'IDEMPOTENCY_KEY_IN_USE',
        'a request with this Idempotency-Key is still running; retry shortly',
      );
    }
    request.idempotencyClaim = { scope, key: header };
  });

  // The first response, errors included, is what every replay gets.
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const claim = request.idempotencyClaim;
    if (claim === null || claim === undefined) return payload;
    request.idempotencyClaim = null;
    const body =
      typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    // After a completeIn whose transaction committed, the record is already 'done': the bytes actually
    // sent (serialized by the response schema) replace the equivalent JSON only when the status is the
    // same, so an error after that commit never hides the stored success. If that transaction rolled
    // back, the claim is still 'running' and this response is stored as usual.
    await database.query(
      `UPDATE idempotency_keys SET state = 'done', response_status = $3, response_body = $4
        WHERE scope = $1 AND key = $2 AND (state = 'running' OR response_status = $3)`,
      [claim.scope, claim.key, reply.statusCode, body],
    );
    return payload;
  });
}

async function storeResponse(
  tx: Queryable,
  claim: { scope: string; key: string },
  status: number,
  body: string,
): Promise<void> {
  await tx.query(
    `UPDATE idempotency_keys SET state = 'done', response_status = $3, response_body = $4
      WHERE scope = $1 AND key = $2`,
    [claim.scope, claim.key, status, body],
  );
}

/** Deletes keys older than the retention (at least 24 hours); returns how many went. */
export async function purgeExpiredIdempotencyKeys(
  database: Database,
  now: Date,
  retentionSeconds: number,
): Promise<number> {
  const cutoff = new Date(now.getTime() - Math.max(retentionSeconds, 24 * 3600) * 1000);
  const result = await database.query('DELETE FROM idempotency_keys WHERE created_at < $1', [
    cutoff.toISOString(),
  ]);
  return result.rowCount;
}

export const idempotency = markAsAppPlugin(idempotencyPlugin, 'shardpay-idempotency');
