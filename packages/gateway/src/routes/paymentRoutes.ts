import { bytesToHex, decodeAddress, encodeAddress, hexToBytes, isShardpayError } from '@shardpay/crypto';
import {
  decodeTransaction,
  isTransactionSignatureValid,
  type NetworkConfig,
  shardOfAddress,
  type Transaction,
  transactionId,
  transactionSender,
} from '@shardpay/protocol';
import type { FastifyInstance } from 'fastify';
import type { ChainClient } from '../chain/createChainClient.ts';
import { isPaymentStatus, movePaymentStatus } from '../events/movePaymentStatus.ts';
import { type PaymentRow, paymentColumns, paymentToJson } from '../events/paymentObject.ts';
import { lockEventOrder, writeEvent } from '../events/writeEvent.ts';
import type { GatewayContext } from '../GatewayContext.ts';
import { apiError } from '../http/apiErrors.ts';
import { type ListQuery, listPage } from '../http/listPage.ts';
import { createId } from '../ids.ts';
import { indexedPaymentStatus } from '../indexer/indexedPaymentStatus.ts';
import {
  bearerSecurity,
  errorResponseSchema,
  idempotencyHeaderSchema,
  listQuerySchema,
} from '../schemas/commonSchemas.ts';
import {
  balanceObjectSchema,
  type CreatePaymentBody,
  createPaymentBodySchema,
  paymentListSchema,
  paymentObjectSchema,
} from '../schemas/paymentSchemas.ts';

/** What payment routes need beyond the context: the chain and its genesis. */
export interface PaymentRoutesOptions extends GatewayContext {
  chain: ChainClient;
  network: NetworkConfig;
}

// Statuses the node reports (docs/devnet.md shardpay_getTransactionStatus) never asked again.
const terminalStatuses = new Set(['credited', 'refunded']);

