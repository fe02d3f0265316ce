import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { NodeStats, ValidatorNode } from '../ValidatorNode.ts';

export interface NodeMetricsOptions {
  /** Also export the process metrics of prom-client (CPU, memory, event loop lag): for the node process. */
  processMetrics?: boolean;
}

export interface NodeMetrics {
  /** This node's own registry (one per node, so that several nodes in one process stay apart). */
  readonly registry: Registry;
  /** The Prometheus text exposition and its content type, read from the node's stats at call time. */
  render(): Promise<{ contentType: string; body: string }>;
}

type CounterStat = 'transactionsCommitted' | 'blocksCommitted' | 'signatureChecks' | 'receiptsRelayed';

/**
 * Prometheus metrics of one validator, labelled with its chain, shard and index. Gauges are read
 * from `node.stats()` at scrape time; counters advance by what the totals grew since the last scrape
 * (Prometheus computes the rates).
 */
export function createNodeMetrics(node: ValidatorNode, options: NodeMetricsOptions = {}): NodeMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({
    chain_id: node.network.chainId,
    shard: String(node.shard),
    validator: String(node.validatorIndex),
  });
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'shardpay_node_' });

  // One stats() read per scrape, shared by every metric's collect().
  let current: NodeStats | undefined;
  const stats = (): NodeStats => {
    current ??= node.stats();
    return current;
  };

  const gauge = (name: string, help: string, read: (s: NodeStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(stats()));
      },
    });
  gauge('shardpay_height', 'Latest committed height of this shard, as seen by this node.', (s) =>
    Number(s.height),
  );
  gauge('shardpay_round', 'Consensus round of the height being decided.', (s) => s.round);
  gauge(
    'shardpay_block_interval_seconds',
    'Seconds between the last two commits.',
    (s) => s.lastBlockIntervalMs / 1000,
  );
  gauge('shardpay_mempool_transactions', 'Transactions waiting in the mempool.', (s) => s.mempoolSize);
  gauge('shardpay_peers', 'Connected libp2p peers.', (s) => s.peers);

  const counted: Array<[CounterStat, string, string]> = [
    [
      'transactionsCommitted',
      'shardpay_transactions_committed_total',
      'Transactions in blocks this node committed.',
    ],
    ['blocksCommitted', 'shardpay_blocks_committed_total', 'Blocks this node committed.'],
    ['signatureChecks', 'shardpay_signature_checks_total', 'Signatures this node verified.'],
    ['receiptsRelayed', 'shardpay_receipts_relayed_total', 'Cross-shard receipts this node relayed.'],
  ];
  for (const [stat, name, help] of counted) {
    let reported = 0;
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const total = stats()[stat];
        if (total > reported) {
          this.inc(total - reported);
          reported = total;
        }
      },
    });
  }

  return {
    registry,
    async render() {
      current = undefined;
      try {
        return { contentType: registry.contentType, body: await registry.metrics() };
      } finally {
        current = undefined;
      }
    },
  };
}
