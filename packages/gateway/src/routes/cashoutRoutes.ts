import { bytesToHex, encodeAddress, hexToBytes, isShardpayError } from '@shardpay/crypto';
import {
  decodeTransaction,
  isTransactionSignatureValid,
  shardOfAddress,
  type Transaction,
  transactionId,
  transactionSender,
} from '@shardpay/protocol';
import type { FastifyInstance } from 'fastify';
import { minorToFiat } from '../bank/fiatAmounts.ts';
import { apiError } from '../http/apiErrors.ts';
import { type ListQuery, listPage } from '../http/listPage.ts';
import { type CashoutRow, cashoutColumns, cashoutToJson } from '../ramp/cashoutObject.ts';
import { moveRow } from '../ramp/moveRow.ts';
import type { RampRoutesOptions } from '../ramp/RampRoutesOptions.ts';
import { createRampId, parseRampAmount } from '../ramp/rampIds.ts';
import {
  bearerSecurity,
  errorResponseSchema,
  idempotencyHeaderSchema,
  listQuerySchema,
} from '../schemas/commonSchemas.ts';
import {
  burnCashoutBodySchema,
  type CreateCashoutBody,
  cashoutIdPattern,
  cashoutListSchema,
  cashoutObjectSchema,
  createCashoutBodySchema,
} from '../schemas/rampSchemas.ts';

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: cashoutIdPattern } },
} as const;

function decodeBurn(hex: string): Transaction {
  let tx: Transaction;
  try {
    tx = decodeTransaction(hexToBytes(hex));
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'malformed';
    throw apiError(
      'TRANSACTION_INVALID',
      `transaction is not a canonical transaction: ${reason}`,
      'transaction',
    );
  }
  if (!isTransactionSignatureValid(tx)) {
    throw apiError('SIGNATURE_INVALID', 'the transaction signature does not verify', 'transaction');
  }
  return tx;
}

/**
 * Cash-out in two calls: POST /v1/cashouts `{wallet, amount, bank_account}` answers a cash-out
 * `awaiting_burn` whose id is the payout reference; the client signs a burn of exactly that amount with
 * `payoutReference` = the id and sends it to POST /v1/cashouts/:id/burn. The worker pays out once the
 * burn is final (src/ramp/advanceCashout.ts). GET /v1/cashouts/:id, GET /v1/cashouts.
 */
