import type { Queryable } from '@shardpay/database';
import type { FastifyInstance } from 'fastify';
import type { BankContext } from '../BankContext.ts';
import { cardErrorResult, lastPaymentError } from '../cards/cardErrorResult.ts';
import { type CardInput, checkCard } from '../cards/checkCard.ts';
import {
  type PaymentIntentRow,
  paymentIntentColumns,
  paymentIntentObject,
} from '../cards/paymentIntentObject.ts';
import { parseFiatAmount } from '../fiatAmount.ts';
import { bankError } from '../http/bankErrors.ts';
import { type ListQuery, listPage } from '../http/listPage.ts';
import { type BankResult, respondInTransaction } from '../http/respondInTransaction.ts';
import {
  currencySchema,
  descriptionSchema,
  fiatAmountSchema,
  idParamsSchema,
  listQuerySchema,
  metadataSchema,
} from '../http/schemas.ts';
import { createBankId } from '../ids.ts';
import { appendReserveTransaction } from '../reserve/appendReserveTransaction.ts';

interface CreatePaymentIntentBody {
  amount: string;
  currency: 'usd';
  card: CardInput;
  capture_method?: 'manual' | 'automatic';
  description?: string;
  metadata?: Record<string, string>;
}

const createBodySchema = {
  type: 'object',
  required: ['amount', 'currency', 'card'],
  additionalProperties: false,
  properties: {
    amount: fiatAmountSchema,
    currency: currencySchema,
    card: {
      type: 'object',
      required: ['number', 'exp_month', 'exp_year', 'cvc'],
      additionalProperties: false,
      properties: {
        number: { type: 'string', maxLength: 32 },
        exp_month: { type: 'integer' },
        exp_year: { type: 'integer' },
        cvc: { type: 'string', maxLength: 8 },
      },
    },
    capture_method: { type: 'string', enum: ['manual', 'automatic'] },
    description: descriptionSchema,
    metadata: metadataSchema,
  },
} as const;

const confirmBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { fail: { type: 'boolean' } },
} as const;

const cancelBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    cancellation_reason: {
      type: 'string',
      enum: ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'],
    },
  },
} as const;

const captureBodySchema = { type: 'object', additionalProperties: false, properties: {} } as const;

/** Reads an intent inside `tx`, locked until it commits; 404 when there is none. */
async function lockPaymentIntent(tx: Queryable, id: string, param = 'id'): Promise<PaymentIntentRow> {
  const found = await tx.query<PaymentIntentRow>(
    `SELECT ${paymentIntentColumns} FROM payment_intents WHERE id = $1 FOR UPDATE`,
    [id],
  );
  const row = found.rows[0];
  if (row === undefined) throw bankError('RESOURCE_MISSING', `no such payment_intent: ${id}`, param);
  return row;
}

async function reloadPaymentIntent(tx: Queryable, id: string): Promise<BankResult> {
  return { status: 200, body: paymentIntentObject(await lockPaymentIntent(tx, id)) };
}

/** Moves an authorized intent to `succeeded` and credits the reserve with its amount. */
async function capture(tx: Queryable, intent: PaymentIntentRow, at: Date): Promise<void> {
  await tx.query(
    `UPDATE payment_intents SET status = 'succeeded', amount_received = amount, captured_at = $2 WHERE id = $1`,
    [intent.id, at.toISOString()],
  );
  await appendReserveTransaction(tx, {
    type: 'capture',
    amount: BigInt(intent.amount),
    source: intent.id,
    at,
  });
}

function unexpectedState(intent: PaymentIntentRow, action: string, hint = ''): never {
  throw bankError(
    'PAYMENT_INTENT_UNEXPECTED_STATE',
    `this payment_intent is ${intent.status}: it cannot be ${action}${hint}`,
  );
}

/**
 * Card payments: authorize (`POST /v1/payment_intents`), 3-D Secure (`…/confirm`), capture,
 * cancel (void), read and list. Every POST needs an Idempotency-Key.
 */
