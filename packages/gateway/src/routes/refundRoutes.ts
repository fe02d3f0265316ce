import { bytesToHex, encodeAddress, hexToBytes, isShardpayError } from '@shardpay/crypto';
import type { Queryable } from '@shardpay/database';
import {
  decodeTransaction,
  formatAmount,
  isTransactionSignatureValid,
  type NetworkConfig,
  shardOfAddress,
  type Transaction,
  transactionId,
  transactionSender,
} from '@shardpay/protocol';
import type { FastifyInstance } from 'fastify';
import { requireMerchant } from '../auth/merchantAuth.ts';
import type { ChainClient } from '../chain/createChainClient.ts';
import { lockEventOrder, writeEvent } from '../events/writeEvent.ts';
import { type GatewayContext, toUnixSeconds } from '../GatewayContext.ts';
import { apiError } from '../http/apiErrors.ts';
import type { ListQuery } from '../http/listPage.ts';
import { createId } from '../ids.ts';
import { invoiceToJson, paymentsOf } from '../merchants/invoiceObject.ts';
import { loadInvoice } from '../merchants/loadInvoice.ts';
import { ownedListPage } from '../merchants/ownedListPage.ts';
import {
  bearerSecurity,
  errorResponseSchema,
  idempotencyHeaderSchema,
  listQuerySchema,
} from '../schemas/commonSchemas.ts';
import {
  type CreateRefundBody,
  createRefundBodySchema,
  refundIdPattern,
  refundListSchema,
  refundObjectSchema,
} from '../schemas/invoiceSchemas.ts';
import { invoiceParams, positiveAmount } from './invoiceRoutes.ts';

/** What refund routes need beyond the context: the chain and its genesis. */
export interface RefundRoutesOptions extends GatewayContext {
  chain: ChainClient;
  network: NetworkConfig;
}

interface RefundRow {
  id: string;
  invoice_id: string;
  amount: bigint;
  tx_id: string;
  status: string;
  created_at: Date;
}

// The chain status is read from the index when asked (the indexer spends no statement on refunds):
// `credited` once the payer's shard credited it, `final` once included on the merchant's shard.
const refundColumns = `id, invoice_id, amount, tx_id, created_at,
  CASE WHEN status = 'submitting' THEN 'submitting'
       WHEN EXISTS (SELECT 1 FROM chain_credits c
                     WHERE c.tx_id = invoice_refunds.tx_id AND c.kind = 'credit' AND c.outcome = 'credited')
         OR EXISTS (SELECT 1 FROM chain_transactions t
                     WHERE t.tx_id = invoice_refunds.tx_id AND t.target_shard IS NULL) THEN 'credited'
       WHEN EXISTS (SELECT 1 FROM chain_transactions t WHERE t.tx_id = invoice_refunds.tx_id) THEN 'final'
       ELSE 'pending' END AS status`;

function refundToJson(row: RefundRow) {
  return {
    id: row.id,
    object: 'refund',
    invoice: row.invoice_id,
    amount: formatAmount(BigInt(row.amount)),
    currency: 'usd',
    tx_id: row.tx_id,
    status: row.status,
    created: toUnixSeconds(new Date(row.created_at)),
  };
}

const invalid = (message: string) => apiError('TRANSACTION_INVALID', message, 'transaction');

/** The client-signed refund, decoded and checked against the chain and the invoice's pay_to. */
function checkedRefund(hex: string, network: NetworkConfig, payTo: string): Transaction {
  let tx: Transaction;
  try {
    tx = decodeTransaction(hexToBytes(hex));
  } catch (error) {
    throw invalid(
      `transaction is not a canonical transaction: ${error instanceof Error ? error.message : 'malformed'}`,
    );
  }
  if (!isTransactionSignatureValid(tx)) {
    throw apiError('SIGNATURE_INVALID', 'the transaction signature does not verify', 'transaction');
  }
  if (tx.chainId !== network.chainId)
    throw invalid(`transaction is for chain '${tx.chainId}', not '${network.chainId}'`);
  if (tx.operation.type !== 'transfer') throw invalid('a refund is a transfer back to the payer');
  const sender = transactionSender(tx);
  if (encodeAddress(sender, network.addressPrefix) !== payTo)
    throw invalid(`a refund is sent from the invoice's pay_to ${payTo}`);
  const home = shardOfAddress(network, sender);
  if (tx.shard !== home)
    throw apiError(
      'WRONG_SHARD',
      `pay_to lives on shard ${home}; sign the transaction for it`,
      'transaction',
    );
  return tx;
}

async function refundByTx(db: Queryable, txId: string): Promise<RefundRow | undefined> {
  return (await db.query<RefundRow>(`SELECT ${refundColumns} FROM invoice_refunds WHERE tx_id = $1`, [txId]))
    .rows[0];
}

/**
 * Merchant refunds (non-custodial): the merchant signs a transfer from pay_to back to the payer; the
 * gateway checks it, reserves the amount on the invoice, submits it and records the refund.
 */
