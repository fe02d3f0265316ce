import { createGatewayTransport, type GatewayTransportOptions } from '../gateway/createGatewayTransport.ts';
import type { GatewayNetwork, GatewayReserves } from '../gateway/gatewayTypes.ts';
import type {
  GatewayAccountProof,
  GatewayBlock,
  GatewayBlockList,
  GatewayExplorerTransaction,
  GatewayNetworkStats,
  GatewayReceiptProof,
} from './explorerTypes.ts';

export type ExplorerClientOptions = Pick<
  GatewayTransportOptions,
  'url' | 'fetch' | 'requestTimeoutMs' | 'retries' | 'retryDelayMs'
>;

/**
 * The public, unauthenticated reads a block explorer or light client makes: blocks, transactions,
 * proofs and statistics. Separate from the wallet's GatewayClient because none of it needs a session.
 */
export interface ExplorerClient {
  readonly url: string;
  network(): Promise<GatewayNetwork>;
  networkStats(): Promise<GatewayNetworkStats>;
  reserves(): Promise<GatewayReserves>;
  /** Newest first; `before` pages back from a height. */
  blocks(shard: number, parameters?: { limit?: number; before?: string }): Promise<GatewayBlockList>;
  /** A height as a decimal string, or 'latest'. */
  block(shard: number, height: string): Promise<GatewayBlock>;
  transaction(txId: string): Promise<GatewayExplorerTransaction>;
  accountProof(address: string): Promise<GatewayAccountProof>;
  /** `shard` is the source shard, the one that emitted the receipt. */
  receiptProof(shard: number, receiptId: string): Promise<GatewayReceiptProof>;
}

const segment = (value: string | number) => encodeURIComponent(String(value));

/** A client of the gateway's public explorer routes; errors are GatewayError like the wallet client's. */
export function createExplorerClient(options: ExplorerClientOptions): ExplorerClient {
  const { request, url } = createGatewayTransport(options);
  const get = <Result>(path: string, query?: Record<string, string | number | undefined>) =>
    request<Result>({ method: 'GET', path, ...(query === undefined ? {} : { query }) });
  return {
    url,
    network: () => get('/v1/network'),
    networkStats: () => get('/v1/network/stats'),
    reserves: () => get('/v1/reserves'),
    blocks: (shard, parameters = {}) =>
      get(`/v1/shards/${segment(shard)}/blocks`, { limit: parameters.limit, before: parameters.before }),
    block: (shard, height) => get(`/v1/shards/${segment(shard)}/blocks/${segment(height)}`),
    transaction: (txId) => get(`/v1/transactions/${segment(txId)}`),
    accountProof: (address) => get(`/v1/accounts/${segment(address)}/proof`),
    receiptProof: (shard, receiptId) => get(`/v1/receipts/${segment(shard)}/${segment(receiptId)}`),
  };
}
