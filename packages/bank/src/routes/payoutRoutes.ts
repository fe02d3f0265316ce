import type { FastifyInstance } from 'fastify';
import type { BankContext } from '../BankContext.ts';
import { parseFiatAmount } from '../fiatAmount.ts';
import { bankError } from '../http/bankErrors.ts';
import { type ListQuery, listPage } from '../http/listPage.ts';
import { respondInTransaction } from '../http/respondInTransaction.ts';
import {
  currencySchema,
  descriptionSchema,
  fiatAmountSchema,
  idParamsSchema,
  listQuerySchema,
  metadataSchema,
} from '../http/schemas.ts';
import { createBankId } from '../ids.ts';
import { type PayoutRow, payoutColumns, payoutObject } from '../payouts/payoutObject.ts';
import { TEST_ROUTING_NUMBER, testBankAccount } from '../payouts/testBankAccounts.ts';
import { appendReserveTransaction } from '../reserve/appendReserveTransaction.ts';

interface CreatePayoutBody {
  amount: string;
  currency: 'usd';
  destination: { routing_number: string; account_number: string };
  description?: string;
  metadata?: Record<string, string>;
}

const createBodySchema = {
  type: 'object',
  required: ['amount', 'currency', 'destination'],
  additionalProperties: false,
  properties: {
    amount: fiatAmountSchema,
    currency: currencySchema,
    destination: {
      type: 'object',
      required: ['routing_number', 'account_number'],
      additionalProperties: false,
      properties: {
        routing_number: { type: 'string', maxLength: 32 },
        account_number: { type: 'string', maxLength: 32 },
      },
    },
    description: descriptionSchema,
    metadata: metadataSchema,
  },
} as const;

/**
 * Payouts from the reserve account to test bank accounts. Creating one debits the reserve at once;
 * it stays `pending` for `payoutDelayMs`, then the payout clock makes it `paid`, or `failed` with the
 * amount credited back.
 */
export async function payoutRoutes(app: FastifyInstance, context: BankContext): Promise<void> {
  const { database, now, config } = context;

  app.post<{ Body: CreatePayoutBody }>(
    '/v1/payouts',
    { config: { bankIdempotency: 'required' }, schema: { body: createBodySchema } },
    async (request, reply) => {
      const body = request.body;
      const amount = parseFiatAmount(body.amount);
      if (body.destination.routing_number !== TEST_ROUTING_NUMBER) {
        throw bankError(
          'ROUTING_NUMBER_INVALID',
          `unknown routing number: the sandbox bank's is ${TEST_ROUTING_NUMBER}`,
          'destination.routing_number',
        );
      }
      const account = testBankAccount(body.destination.account_number);
      if (account === undefined) {
        throw bankError(
          'BANK_ACCOUNT_INVALID',
          'no such bank account at the sandbox bank (see docs/bank.md for the test account numbers)',
          'destination.account_number',
        );
      }
      if (account.kind === 'flaky') {
        // Counted in its own transaction: the 503 itself creates nothing and is not stored as the
        // key's response, so a retry with the same key is a new attempt.
        const key = request.bankIdempotency.key ?? '';
        const counted = await database.query<{ attempts: number }>(
          `INSERT INTO payout_attempts (key, attempts, created_at) VALUES ($1, 1, $2)
           ON CONFLICT (key) DO UPDATE SET attempts = payout_attempts.attempts + 1 RETURNING attempts`,
          [key, now().toISOString()],
        );
        if (Number(counted.rows[0]?.attempts ?? 0) <= account.unavailableAttempts) {
          throw bankError(
            'BANK_UNAVAILABLE',
            'the receiving bank did not answer; retry with the same Idempotency-Key',
          );
        }
      }
      const result = await respondInTransaction(database, request, reply, async (tx) => {
        const at = now();
        const id = createBankId('po');
        await appendReserveTransaction(tx, { type: 'payout', amount: -amount, source: id, at });
        await tx.query(
          `INSERT INTO payouts (id, amount, currency, routing_number, account_last4, status, failure_code_planned,
             description, metadata, created_at, settle_at)
           VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $9, $10)`,
          [
            id,
            amount.toString(),
            body.currency,
            body.destination.routing_number,
            body.destination.account_number.slice(-4),
            account.kind === 'fails' ? account.failureCode : null,
            body.description ?? null,
            JSON.stringify(body.metadata ?? {}),
            at.toISOString(),
            new Date(at.getTime() + config.payoutDelayMs).toISOString(),
          ],
        );
        const payout = await tx.query<PayoutRow>(`SELECT ${payoutColumns} FROM payouts WHERE id = $1`, [id]);
        return { status: 200, body: payoutObject(payout.rows[0]!) };
      });
      context.onPayoutCreated();
      return result;
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/payouts/:id',
    { schema: { params: idParamsSchema } },
    async (request) => {
      const found = await database.query<PayoutRow>(`SELECT ${payoutColumns} FROM payouts WHERE id = $1`, [
        request.params.id,
      ]);
      const row = found.rows[0];
      if (row === undefined)
        throw bankError('RESOURCE_MISSING', `no such payout: ${request.params.id}`, 'id');
      return payoutObject(row);
    },
  );

  app.get<{ Querystring: ListQuery }>(
    '/v1/payouts',
    { schema: { querystring: listQuerySchema } },
    async (request) => listPage(database, 'payouts', payoutColumns, request.query, payoutObject),
  );
}