function decodeSignedTransaction(hex: string): Transaction {
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
 * POST /v1/payments (send a client-signed transaction), GET /v1/payments/:id (its status),
 * GET /v1/payments and GET /v1/wallets/:id/balance. (A wallet's history: historyRoutes.ts.)
 */
export async function paymentRoutes(app: FastifyInstance, options: PaymentRoutesOptions): Promise<void> {
  const { database, now, chain, network } = options;
  const prefix = network.addressPrefix;

  app.post<{ Body: CreatePaymentBody }>(
    '/v1/payments',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['payments'],
        summary: "Send a transaction signed by the client; the gateway routes it to the sender's shard",
        security: bearerSecurity,
        headers: idempotencyHeaderSchema,
        body: createPaymentBodySchema,
        response: { 201: paymentObjectSchema, default: errorResponseSchema },
      },
      config: { idempotency: 'required' },
    },
    async (request, reply) => {
      const userId = request.user!.id;
      const tx = decodeSignedTransaction(request.body.transaction);
      if (tx.chainId !== network.chainId) {
        throw apiError(
          'TRANSACTION_INVALID',
          `transaction is for chain '${tx.chainId}', not '${network.chainId}'`,
          'transaction',
        );
      }
      const sender = transactionSender(tx);
      const from = encodeAddress(sender, prefix);
      const home = shardOfAddress(network, sender);
      if (tx.shard !== home) {
        throw apiError(
          'WRONG_SHARD',
          `the sender lives on shard ${home}; sign the transaction for it`,
          'transaction',
        );
      }
      const operation = tx.operation;
      if (operation.type !== 'transfer' && operation.type !== 'pay' && operation.type !== 'burn') {
        throw apiError(
          'OPERATION_NOT_ALLOWED',
          operation.type === 'mint'
            ? 'mints are made by the on-ramp, not sent by users'
            : `a ${operation.type} is not a payment: submit it to a node of its shard (shardpay_submitTransaction)`,
          'transaction',
        );
      }
      const wallet = await database.query<{ id: string }>(
        'SELECT id FROM wallets WHERE user_id = $1 AND address = $2',
        [userId, from],
      );
      const walletId = wallet.rows[0]?.id;
      if (walletId === undefined) {
        throw apiError(
          'WALLET_NOT_REGISTERED',
          `register ${from} with POST /v1/wallets before sending from it`,
          'transaction',
        );
      }
      const txId = bytesToHex(transactionId(tx));
      try {
        await chain.call(tx.shard, 'shardpay_submitTransaction', { tx: request.body.transaction });
      } catch (error) {
        // Already in the mempool (a retry): the same transaction, so the same payment.
        if (!isShardpayError(error, 'TX_ALREADY_KNOWN')) throw error;
      }
      const to =
        operation.type === 'transfer'
          ? encodeAddress(operation.to, prefix)
          : operation.type === 'pay'
            ? encodeAddress(operation.merchant, prefix)
            : null;
      // The payment row, its payment.created event and the idempotency record commit together. A crash
      // after submitting but before this commit leaves none of them; the retry (taken over after 60 s)
      // submits the same bytes again, the node says TX_ALREADY_KNOWN, and the row is written then,
      // starting from whatever the indexer has already seen of the transaction.
      const payment = await database.transaction(async (dbTx) => {
        await lockEventOrder(dbTx);
        const at = now();
        const inserted = await dbTx.query<PaymentRow>(
          `INSERT INTO payments (id, user_id, wallet_id, tx_id, shard, operation, from_address, to_address, amount,
                                 fee, status, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11, $11)
           ON CONFLICT (tx_id) DO NOTHING
           RETURNING ${paymentColumns}`,
          [
            createId('pay'),
            userId,
            walletId,
            txId,
            tx.shard,
            operation.type,
            from,
            to,
            operation.amount.toString(),
            tx.fee.toString(),
            at.toISOString(),
          ],
        );
        let row = inserted.rows[0];
        if (row === undefined) {
          // The same transaction sent again under another key: the same payment.
          row = (
            await dbTx.query<PaymentRow>(`SELECT ${paymentColumns} FROM payments WHERE tx_id = $1`, [txId])
          ).rows[0]!;
        } else {
          await writeEvent(dbTx, { userId, type: 'payment.created', data: paymentToJson(row), at });
          const indexed = await indexedPaymentStatus(dbTx, txId);
          if (indexed !== null) row = (await movePaymentStatus(dbTx, txId, indexed, at)) ?? row;
        }
        const body = paymentToJson(row);
        await request.idempotency.completeIn(dbTx, 201, body);
        return body;
      });
      return reply.code(201).send(payment);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/payments/:id',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['payments'],
        summary: 'One payment, its status refreshed from the chain',
        security: bearerSecurity,
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', pattern: '^pay_[A-Za-z0-9_-]{22}$' } },
        },
        response: { 200: paymentObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const found = await database.query<PaymentRow>(
        `SELECT ${paymentColumns} FROM payments WHERE id = $1 AND user_id = $2`,
        [request.params.id, request.user!.id],
      );
      const row = found.rows[0];
      if (row === undefined) throw apiError('RESOURCE_MISSING', `no payment ${request.params.id}`, 'id');
      if (terminalStatuses.has(row.status)) return paymentToJson(row);
      try {
        const status = await chain.call<{ status?: unknown }>(
          Number(row.shard),
          'shardpay_getTransactionStatus',
          {
            txId: row.tx_id,
          },
        );
        const reported = status.status;
        if (isPaymentStatus(reported) && reported !== row.status) {
          const moved = await database.transaction(async (dbTx) => {
            await lockEventOrder(dbTx);
            return movePaymentStatus(dbTx, row.tx_id, reported, now());
          });
          if (moved !== null) row.status = moved.status;
        }
      } catch (error) {
        // The stored status is still true, only perhaps not the latest: answer with it.
        request.log.warn({ err: error, payment: row.id }, 'could not refresh payment status');
      }
      return paymentToJson(row);
    },
  );

  app.get<{ Querystring: ListQuery }>(
    '/v1/payments',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['payments'],
        summary: "The caller's payments, newest first (statuses as last seen; GET one to refresh it)",
        security: bearerSecurity,
        querystring: listQuerySchema('^pay_[A-Za-z0-9_-]{22}$'),
        response: { 200: paymentListSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const page = await listPage<PaymentRow>(
        database,
        'payments',
        paymentColumns,
        request.user!.id,
        request.query,
      );
      return { object: 'list', data: page.rows.map(paymentToJson), has_more: page.hasMore };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/wallets/:id/balance',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['wallets'],
        summary: "A wallet's balance, read from a node of its home shard",
        security: bearerSecurity,
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', pattern: '^wal_[A-Za-z0-9_-]{22}$' } },
        },
        response: { 200: balanceObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const found = await database.query<{ address: string }>(
        'SELECT address FROM wallets WHERE id = $1 AND user_id = $2',
        [request.params.id, request.user!.id],
      );
      const address = found.rows[0]?.address;
      if (address === undefined) throw apiError('RESOURCE_MISSING', `no wallet ${request.params.id}`, 'id');
      const shard = shardOfAddress(network, decodeAddress(address, prefix));
      const account = await chain.call<{ balance?: unknown; nonce?: unknown; height?: unknown }>(
        shard,
        'shardpay_getAccount',
        { address },
      );
      if (
        typeof account.balance !== 'string' ||
        typeof account.nonce !== 'string' ||
        typeof account.height !== 'string'
      ) {
        throw new Error(`shardpay_getAccount answered an unexpected shape for shard ${shard}`);
      }
      return {
        object: 'balance',
        wallet: request.params.id,
        address,
        shard,
        available: account.balance,
        currency: 'usd',
        nonce: account.nonce,
        height: account.height,
      };
    },
  );
}