export async function cashoutRoutes(app: FastifyInstance, options: RampRoutesOptions): Promise<void> {
  const { database, now, ramp, wake } = options;
  const { network, chain } = ramp;

  async function findCashout(id: string, userId: string): Promise<CashoutRow> {
    const found = await database.query<CashoutRow>(
      `SELECT ${cashoutColumns} FROM cashouts WHERE id = $1 AND user_id = $2`,
      [id, userId],
    );
    const row = found.rows[0];
    if (row === undefined) throw apiError('RESOURCE_MISSING', `no cash-out ${id}`, 'id');
    return row;
  }

  app.post<{ Body: CreateCashoutBody }>(
    '/v1/cashouts',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['cashouts'],
        summary: 'Start a cash-out to a bank account; then sign a burn naming its id',
        security: bearerSecurity,
        headers: idempotencyHeaderSchema,
        body: createCashoutBodySchema,
        response: { 201: cashoutObjectSchema, default: errorResponseSchema },
      },
      config: { idempotency: 'required' },
    },
    async (request, reply) => {
      const userId = request.user!.id;
      const { body } = request;
      const amount = parseRampAmount(body.amount);
      minorToFiat(amount);
      const wallet = await database.query<{ address: string }>(
        'SELECT address FROM wallets WHERE id = $1 AND user_id = $2',
        [body.wallet, userId],
      );
      const address = wallet.rows[0]?.address;
      if (address === undefined) throw apiError('RESOURCE_MISSING', `no wallet ${body.wallet}`, 'wallet');
      const at = now().toISOString();
      const cashout = await database.transaction(async (tx) => {
        const inserted = await tx.query<CashoutRow>(
          `INSERT INTO cashouts (id, user_id, wallet_id, address, amount, routing_number, account_number, status,
                                 next_attempt_at, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'awaiting_burn', $8, $8, $8) RETURNING ${cashoutColumns}`,
          [
            createRampId('co'),
            userId,
            body.wallet,
            address,
            amount.toString(),
            body.bank_account.routing_number,
            body.bank_account.account_number,
            at,
          ],
        );
        const object = cashoutToJson(inserted.rows[0]!);
        await request.idempotency.completeIn(tx, 201, object);
        return object;
      });
      return reply.code(201).send(cashout);
    },
  );

  app.post<{ Params: { id: string }; Body: { transaction: string } }>(
    '/v1/cashouts/:id/burn',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['cashouts'],
        summary:
          'Send the burn that pays for the cash-out (payoutReference = the cash-out id, amount = its amount)',
        security: bearerSecurity,
        headers: idempotencyHeaderSchema,
        params: idParams,
        body: burnCashoutBodySchema,
        response: { 200: cashoutObjectSchema, default: errorResponseSchema },
      },
      config: { idempotency: 'required' },
    },
    async (request) => {
      const row = await findCashout(request.params.id, request.user!.id);
      const tx = decodeBurn(request.body.transaction);
      const txId = bytesToHex(transactionId(tx));
      if (row.burn_tx_id === txId) return cashoutToJson(row); // the same burn again
      if (row.status !== 'awaiting_burn') {
        throw apiError(
          'CASHOUT_STATE_INVALID',
          `cash-out ${row.id} is ${row.status}: it already has its burn`,
          'id',
        );
      }
      const operation = tx.operation;
      const sender = transactionSender(tx);
      const refuse = (message: string) => apiError('TRANSACTION_INVALID', message, 'transaction');
      if (tx.chainId !== network.chainId)
        throw refuse(`transaction is for chain '${tx.chainId}', not '${network.chainId}'`);
      if (operation.type !== 'burn') throw refuse('a cash-out is paid for by a burn');
      if (operation.payoutReference !== row.id) throw refuse(`the burn's payoutReference must be ${row.id}`);
      if (operation.amount !== BigInt(row.amount))
        throw refuse('the burn must be of exactly the cash-out amount');
      if (encodeAddress(sender, network.addressPrefix) !== row.address) {
        throw refuse(`the burn must be signed by the cash-out's wallet ${row.address}`);
      }
      const home = shardOfAddress(network, sender);
      if (tx.shard !== home)
        throw apiError(
          'WRONG_SHARD',
          `the sender lives on shard ${home}; sign the burn for it`,
          'transaction',
        );
      // Stored before it is submitted, so the worker resubmits the same bytes after a crash.
      const moved = await moveRow(
        database,
        'cashouts',
        row.id,
        'awaiting_burn',
        {
          status: 'burning',
          burn_tx: request.body.transaction,
          burn_tx_id: txId,
          burn_expiry_height: tx.expiryHeight,
          failure_code: null,
          failure_message: null,
        },
        now(),
      );
      if (!moved) throw apiError('CASHOUT_STATE_INVALID', `cash-out ${row.id} already has its burn`, 'id');
      try {
        await chain.call(tx.shard, 'shardpay_submitTransaction', { tx: request.body.transaction });
      } catch (error) {
        const refusal =
          isShardpayError(error) &&
          error.meta.rpcCode !== undefined &&
          !isShardpayError(error, 'TX_ALREADY_KNOWN');
        if (refusal) {
          // The node refused it for good (nonce, funds, expiry): nothing will be burned; sign again.
          await moveRow(
            database,
            'cashouts',
            row.id,
            'burning',
            {
              status: 'awaiting_burn',
              burn_tx: null,
              burn_tx_id: null,
              burn_expiry_height: null,
            },
            now(),
          );
          throw error;
        }
        if (!isShardpayError(error, 'TX_ALREADY_KNOWN')) {
          request.log.warn(
            { err: error, cashout: row.id },
            'burn not submitted now; the worker will resubmit it',
          );
        }
      }
      wake();
      return cashoutToJson(await findCashout(row.id, row.user_id));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/cashouts/:id',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['cashouts'],
        summary: 'One cash-out',
        security: bearerSecurity,
        params: idParams,
        response: { 200: cashoutObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => cashoutToJson(await findCashout(request.params.id, request.user!.id)),
  );

  app.get<{ Querystring: ListQuery }>(
    '/v1/cashouts',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['cashouts'],
        summary: "The caller's cash-outs, newest first",
        security: bearerSecurity,
        querystring: listQuerySchema(cashoutIdPattern),
        response: { 200: cashoutListSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const page = await listPage<CashoutRow>(
        database,
        'cashouts',
        cashoutColumns,
        request.user!.id,
        request.query,
      );
      return { object: 'list', data: page.rows.map(cashoutToJson), has_more: page.hasMore };
    },
  );
}
