import { createHmac } from 'node:crypto';
import type { Database, Queryable } from '@shardpay/database';
import { markAsAppPlugin } from '@shardpay/service';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bankError } from '../http/bankErrors.ts';

/** `required` on POSTs that move money; `optional` (stored when sent) on the others. */
export type IdempotencyMode = 'required' | 'optional';

declare module 'fastify' {
  interface FastifyContextConfig {
    bankIdempotency?: IdempotencyMode;
  }
  interface FastifyRequest {
    /** How a handler stores its response together with its own writes. */
    bankIdempotency: IdempotencyRecorder;
    bankIdempotencyClaim: IdempotencyClaim | null;
  }
}

interface IdempotencyClaim {
  key: string;
  requestHash: string;
  recorded: boolean;
}

/** Stores a request's response under its Idempotency-Key (no-ops when the request has none). */
export interface IdempotencyRecorder {
  /** The key, when the request has one (the flaky test account counts attempts per key). */
  readonly key: string | undefined;
  /** Stores the response in `tx`, the transaction of the handler's own changes: both or neither commit. */
  recordIn(tx: Queryable, status: number, bodyText: string): Promise<void>;
  /** Stores a refusal thrown by the handler (4xx only: a 5xx changed nothing and may be retried). */
  recordRefusal(status: number, bodyText: string): Promise<void>;
}

export interface IdempotencyPluginOptions extends Record<string, unknown> {
  database: Database;
  now: () => Date;
  /** Keys the request hash (an HMAC: request bodies hold card numbers). */
  hashKey: string;
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

/**
 * Stripe's idempotency, with the record in the same transaction as the request's changes:
 * - the claim is taken in `preHandler`, after authentication and validation (refusals store nothing);
 * - a stored key with the same method, path and body replays the stored status and body
 *   (`Idempotent-Replayed: true`); other parameters → 409 `idempotency_key_reused`;
 * - a key whose first request is still running → 409 `idempotency_key_in_use`. The bank is one
 *   process, so the running keys live in memory: after a crash none is running, and the database
 *   holds either the whole operation with its record or nothing.
 */
async function idempotencyPlugin(app: FastifyInstance, options: IdempotencyPluginOptions): Promise<void> {
  const { database, now } = options;
  const running = new Set<string>();
  const hashRequest = (request: FastifyRequest) =>
    createHmac('sha256', options.hashKey)
      .update(`${request.method}\n${request.url}\n${canonicalJson(request.body ?? null)}`)
      .digest('hex');

  // Inside the handler's transaction a plain INSERT: if the key were somehow recorded already, the
  // whole operation rolls back rather than happen twice.
  const insertRecord = async (
    queryable: Queryable,
    claim: IdempotencyClaim,
    status: number,
    bodyText: string,
  ) => {
    const conflict = await queryable.query('SELECT 1 FROM idempotency_keys WHERE key = $1', [claim.key]);
    if (conflict.rowCount > 0) {
      throw bankError(
        'IDEMPOTENCY_KEY_IN_USE',
        'this Idempotency-Key was just used; retry to get its response',
      );
    }
    await queryable.query(
      `INSERT INTO idempotency_keys (key, request_hash, response_status, response_body, created_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [claim.key, claim.requestHash, status, bodyText, now().toISOString()],
    );
  };

  app.decorateRequest('bankIdempotencyClaim', null);
  app.decorateRequest('bankIdempotency', {
    getter(this: FastifyRequest): IdempotencyRecorder {
      const claim = this.bankIdempotencyClaim;
      return {
        key: claim?.key,
        recordIn: async (tx, status, bodyText) => {
          if (claim === null) return;
          await insertRecord(tx, claim, status, bodyText);
          claim.recorded = true;
        },
        recordRefusal: async (status, bodyText) => {
          // 409s are about the key itself; 5xx changed nothing and may simply be retried.
          if (claim === null || claim.recorded || status < 400 || status >= 500 || status === 409) return;
          await database.transaction((tx) => insertRecord(tx, claim, status, bodyText));
          claim.recorded = true;
        },
      };
    },
  });

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'POST') return;
    const mode = request.routeOptions.config.bankIdempotency ?? 'optional';
    const key = request.headers['idempotency-key'];
    if (key === undefined) {
      if (mode === 'required') {
        throw bankError(
          'IDEMPOTENCY_KEY_REQUIRED',
          'this endpoint moves money: send an Idempotency-Key header',
        );
      }
      return;
    }
    if (typeof key !== 'string' || !keyPattern.test(key)) {
      throw bankError('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key is 1-255 printable ASCII characters');
    }
    if (running.has(key)) {
      throw bankError(
        'IDEMPOTENCY_KEY_IN_USE',
        'a request with this Idempotency-Key is still running; retry shortly',
      );
    }
    const requestHash = hashRequest(request);
    const stored = await database.query<{
      request_hash: string;
      response_status: number;
      response_body: string;
    }>('SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE key = $1', [key]);
    const first = stored.rows[0];
    if (first !== undefined) {
      if (first.request_hash !== requestHash) {
        throw bankError(
          'IDEMPOTENCY_KEY_REUSED',
          'this Idempotency-Key was used with different parameters; use a new key for a new request',
        );
      }
      reply
        .code(first.response_status)
        .header('idempotent-replayed', 'true')
        .type('application/json; charset=utf-8');
      return reply.send(first.response_body);
    }
    // Checked again after the await: another request may have claimed the key meanwhile.
    if (running.has(key)) {
      throw bankError(
        'IDEMPOTENCY_KEY_IN_USE',
        'a request with this Idempotency-Key is still running; retry shortly',
      );
    }
    running.add(key);
    request.bankIdempotencyClaim = { key, requestHash, recorded: false };
  });

  // By onSend the response is recorded (in the handler's transaction, or by the error handler).
  app.addHook('onSend', async (request: FastifyRequest, _reply: FastifyReply, payload: unknown) => {
    const claim = request.bankIdempotencyClaim;
    if (claim !== null) {
      running.delete(claim.key);
      request.bankIdempotencyClaim = null;
    }
    return payload;
  });
  app.addHook('onResponse', async (request: FastifyRequest) => {
    const claim = request.bankIdempotencyClaim;
    if (claim !== null) running.delete(claim.key);
  });
}

/** Deletes keys (and flaky-account attempt counters) older than 24 hours; returns how many keys went. */
export async function purgeExpiredIdempotencyKeys(database: Database, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - 24 * 3600 * 1000).toISOString();
  await database.query('DELETE FROM payout_attempts WHERE created_at < $1', [cutoff]);
  const result = await database.query('DELETE FROM idempotency_keys WHERE created_at < $1', [cutoff]);
  return result.rowCount;
}

export const idempotency = markAsAppPlugin(idempotencyPlugin, 'bank-idempotency');
