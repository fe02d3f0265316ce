import { isShardpayError } from '@shardpay/crypto';
import type { FastifyInstance } from 'fastify';
import { appendAudit } from '../audit/appendAudit.ts';
import type { BankPaymentIntent } from '../bank/BankClient.ts';
import { minorToFiat } from '../bank/fiatAmounts.ts';
import { apiError } from '../http/apiErrors.ts';
import { type ListQuery, listPage } from '../http/listPage.ts';
import { purchaseBankKey } from '../ramp/advancePurchase.ts';
import { moveRow } from '../ramp/moveRow.ts';
import { assertWithinPurchaseLimits } from '../ramp/purchaseLimits.ts';
import { type PurchaseRow, purchaseColumns, purchaseToJson } from '../ramp/purchaseObject.ts';
import type { RampRoutesOptions } from '../ramp/RampRoutesOptions.ts';
import { createRampId, parseRampAmount } from '../ramp/rampIds.ts';
import {
  bearerSecurity,
  errorResponseSchema,
  idempotencyHeaderSchema,
  listQuerySchema,
} from '../schemas/commonSchemas.ts';
import {
  type CreatePurchaseBody,
  confirmPurchaseBodySchema,
  createPurchaseBodySchema,
  purchaseIdPattern,
  purchaseListSchema,
  purchaseObjectSchema,
} from '../schemas/rampSchemas.ts';

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: purchaseIdPattern } },
} as const;

/** The largest single purchase (the limits usually bite first). */
const maxPurchase = 10_000_000_000n;

/**
 * POST /v1/purchases (buy coins with a debit card), POST /v1/purchases/:id/confirm (after 3-D Secure),
 * GET /v1/purchases/:id, GET /v1/purchases. The card is authorized here (the card data exists only in
 * this request); the mint and the capture are the ramp worker's (src/ramp/advancePurchase.ts).
 */
