import type { NetworkConfig } from '@shardpay/protocol';
import type { FastifyInstance } from 'fastify';
import type { ChainClient } from '../chain/createChainClient.ts';
import { decodeClientTransaction } from '../chain/decodeClientTransaction.ts';
import { submitClientTransaction } from '../chain/submitClientTransaction.ts';
import type { GatewayContext } from '../GatewayContext.ts';
import { errorResponseSchema, idempotencyHeaderSchema } from '../schemas/commonSchemas.ts';
import { type SignedTransactionBody, signedTransactionBodySchema } from '../schemas/invoiceSchemas.ts';
import { relayedTransactionSchema } from '../schemas/transactionRelaySchemas.ts';

/** What the relay needs beyond the context: the chain and its genesis. */
export interface TransactionRelayRoutesOptions extends GatewayContext {
  chain: ChainClient;
  network: NetworkConfig;
}

/**
 * `POST /v1/transactions` (public): relays any client-signed transaction to a node of its shard, for
 * the operations `POST /v1/payments` refuses (escrow, time locks, multisig, issuer controls). The
 * gateway checks only what needs no state (bytes, signature, chain, home shard) and stores nothing:
 * the chain is the record (follow it with `GET /v1/transactions/:tx_id`).
 */
export async function transactionRelayRoutes(
  app: FastifyInstance,
  options: TransactionRelayRoutesOptions,
): Promise<void> {
  const { chain, network } = options;

  app.post<{ Body: SignedTransactionBody }>(
    '/v1/transactions',
    {
      schema: {
        tags: ['chain'],
        summary: 'Relay a client-signed transaction of any operation to a node of its shard (public)',
        headers: idempotencyHeaderSchema,
        body: signedTransactionBodySchema,
        response: { 201: relayedTransactionSchema, default: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const { tx, txId } = decodeClientTransaction(request.body.transaction, network);
      await submitClientTransaction(chain, tx.shard, request.body.transaction);
      return reply.code(201).send({ object: 'transaction', tx_id: txId, shard: tx.shard, status: 'pending' });
    },
  );
}
