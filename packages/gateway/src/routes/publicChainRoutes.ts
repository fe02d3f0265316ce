import { isShardpayError } from '@shardpay/crypto';
import { type NetworkConfig, networkConfigToJson } from '@shardpay/protocol';
import type { FastifyInstance } from 'fastify';
import type { ChainClient } from '../chain/createChainClient.ts';
import { readAccount } from '../chain/readAccount.ts';
import type { GatewayContext } from '../GatewayContext.ts';
import { apiError } from '../http/apiErrors.ts';
import { errorResponseSchema } from '../schemas/commonSchemas.ts';
import {
  accountObjectSchema,
  accountParamsSchema,
  networkObjectSchema,
  transactionObjectSchema,
  transactionParamsSchema,
} from '../schemas/publicChainSchemas.ts';

/** What the public chain routes need beyond the context: the chain and its genesis. */
export interface PublicChainRoutesOptions extends GatewayContext {
  chain: ChainClient;
  network: NetworkConfig;
}

/** A node's `shardpay_getTransactionStatus` answer, as far as the gateway reads it. */
interface NodeTransactionStatus {
  status?: unknown;
  stages?: unknown;
  targetShard?: unknown;
}

function shardIds(network: NetworkConfig): number[] {
  return Array.from({ length: network.shardCount }, (_, shard) => shard);
}

/** The latest height a node of `shard` reports, or null when none answers. */
async function shardHeight(chain: ChainClient, shard: number): Promise<string | null> {
  try {
    const info = await chain.call<{ height?: unknown }>(shard, 'shardpay_networkInfo');
    return typeof info.height === 'string' ? info.height : null;
  } catch {
    return null;
  }
}

function nodesOf(chain: ChainClient, shard: number) {
  try {
    return chain.nodeStates(shard);
  } catch {
    return []; // a shard of genesis the gateway has no node for
  }
}

function stagesToJson(stages: unknown) {
  if (!Array.isArray(stages)) return [];
  return stages.map((stage: Record<string, unknown>) => ({
    stage: String(stage.stage),
    shard: Number(stage.shard),
    height: typeof stage.height === 'string' ? stage.height : null,
  }));
}

/**
 * The id of a cross-shard transaction's credit receipt, as the target shard reported it (its
 * `credited` or `refused` stage); null for an intra-shard one, or while the credit is in flight.
 */
function creditReceiptIdOf(stages: unknown): string | null {
  if (!Array.isArray(stages)) return null;
  for (const stage of stages as Array<Record<string, unknown>>) {
    if ((stage.stage === 'credited' || stage.stage === 'refused') && typeof stage.receiptId === 'string') {
      return stage.receiptId;
    }
  }
  return null;
}

/**
 * GET /v1/network, GET /v1/accounts/:address, GET /v1/transactions/:tx_id: what anyone may read
 * of the chain, without an account (a block explorer's view, and what a wallet needs to sign).
 */
export async function publicChainRoutes(
  app: FastifyInstance,
  options: PublicChainRoutesOptions,
): Promise<void> {
  const { chain, network, database } = options;
  const networkConfigJson = networkConfigToJson(network);

  app.get(
    '/v1/network',
    {
      schema: {
        tags: ['chain'],
        summary: 'The network: chain id, address prefix, each shard’s height and nodes, and the genesis',
        response: { 200: networkObjectSchema, default: errorResponseSchema },
      },
    },
    async () => {
      const shards = await Promise.all(
        shardIds(network).map(async (id) => {
          const nodes = nodesOf(chain, id);
          const height = nodes.length === 0 ? null : await shardHeight(chain, id);
          return {
            id,
            height,
            validators:
              network.committees.find((committee) => committee.shard === id)?.validators.length ?? 0,
            // Read after the height call, so a node that just failed is counted down.
            nodes_up: nodesOf(chain, id).filter((node) => node.healthy).length,
            nodes: nodes.length,
          };
        }),
      );
      return {
        object: 'network',
        chain_id: network.chainId,
        address_prefix: network.addressPrefix,
        shards,
        network_config: networkConfigJson,
      };
    },
  );

  app.get<{ Params: { address: string } }>(
    '/v1/accounts/:address',
    {
      schema: {
        tags: ['chain'],
        summary: "An account's balance and next nonce, read from a node of its home shard",
        params: accountParamsSchema,
        response: { 200: accountObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const account = await readAccount(chain, network, request.params.address);
      return {
        object: 'account',
        address: account.address,
        shard: account.shard,
        balance: account.balance,
        currency: 'usd',
        nonce: account.nonce,
        pending_nonce: account.pendingNonce,
        height: account.height,
      };
    },
  );

  app.get<{ Params: { tx_id: string } }>(
    '/v1/transactions/:tx_id',
    {
      schema: {
        tags: ['chain'],
        summary: "A transaction's status and stages, from a node of the shard that executed it",
        params: transactionParamsSchema,
        response: { 200: transactionObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const txId = request.params.tx_id.toLowerCase();
      const indexed = await database.query<{ shard: number }>(
        'SELECT shard FROM chain_transactions WHERE tx_id = $1 LIMIT 1',
        [txId],
      );
      const seenOn = indexed.rows[0] === undefined ? undefined : Number(indexed.rows[0].shard);
      // The indexer's shard first; otherwise (not indexed yet, or pending) every shard in turn.
      const order = [
        ...(seenOn === undefined ? [] : [seenOn]),
        ...shardIds(network).filter((s) => s !== seenOn),
      ];
      let unavailable = false;
      for (const shard of order) {
        let answer: NodeTransactionStatus;
        try {
          answer = await chain.call<NodeTransactionStatus>(shard, 'shardpay_getTransactionStatus', { txId });
        } catch (error) {
          if (
            !isShardpayError(error, 'CHAIN_UNAVAILABLE') &&
            !isShardpayError(error, 'CHAIN_SHARD_UNKNOWN')
          ) {
            throw error;
          }
          unavailable = true;
          continue;
        }
        if (typeof answer.status !== 'string' || answer.status === 'unknown') continue;
        return {
          object: 'transaction',
          tx_id: txId,
          status: answer.status,
          shard,
          target_shard: typeof answer.targetShard === 'number' ? answer.targetShard : null,
          receipt_id: creditReceiptIdOf(answer.stages),
          stages: stagesToJson(answer.stages),
        };
      }
      // Not found where we could ask, but a shard did not answer: it may be there.
      if (unavailable) {
        throw apiError(
          'CHAIN_UNAVAILABLE',
          'a shard did not answer: the transaction may be there; retry shortly',
        );
      }
      throw apiError('RESOURCE_MISSING', `no transaction ${txId} on any shard`, 'tx_id');
    },
  );
}