export async function refundRoutes(app: FastifyInstance, options: RefundRoutesOptions): Promise<void> {
  const { database, now, chain, network } = options;

  app.post<{ Params: { id: string }; Body: CreateRefundBody }>(
    '/v1/invoices/:id/refunds',
    {
      onRequest: requireMerchant('refunds:write'),
      schema: {
        tags: ['invoices'],
        summary: 'Refund a paid invoice with a transfer the merchant signed from pay_to to the payer',
        security: bearerSecurity,
        headers: idempotencyHeaderSchema,
        params: invoiceParams,
        body: createRefundBodySchema,
        response: { 201: refundObjectSchema, default: errorResponseSchema },
      },
      config: { idempotency: 'required' },
    },
    async (request, reply) => {
      const merchant = request.merchant!;
      const amount = positiveAmount(request.body.amount, 'amount');
      const tx = checkedRefund(request.body.transaction, network, merchant.address);
      const operation = tx.operation as Extract<Transaction['operation'], { type: 'transfer' }>;
      if (operation.amount !== amount) {
        throw invalid(
          `the transaction transfers ${formatAmount(operation.amount)}, not ${formatAmount(amount)}`,
        );
      }
      const txId = bytesToHex(transactionId(tx));
      // 1. Reserve the amount on the invoice (row-locked), stored as `submitting` before the chain has it.
      const reserved = await database.transaction(async (dbTx) => {
        const invoice = await loadInvoice(dbTx, merchant.id, request.params.id, true);
        const existing = await refundByTx(dbTx, txId);
        if (existing !== undefined) {
          if (existing.invoice_id !== invoice.id)
            throw invalid('this transaction already refunds another invoice');
          return existing; // a retry: resume it
        }
        const payer = paymentsOf(invoice).find((payment) => payment.status === 'credited')?.from_address;
        if (payer === undefined)
          throw apiError('INVOICE_STATE_INVALID', 'nothing was paid to this invoice', 'id');
        if (encodeAddress(operation.to, network.addressPrefix) !== payer) {
          throw invalid(`a refund goes back to the payer ${payer}`);
        }
        const left = BigInt(invoice.amount_paid) - BigInt(invoice.amount_refunded);
        if (amount > left) {
          throw apiError(
            'REFUND_AMOUNT_TOO_LARGE',
            `at most ${formatAmount(left)} is left to refund`,
            'amount',
          );
        }
        await dbTx.query('UPDATE invoices SET amount_refunded = amount_refunded + $2 WHERE id = $1', [
          invoice.id,
          amount.toString(),
        ]);
        const inserted = await dbTx.query<RefundRow>(
          `INSERT INTO invoice_refunds (id, invoice_id, merchant_id, amount, tx_id, status, created_at)
           VALUES ($1, $2, $3, $4, $5, 'submitting', $6) RETURNING ${refundColumns}`,
          [createId('ref'), invoice.id, merchant.id, amount.toString(), txId, now().toISOString()],
        );
        return inserted.rows[0]!;
      });
      // 2. Submit. A node's definite refusal releases the reservation; anything else (no node answered,
      // a timeout) leaves it `submitting` for the idempotent retry, which resubmits the same bytes.
      try {
        await chain.call(tx.shard, 'shardpay_submitTransaction', { tx: request.body.transaction });
      } catch (error) {
        if (!isShardpayError(error, 'TX_ALREADY_KNOWN')) {
          if (isShardpayError(error) && error.meta.rpcCode === -32000) {
            await database.transaction(async (dbTx) => {
              const gone = await dbTx.query(
                "DELETE FROM invoice_refunds WHERE id = $1 AND status = 'submitting'",
                [reserved.id],
              );
              if (gone.rowCount === 1) {
                await dbTx.query('UPDATE invoices SET amount_refunded = amount_refunded - $2 WHERE id = $1', [
                  reserved.invoice_id,
                  String(reserved.amount),
                ]);
              }
            });
          }
          throw error;
        }
      }
      // 3. Submitted: the refund is pending, with its event and the idempotency record.
      const refund = await database.transaction(async (dbTx) => {
        await lockEventOrder(dbTx);
        const moved = await dbTx.query(
          "UPDATE invoice_refunds SET status = 'pending' WHERE id = $1 AND status = 'submitting'",
          [reserved.id],
        );
        const row = (await refundByTx(dbTx, txId))!;
        if (moved.rowCount === 1 || reserved.status === 'submitting') {
          const at = now();
          await writeEvent(dbTx, {
            userId: merchant.userId,
            merchantId: merchant.id,
            type: 'invoice.refunded',
            data: invoiceToJson(await loadInvoice(dbTx, merchant.id, row.invoice_id)),
            at,
          });
        }
        const body = refundToJson(row);
        await request.idempotency.completeIn(dbTx, 201, body);
        return body;
      });
      return reply.code(201).send(refund);
    },
  );

  app.get<{ Params: { id: string }; Querystring: ListQuery }>(
    '/v1/invoices/:id/refunds',
    {
      onRequest: requireMerchant('invoices:read'),
      schema: {
        tags: ['invoices'],
        summary: "An invoice's refunds, newest first",
        security: bearerSecurity,
        params: invoiceParams,
        querystring: listQuerySchema(refundIdPattern),
        response: { 200: refundListSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const invoice = await loadInvoice(database, request.merchant!.id, request.params.id);
      const page = await ownedListPage<RefundRow>(
        database,
        { from: 'invoice_refunds', columns: refundColumns, owner: 'invoice_id', seq: 'seq', id: 'id' },
        invoice.id,
        request.query,
      );
      return { object: 'list', data: page.rows.map(refundToJson), has_more: page.hasMore };
    },
  );
}
