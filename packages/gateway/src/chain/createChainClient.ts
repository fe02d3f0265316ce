import { ShardpayError } from '@shardpay/crypto';

/** Options of the chain client: the RPC URLs of each shard's nodes and the failure policy. */
export interface ChainClientOptions {
  /** Shard id → JSON-RPC base URLs of that shard's nodes (`http://127.0.0.1:8090`). */
  shards: Readonly<Record<number, readonly string[]>>;
  /** A call to one node that takes longer fails over to the next (default 5 s). */
  requestTimeoutMs?: number;
  /** How often `start()` probes every node's `GET /health` (default 2 s). */
  healthCheckIntervalMs?: number;
  fetch?: typeof fetch;
}

/** What the client knows of one node. */
export interface ChainNodeState {
  url: string;
  healthy: boolean;
  outstanding: number;
  consecutiveFailures: number;
}

/** A load-balanced JSON-RPC client over every shard's nodes. */
export interface ChainClient {
  /**
   * Calls `method` on the least busy healthy node of `shard`, failing over to the others on a
   * transport error, a timeout or a 5xx. A JSON-RPC error (the node refused) is thrown at once as a
   * ShardpayError with the node's code (`BAD_NONCE`…), without trying another node.
   */
  call<Result>(shard: number, method: string, params?: Record<string, unknown>): Promise<Result>;
  /** The nodes of `shard` as the client sees them now. */
  nodeStates(shard: number): ChainNodeState[];
  /** Probes every node's `/health` once; an answering node is healthy again. */
  checkHealth(): Promise<void>;
  /** Starts periodic health checks. */
  start(): void;
  stop(): void;
}

interface NodeEntry extends ChainNodeState {}

interface JsonRpcResponse {
  result?: unknown;
  error?: { code: number; message: string; data?: { code?: unknown; meta?: unknown } };
}

/** A failure of the node (not a refusal by it): the next node is tried. */
class NodeFailure extends Error {}

/**
 * A chain client that balances across each shard's nodes by least outstanding requests (round robin
 * among equals), marks a node unhealthy when it fails, fails over, and lets a passing health check
 * bring it back.
 *
 * @example const chain = createChainClient({ shards: { 0: ['http://127.0.0.1:8090', 'http://127.0.0.1:8091'] } });
 *          const account = await chain.call(0, 'shardpay_getAccount', { address });
 */
export function createChainClient(options: ChainClientOptions): ChainClient {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.requestTimeoutMs ?? 5000;
  const intervalMs = options.healthCheckIntervalMs ?? 2000;
  const shards = new Map<number, NodeEntry[]>();
  const rotation = new Map<number, number>();
  for (const [shardText, urls] of Object.entries(options.shards)) {
    const shard = Number(shardText);
    if (urls.length === 0) {
      throw new ShardpayError('CHAIN_CONFIG_INVALID', `shard ${shard} has no node URLs`, { meta: { shard } });
    }
    shards.set(
      shard,
      urls.map((url) => ({
        url: url.replace(/\/+$/, ''),
        healthy: true,
        outstanding: 0,
        consecutiveFailures: 0,
      })),
    );
    rotation.set(shard, 0);
  }
  let nextId = 1;
  let timer: ReturnType<typeof setInterval> | undefined;

  function nodesOf(shard: number): NodeEntry[] {
    const nodes = shards.get(shard);
    if (nodes === undefined) {
      throw new ShardpayError('CHAIN_SHARD_UNKNOWN', `no nodes are configured for shard ${shard}`, {
        meta: { shard },
      });
    }
    return nodes;
  }

  /** Healthy nodes first, then fewest outstanding, ties in round-robin order; unhealthy ones last. */
  function callOrder(shard: number): NodeEntry[] {
    const nodes = nodesOf(shard);
    const start = rotation.get(shard) ?? 0;
    rotation.set(shard, (start + 1) % nodes.length);
    const rotated = nodes.map((_, index) => nodes[(start + index) % nodes.length]!);
    return rotated
      .map((node, position) => ({ node, position }))
      .sort(
        (a, b) =>
          Number(b.node.healthy) - Number(a.node.healthy) ||
          a.node.outstanding - b.node.outstanding ||
          a.position - b.position,
      )
      .map((entry) => entry.node);
  }

  async function callNode(
    node: NodeEntry,
    method: string,
    params: Record<string, unknown>,
  ): Promise<unknown> {
    const id = nextId;
    nextId += 1;
    let response: Response;
    let body: JsonRpcResponse;
    try {
      response = await fetchImpl(`${node.url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.status >= 500) throw new NodeFailure(`HTTP ${response.status}`);
      body = (await response.json()) as JsonRpcResponse;
    } catch (error) {
      throw error instanceof NodeFailure
        ? error
        : new NodeFailure(error instanceof Error ? error.message : String(error));
    }
    if (body.error !== undefined) {
      const code = typeof body.error.data?.code === 'string' ? body.error.data.code : 'CHAIN_RPC_ERROR';
      throw new ShardpayError(code, body.error.message, {
        meta: { rpcCode: body.error.code, method, node: node.url, nodeMeta: body.error.data?.meta ?? null },
      });
    }
    if (!('result' in body)) throw new NodeFailure('not a JSON-RPC response');
    return body.result;
  }

  function markFailure(node: NodeEntry): void {
    node.consecutiveFailures += 1;
    node.healthy = false;
  }

  return {
    async call<Result>(shard: number, method: string, params: Record<string, unknown> = {}): Promise<Result> {
      const failures: string[] = [];
      for (const node of callOrder(shard)) {
        node.outstanding += 1;
        try {
          const result = await callNode(node, method, params);
          node.consecutiveFailures = 0;
          node.healthy = true;
          return result as Result;
        } catch (error) {
          if (!(error instanceof NodeFailure)) throw error;
          markFailure(node);
          failures.push(`${node.url}: ${error.message}`);
        } finally {
          node.outstanding -= 1;
        }
      }
      throw new ShardpayError('CHAIN_UNAVAILABLE', `no node of shard ${shard} answered ${method}`, {
        meta: { shard, method, failures },
      });
    },
    nodeStates(shard: number): ChainNodeState[] {
      return nodesOf(shard).map((node) => ({ ...node }));
    },
    async checkHealth(): Promise<void> {
      const probes = [...shards.values()].flat().map(async (node) => {
        try {
          const response = await fetchImpl(`${node.url}/health`, { signal: AbortSignal.timeout(timeoutMs) });
          await response.body?.cancel();
          if (response.status !== 200) throw new NodeFailure(`HTTP ${response.status}`);
          node.healthy = true;
          node.consecutiveFailures = 0;
        } catch {
          markFailure(node);
        }
      });
      await Promise.all(probes);
    },
    start(): void {
      if (timer !== undefined) return;
      timer = setInterval(() => void this.checkHealth(), intervalMs);
      timer.unref();
    },
    stop(): void {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
