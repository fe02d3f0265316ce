import type { NetworkConfig } from '@shardpay/protocol';
import type { FastifyInstance } from 'fastify';
import { type BlockSummary, createBlockSummaryCache } from '../chain/blockSummaries.ts';
import type { ChainClient } from '../chain/createChainClient.ts';
import { readBlockDetail } from '../chain/readBlockDetail.ts';
import { MAX_HEIGHT, readLatestHeight } from '../chain/readChainObjects.ts';
import { readNetworkStats } from '../chain/readNetworkStats.ts';
import { readAccountProof, readReceiptProof } from '../chain/readProofs.ts';
import type { GatewayContext } from '../GatewayContext.ts';
import { apiError } from '../http/apiErrors.ts';
import { errorResponseSchema } from '../schemas/commonSchemas.ts';
import {
  accountProofObjectSchema,
  accountProofParamsSchema,
  blockListQuerySchema,
  blockListSchema,
  blockObjectSchema,
  blockParamsSchema,
  networkStatsObjectSchema,
  receiptParamsSchema,
  receiptProofObjectSchema,
  shardParamsSchema,
} from '../schemas/explorerSchemas.ts';

/** What the explorer routes need beyond the context: the chain and its genesis. */
export interface ExplorerRoutesOptions extends GatewayContext {
  chain: ChainClient;
  network: NetworkConfig;
}

/** A shard id of the genesis from its (schema-checked) decimal text; another is `404 resource_missing`. */
function shardOf(network: NetworkConfig, text: string): number {
  const shard = Number(text);
  if (!Number.isSafeInteger(shard) || shard >= network.shardCount) {
    throw apiError('RESOURCE_MISSING', `no shard ${text}: the network has ${network.shardCount}`, 'shard');
  }
  return shard;
}

function summaryToJson(summary: BlockSummary) {
  return {
    object: 'block' as const,
    shard: summary.shard,
    height: summary.height.toString(),
    hash: summary.hash,
    time: new Date(Number(summary.timestampMs)).toISOString(),
    proposer: summary.proposerIndex,
    tx_count: summary.txCount,
    receipt_count: summary.creditReceiptCount,
  };
}

/**
 * The explorer and the network view (docs/gateway.md "Public chain data"): block lists and blocks,
 * an account's balance proof, a receipt's inclusion proof, and live per-shard stats. Headers,
 * certificates and proofs come from the nodes (a light client checks them against the genesis
 * committees); lists and counts from the indexer. Every answer is chain data: no auth.
 */
export async function explorerRoutes(app: FastifyInstance, options: ExplorerRoutesOptions): Promise<void> {
  const { chain, network, database, now } = options;
  const summaries = createBlockSummaryCache(chain, network, database);

  app.get<{ Params: { shard: string }; Querystring: { limit?: string; before?: string } }>(
    '/v1/shards/:shard/blocks',
    {
      schema: {
        tags: ['chain'],
        summary: "A shard's blocks, newest first",
        params: shardParamsSchema,
        querystring: blockListQuerySchema,
        response: { 200: blockListSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const shard = shardOf(network, request.params.shard);
      const limit = Number(request.query.limit ?? '20');
      const latest = await readLatestHeight(chain, shard);
      const before = request.query.before === undefined ? undefined : BigInt(request.query.before);
      const top = before === undefined || before > latest ? latest : before - 1n;
      const heights: bigint[] = [];
      for (let height = top; height >= 1n && heights.length < limit; height -= 1n) heights.push(height);
      const page = await summaries.summaries(shard, heights);
      const lowest = heights[heights.length - 1];
      return {
        object: 'list',
        data: page.map(summaryToJson),
        has_more: lowest !== undefined && lowest > 1n,
      };
    },
  );

  app.get<{ Params: { shard: string; height: string } }>(
    '/v1/shards/:shard/blocks/:height',
    {
      schema: {
        tags: ['chain'],
        summary: 'A block: header fields, transactions, outgoing receipts, header and commit certificate',
        params: blockParamsSchema,
        response: { 200: blockObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const shard = shardOf(network, request.params.shard);
      const text = request.params.height;
      const height = text === 'latest' ? 'latest' : BigInt(text);
      if (height !== 'latest' && (height < 1n || height > MAX_HEIGHT)) {
        throw apiError('RESOURCE_MISSING', `shard ${shard} has no block ${text}`, 'height');
      }
      return readBlockDetail(chain, network, shard, height);
    },
  );

  app.get<{ Params: { address: string } }>(
    '/v1/accounts/:address/proof',
    {
      schema: {
        tags: ['chain'],
        summary: "An account's balance with its proof, the header and the header's commit certificate",
        params: accountProofParamsSchema,
        response: { 200: accountProofObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const reading = await readAccountProof(chain, network, request.params.address);
      return { object: 'account_proof', ...reading };
    },
  );

  app.get<{ Params: { shard: string; receipt_id: string } }>(
    '/v1/receipts/:shard/:receipt_id',
    {
      schema: {
        tags: ['chain'],
        summary: 'A cross-shard receipt with its inclusion proof, the source header and its certificate',
        params: receiptParamsSchema,
        response: { 200: receiptProofObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const shard = shardOf(network, request.params.shard);
      const receiptId = request.params.receipt_id.toLowerCase();
      const reading = await readReceiptProof(chain, shard, receiptId);
      return {
        object: 'receipt_proof',
        shard,
        receipt_id: reading.receiptId,
        height: reading.height,
        receipt: reading.receipt,
        proof: reading.proof,
        header: reading.header,
        certificate: reading.certificate,
      };
    },
  );

  app.get(
    '/v1/network/stats',
    {
      schema: {
        tags: ['chain'],
        summary:
          'Per shard: height, finalized transactions per second, the latest blocks and their intervals',
        response: { 200: networkStatsObjectSchema, default: errorResponseSchema },
      },
    },
    async () => readNetworkStats(chain, network, summaries, now()),
  );
}
