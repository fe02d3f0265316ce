import type { FastifyInstance } from 'fastify';
import type { BankContext } from '../BankContext.ts';
import { formatFiatAmount, parseFiatAmount } from '../fiatAmount.ts';
import { bankError } from '../http/bankErrors.ts';
import { type ListQuery, listPage } from '../http/listPage.ts';
import { respondInTransaction } from '../http/respondInTransaction.ts';
import { fiatAmountSchema, idParamsSchema, listQuerySchema, metadataSchema } from '../http/schemas.ts';
import { createBankId, unixSeconds } from '../ids.ts';
import { appendReserveTransaction } from '../reserve/appendReserveTransaction.ts';

interface RefundRow {
  id: string;
  payment_intent_id: string;
  amount: bigint;
  currency: string;
  reason: string | null;
  metadata: Record<string, string>;
  created_at: Date;
}

const refundColumns = 'id, payment_intent_id, amount, currency, reason, metadata, created_at';

function refundObject(row: RefundRow) {
  return {
    id: row.id,
    object: 'refund',
    amount: formatFiatAmount(BigInt(row.amount)),
    currency: row.currency,
    payment_intent: row.payment_intent_id,
    reason: row.reason,
    status: 'succeeded',
    metadata: row.metadata,
    created: unixSeconds(row.created_at),
    livemode: false,
  };
}

interface CreateRefundBody {
  payment_intent: string;
  amount?: string;
  reason?: string;
  metadata?: Record<string, string>;
}

const createBodySchema = {
  type: 'object',
  required: ['payment_intent'],
  additionalProperties: false,
  properties: {
    payment_intent: { type: 'string', minLength: 1, maxLength: 64 },
    amount: fiatAmountSchema,
    reason: { type: 'string', enum: ['duplicate', 'fraudulent', 'requested_by_customer'] },
    metadata: metadataSchema,
  },
} as const;

/**
 * Refunds of captured card payments: each debits the reserve; together they never exceed what
 * was captured. `amount` defaults to what is left to refund.
 */
export async function refundRoutes(app: FastifyInstance, context: BankContext): Promise<void> {
  const { database, now } = context;

  app.post<{ Body: CreateRefundBody }>(
    '/v1/refunds',
    { config: { bankIdempotency: 'required' }, schema: { body: createBodySchema } },
    async (request, reply) => {
      const body = request.body;
      const requested = body.amount === undefined ? undefined : parseFiatAmount(body.amount);
      return respondInTransaction(database, request, reply, async (tx) => {
        const at = now();
        const found = await tx.query<{
          id: string;
          status: string;
          currency: string;
          amount_received: bigint;
          amount_refunded: bigint;
        }>(
          'SELECT id, status, currency, amount_received, amount_refunded FROM payment_intents WHERE id = $1 FOR UPDATE',
          [body.payment_intent],
        );
        const intent = found.rows[0];
        if (intent === undefined) {
          throw bankError(
            'RESOURCE_MISSING',
            `no such payment_intent: ${body.payment_intent}`,
            'payment_intent',
          );
        }
        if (intent.status !== 'succeeded') {
          throw bankError(
            'PAYMENT_INTENT_UNEXPECTED_STATE',
            `this payment_intent is ${intent.status}: only a captured (succeeded) one can be refunded; void an authorization with POST /v1/payment_intents/:id/cancel`,
            'payment_intent',
          );
        }
        const refundable = BigInt(intent.amount_received) - BigInt(intent.amount_refunded);
        if (refundable === 0n) {
          throw bankError(
            'CHARGE_ALREADY_REFUNDED',
            'this payment_intent has already been refunded in full',
            'payment_intent',
          );
        }
        const amount = requested ?? refundable;
        if (amount > refundable) {
          throw bankError(
            'REFUND_AMOUNT_TOO_LARGE',
            `amount is more than the ${formatFiatAmount(refundable)} left to refund on this payment_intent`,
            'amount',
          );
        }
        const id = createBankId('re');
        await tx.query(
          `INSERT INTO refunds (id, payment_intent_id, amount, currency, reason, metadata, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            id,
            intent.id,
            amount.toString(),
            intent.currency,
            body.reason ?? null,
            JSON.stringify(body.metadata ?? {}),
            at.toISOString(),
          ],
        );
        await tx.query('UPDATE payment_intents SET amount_refunded = amount_refunded + $2 WHERE id = $1', [
          intent.id,
          amount.toString(),
        ]);
        await appendReserveTransaction(tx, { type: 'refund', amount: -amount, source: id, at });
        const refund = await tx.query<RefundRow>(`SELECT ${refundColumns} FROM refunds WHERE id = $1`, [id]);
        return { status: 200, body: refundObject(refund.rows[0]!) };
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/refunds/:id',
    { schema: { params: idParamsSchema } },
    async (request) => {
      const found = await database.query<RefundRow>(`SELECT ${refundColumns} FROM refunds WHERE id = $1`, [
        request.params.id,
      ]);
      const row = found.rows[0];
      if (row === undefined)
        throw bankError('RESOURCE_MISSING', `no such refund: ${request.params.id}`, 'id');
      return refundObject(row);
    },
  );

  app.get<{ Querystring: ListQuery }>(
    '/v1/refunds',
    { schema: { querystring: listQuerySchema } },
    async (request) => listPage(database, 'refunds', refundColumns, request.query, refundObject),
  );
}
