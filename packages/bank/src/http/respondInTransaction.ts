import type { Database, Queryable } from '@shardpay/database';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** A response a handler decided on: a status and its JSON body. */
export interface BankResult {
  status: number;
  body: unknown;
}

/**
 * Runs `work` and records its response under the request's Idempotency-Key in one transaction,
 * then sends exactly the bytes stored, so a replay is byte for byte the first answer. A crash
 * before the commit leaves nothing; after it, the operation and its record both.
 */
export async function respondInTransaction(
  database: Database,
  request: FastifyRequest,
  reply: FastifyReply,
  work: (tx: Queryable) => Promise<BankResult>,
): Promise<FastifyReply> {
  const { status, text } = await database.transaction(async (tx) => {
    const result = await work(tx);
    const text = JSON.stringify(result.body);
    await request.bankIdempotency.recordIn(tx, result.status, text);
    return { status: result.status, text };
  });
  return reply.code(status).type('application/json; charset=utf-8').send(text);
}