export async function purchaseRoutes(
  app: FastifyInstance,
  options: RampRoutesOptions & { limits: { daily: bigint; weekly: bigint } },
): Promise<void> {
  const { database, now, ramp, wake, limits } = options;

  async function findPurchase(id: string, userId: string): Promise<PurchaseRow> {
    const found = await database.query<PurchaseRow>(
      `SELECT ${purchaseColumns} FROM purchases WHERE id = $1 AND user_id = $2`,
      [id, userId],
    );
    const row = found.rows[0];
    if (row === undefined) throw apiError('RESOURCE_MISSING', `no purchase ${id}`, 'id');
    return row;
  }

  /** Records the bank's answer to an authorization or a 3-D Secure confirm; the updated row. */
  async function recordAuthorization(
    row: PurchaseRow,
    from: string,
    intent: BankPaymentIntent,
  ): Promise<PurchaseRow> {
    const at = now();
    const card = { charge_id: intent.id, card_brand: intent.card.brand, card_last4: intent.card.last4 };
    if (intent.status === 'requires_action') {
      await moveRow(database, 'purchases', row.id, from, { status: 'requires_action', ...card }, at);
    } else if (intent.status === 'requires_capture') {
      await database.transaction(async (tx) => {
        if (!(await moveRow(tx, 'purchases', row.id, from, { status: 'authorized', ...card }, at))) return;
        await appendAudit(tx, {
          kind: 'charge',
          subjectId: row.id,
          amount: BigInt(row.amount),
          data: { charge: intent.id, card_last4: intent.card.last4, user: row.user_id },
          at,
        });
      });
      ramp.crash('after_authorize');
      wake();
    } else {
      throw new Error(`the bank answered an authorization with status ${intent.status}`);
    }
    return findPurchase(row.id, row.user_id);
  }

  /** A decline: the purchase fails with the bank's code and message, and the 402 goes to the caller. */
  async function recordDecline(row: PurchaseRow, from: string, error: unknown): Promise<never> {
    if (isShardpayError(error, 'CARD_ERROR')) {
      const cardCode = error.meta.cardCode;
      await moveRow(
        database,
        'purchases',
        row.id,
        from,
        {
          status: 'failed',
          failure_code: typeof cardCode === 'string' ? cardCode : 'card_declined',
          failure_message: error.message,
        },
        now(),
      );
    }
    throw error;
  }

  app.post<{ Body: CreatePurchaseBody }>(
    '/v1/purchases',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['purchases'],
        summary: 'Buy coins with a debit card: authorize, mint to the wallet, capture once the mint is final',
        security: bearerSecurity,
        headers: idempotencyHeaderSchema,
        body: createPurchaseBodySchema,
        response: { 201: purchaseObjectSchema, default: errorResponseSchema },
      },
      config: { idempotency: 'required' },
    },
    async (request, reply) => {
      const userId = request.user!.id;
      const { body } = request;
      const key = request.headers['idempotency-key'] as string;
      const amount = parseRampAmount(body.amount);
      if (amount > maxPurchase) throw apiError('PARAMETER_INVALID', 'amount is at most 10000.00', 'amount');
      minorToFiat(amount);
      const wallet = await database.query<{ address: string }>(
        'SELECT address FROM wallets WHERE id = $1 AND user_id = $2',
        [body.wallet, userId],
      );
      const address = wallet.rows[0]?.address;
      if (address === undefined) throw apiError('RESOURCE_MISSING', `no wallet ${body.wallet}`, 'wallet');
      // The same Idempotency-Key after a crash (the claim taken over): resume that purchase.
      const existing = await database.query<PurchaseRow>(
        `SELECT ${purchaseColumns} FROM purchases WHERE user_id = $1 AND idempotency_key = $2`,
        [userId, key],
      );
      let row = existing.rows[0];
      if (row === undefined) {
        const at = now();
        row = await database.transaction(async (tx) => {
          // One purchase at a time per user past this point, so two cannot both fit under the limits.
          await tx.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [userId]);
          await assertWithinPurchaseLimits(tx, userId, amount, limits, at);
          const inserted = await tx.query<PurchaseRow>(
            `INSERT INTO purchases (id, user_id, wallet_id, idempotency_key, address, amount, status, next_attempt_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'created', $7, $7, $7) RETURNING ${purchaseColumns}`,
            [createRampId('pur'), userId, body.wallet, key, address, amount.toString(), at.toISOString()],
          );
          return inserted.rows[0]!;
        });
      }
      if (row.status === 'created') {
        let intent: BankPaymentIntent;
        try {
          intent = await ramp.bank.authorize(
            {
              amount,
              card: { ...body.card, number: body.card.number.replaceAll(' ', '') },
              description: `Shardpay purchase ${row.id}`,
              metadata: { purchase: row.id },
            },
            purchaseBankKey(row.id, 'authorize'),
          );
        } catch (error) {
          return recordDecline(row, 'created', error);
        }
        // A crash here leaves an authorization the gateway has not recorded: the client's retry with the
        // same Idempotency-Key asks the bank again with the same key and gets the same authorization.
        ramp.crash('after_authorize');
        row = await recordAuthorization(row, 'created', intent);
      }
      const purchase = purchaseToJson(row);
      await request.idempotency.completeIn(database, 201, purchase);
      return reply.code(201).send(purchase);
    },
  );

  app.post<{ Params: { id: string }; Body: { fail?: boolean } | null }>(
    '/v1/purchases/:id/confirm',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['purchases'],
        summary: 'The cardholder passed 3-D Secure: the authorization completes and the mint follows',
        security: bearerSecurity,
        headers: idempotencyHeaderSchema,
        params: idParams,
        body: confirmPurchaseBodySchema,
        response: { 200: purchaseObjectSchema, default: errorResponseSchema },
      },
      config: { idempotency: 'optional' },
    },
    async (request) => {
      const row = await findPurchase(request.params.id, request.user!.id);
      if (row.status !== 'requires_action') {
        if (row.status === 'created' || row.status === 'failed') {
          throw apiError(
            'PURCHASE_STATE_INVALID',
            `purchase ${row.id} is ${row.status}: nothing to confirm`,
            'id',
          );
        }
        return purchaseToJson(row); // already confirmed
      }
      let intent: BankPaymentIntent;
      try {
        intent = await ramp.bank.confirm(
          row.charge_id!,
          request.body?.fail === true,
          purchaseBankKey(row.id, 'confirm'),
        );
      } catch (error) {
        return recordDecline(row, 'requires_action', error);
      }
      return purchaseToJson(await recordAuthorization(row, 'requires_action', intent));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/purchases/:id',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['purchases'],
        summary: 'One purchase',
        security: bearerSecurity,
        params: idParams,
        response: { 200: purchaseObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => purchaseToJson(await findPurchase(request.params.id, request.user!.id)),
  );

  app.get<{ Querystring: ListQuery }>(
    '/v1/purchases',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['purchases'],
        summary: "The caller's purchases, newest first",
        security: bearerSecurity,
        querystring: listQuerySchema(purchaseIdPattern),
        response: { 200: purchaseListSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const page = await listPage<PurchaseRow>(
        database,
        'purchases',
        purchaseColumns,
        request.user!.id,
        request.query,
      );
      return { object: 'list', data: page.rows.map(purchaseToJson), has_more: page.hasMore };
    },
  );
}