export async function paymentIntentRoutes(app: FastifyInstance, context: BankContext): Promise<void> {
  const { database, now } = context;
  const config = { bankIdempotency: 'required' as const };

  app.post<{ Body: CreatePaymentIntentBody }>(
    '/v1/payment_intents',
    { config, schema: { body: createBodySchema } },
    async (request, reply) => {
      const body = request.body;
      const at = now();
      const amount = parseFiatAmount(body.amount);
      const check = checkCard(body.card, at);
      return respondInTransaction(database, request, reply, async (tx) => {
        if (check.rejected !== null) {
          // The network refused the card before any issuer saw it: no payment intent exists.
          return cardErrorResult(request.id, { code: check.rejected.code, param: check.rejected.param });
        }
        const { card, outcome } = check;
        const captureMethod = body.capture_method ?? 'automatic';
        const status =
          outcome.kind === 'decline'
            ? 'requires_payment_method'
            : outcome.kind === 'three_d_secure'
              ? 'requires_action'
              : 'requires_capture';
        const id = createBankId('pi');
        const failure =
          outcome.kind === 'decline' ? lastPaymentError(outcome.code, outcome.declineCode) : null;
        await tx.query(
          `INSERT INTO payment_intents (id, amount, currency, status, capture_method, card_brand, card_last4,
             card_exp_month, card_exp_year, description, metadata, last_payment_error, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [
            id,
            amount.toString(),
            body.currency,
            status,
            captureMethod,
            card.brand,
            card.last4,
            card.exp_month,
            card.exp_year,
            body.description ?? null,
            JSON.stringify(body.metadata ?? {}),
            failure === null ? null : JSON.stringify(failure),
            at.toISOString(),
          ],
        );
        const intent = await lockPaymentIntent(tx, id);
        if (outcome.kind === 'decline') {
          return cardErrorResult(request.id, {
            code: outcome.code,
            declineCode: outcome.declineCode,
            paymentIntent: paymentIntentObject(intent),
          });
        }
        if (status === 'requires_capture' && captureMethod === 'automatic') await capture(tx, intent, at);
        return reloadPaymentIntent(tx, id);
      });
    },
  );

  app.post<{ Params: { id: string }; Body: { fail?: boolean } }>(
    '/v1/payment_intents/:id/confirm',
    { config, schema: { params: idParamsSchema, body: confirmBodySchema } },
    async (request, reply) =>
      respondInTransaction(database, request, reply, async (tx) => {
        const at = now();
        const intent = await lockPaymentIntent(tx, request.params.id);
        if (intent.status !== 'requires_action')
          unexpectedState(intent, 'confirmed', ' (only requires_action is)');
        if (request.body.fail === true) {
          const failure = lastPaymentError('authentication_required', 'authentication_required');
          await tx.query(
            `UPDATE payment_intents SET status = 'requires_payment_method', last_payment_error = $2 WHERE id = $1`,
            [intent.id, JSON.stringify(failure)],
          );
          return cardErrorResult(request.id, {
            code: 'authentication_required',
            declineCode: 'authentication_required',
            paymentIntent: paymentIntentObject(await lockPaymentIntent(tx, intent.id)),
          });
        }
        await tx.query(`UPDATE payment_intents SET status = 'requires_capture' WHERE id = $1`, [intent.id]);
        if (intent.capture_method === 'automatic') await capture(tx, intent, at);
        return reloadPaymentIntent(tx, intent.id);
      }),
  );

  app.post<{ Params: { id: string } }>(
    '/v1/payment_intents/:id/capture',
    { config, schema: { params: idParamsSchema, body: captureBodySchema } },
    async (request, reply) =>
      respondInTransaction(database, request, reply, async (tx) => {
        const intent = await lockPaymentIntent(tx, request.params.id);
        // Capturing twice answers the captured intent and never credits the reserve again.
        if (intent.status === 'requires_capture') await capture(tx, intent, now());
        else if (intent.status !== 'succeeded')
          unexpectedState(intent, 'captured', ' (only requires_capture is)');
        return reloadPaymentIntent(tx, intent.id);
      }),
  );

  app.post<{ Params: { id: string }; Body: { cancellation_reason?: string } }>(
    '/v1/payment_intents/:id/cancel',
    { config, schema: { params: idParamsSchema, body: cancelBodySchema } },
    async (request, reply) =>
      respondInTransaction(database, request, reply, async (tx) => {
        const intent = await lockPaymentIntent(tx, request.params.id);
        if (intent.status === 'succeeded') {
          throw bankError(
            'PAYMENT_INTENT_UNEXPECTED_STATE',
            'this payment_intent was already captured, so there is no authorization to void: refund it instead (POST /v1/refunds)',
          );
        }
        // Voiding twice answers the canceled intent.
        if (intent.status !== 'canceled') {
          await tx.query(
            `UPDATE payment_intents SET status = 'canceled', cancellation_reason = $2, canceled_at = $3 WHERE id = $1`,
            [intent.id, request.body.cancellation_reason ?? null, now().toISOString()],
          );
        }
        return reloadPaymentIntent(tx, intent.id);
      }),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/payment_intents/:id',
    { schema: { params: idParamsSchema } },
    async (request) => {
      const found = await database.query<PaymentIntentRow>(
        `SELECT ${paymentIntentColumns} FROM payment_intents WHERE id = $1`,
        [request.params.id],
      );
      const row = found.rows[0];
      if (row === undefined)
        throw bankError('RESOURCE_MISSING', `no such payment_intent: ${request.params.id}`, 'id');
      return paymentIntentObject(row);
    },
  );

  app.get<{ Querystring: ListQuery }>(
    '/v1/payment_intents',
    { schema: { querystring: listQuerySchema } },
    async (request) =>
      listPage(database, 'payment_intents', paymentIntentColumns, request.query, paymentIntentObject),
  );
}
