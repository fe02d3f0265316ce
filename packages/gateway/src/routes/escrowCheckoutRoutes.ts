import { isShardpayError } from '@shardpay/crypto';
import type { NetworkConfig } from '@shardpay/protocol';
import type { FastifyInstance } from 'fastify';
import type { ChainClient } from '../chain/createChainClient.ts';
import { decodeClientTransaction } from '../chain/decodeClientTransaction.ts';
import { submitClientTransaction } from '../chain/submitClientTransaction.ts';
import type { GatewayContext } from '../GatewayContext.ts';
import { apiError } from '../http/apiErrors.ts';
import { checkEscrowLock } from '../merchants/checkEscrowLock.ts';
import { invoiceEscrowOf } from '../merchants/invoiceEscrow.ts';
import { errorResponseSchema, idempotencyHeaderSchema } from '../schemas/commonSchemas.ts';
import {
  checkoutObjectSchema,
  type SignedTransactionBody,
  signedTransactionBodySchema,
} from '../schemas/invoiceSchemas.ts';
import { checkoutParams, checkoutToJson, loadCheckoutRow } from './checkoutRoutes.ts';

/** What the escrow checkout needs beyond the context: the chain and its genesis. */
export interface EscrowCheckoutRoutesOptions extends GatewayContext {
  chain: ChainClient;
  network: NetworkConfig;
}

// JSON-RPC "server error": a node's definite refusal of the transaction (docs/devnet.md).
const nodeRefusalRpcCode = -32000;

/**
 * `POST /v1/checkout/:invoice_id/escrow` (public, like the checkout: the invoice id is the capability):
 * the buyer's client-signed `escrow_lock` for an escrow-backed invoice. The gateway checks it against
 * the invoice's terms, records it on the invoice (`escrow.status: "pending"`, so no second lock is
 * taken), then submits it; a node's refusal clears the record. The escrow watcher
 * (`src/merchants/watchEscrows.ts`) follows the escrow from there.
 */
export async function escrowCheckoutRoutes(
  app: FastifyInstance,
  options: EscrowCheckoutRoutesOptions,
): Promise<void> {
  const { database, now, chain, network } = options;

  app.post<{ Params: { invoice_id: string }; Body: SignedTransactionBody }>(
    '/v1/checkout/:invoice_id/escrow',
    {
      schema: {
        tags: ['invoices'],
        summary: "Pay an escrow-backed invoice with the buyer's signed escrow_lock (public)",
        headers: idempotencyHeaderSchema,
        params: checkoutParams,
        body: signedTransactionBodySchema,
        response: { 200: checkoutObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const invoiceId = request.params.invoice_id;
      const hex = request.body.transaction;
      const { tx, txId, from } = decodeClientTransaction(hex, network);
      const found = await loadCheckoutRow(database, invoiceId);
      const terms = invoiceEscrowOf(found.escrow);
      if (terms === null) {
        throw apiError(
          'INVOICE_STATE_INVALID',
          'this invoice is not escrow-backed: pay its payment_uri',
          'invoice_id',
        );
      }
      checkEscrowLock(tx, { ...found, escrow: terms }, network.addressPrefix, now());

      // 1. Record the lock on the invoice (row-locked) before the chain has it: one lock per invoice.
      const resume = await database.transaction(async (dbTx) => {
        const row = await loadCheckoutRow(dbTx, invoiceId, true);
        const escrow = invoiceEscrowOf(row.escrow)!;
        if (escrow.escrow_id === txId) return escrow.status === 'pending'; // a retry of this very lock
        if (escrow.escrow_id !== null) {
          throw apiError(
            'INVOICE_STATE_INVALID',
            `this invoice already has an escrow (${escrow.escrow_id})`,
            'invoice_id',
          );
        }
        const at = now();
        if (row.status !== 'new' || new Date(row.expires_at).getTime() <= at.getTime()) {
          throw apiError(
            'INVOICE_STATE_INVALID',
            `this invoice is ${row.status === 'new' ? 'past expires_at' : row.status}: it takes no lock`,
            'invoice_id',
          );
        }
        await dbTx.query(`UPDATE invoices SET escrow = escrow || $2::jsonb, updated_at = $3 WHERE id = $1`, [
          invoiceId,
          JSON.stringify({ escrow_id: txId, buyer: from, shard: tx.shard, status: 'pending' }),
          at.toISOString(),
        ]);
        return true;
      });
      // 2. Submit (again, for a retry still pending). A definite refusal frees the invoice for another
      // lock; no node answering leaves it pending for the retry with the same bytes.
      if (resume) {
        try {
          await submitClientTransaction(chain, tx.shard, hex);
        } catch (error) {
          if (isShardpayError(error) && error.meta.rpcCode === nodeRefusalRpcCode) {
            await database.query(
              `UPDATE invoices
                  SET escrow = escrow || '{"escrow_id": null, "buyer": null, "shard": null, "status": null}'::jsonb
                WHERE id = $1 AND escrow->>'escrow_id' = $2 AND escrow->>'status' = 'pending'`,
              [invoiceId, txId],
            );
          }
          throw error;
        }
      }
      return checkoutToJson(await loadCheckoutRow(database, invoiceId), now());
    },
  );
}
