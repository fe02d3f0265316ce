import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createNodeMetrics } from '../src/metrics/createNodeMetrics.ts';
import { createNodeRpcServer } from '../src/rpc/createNodeRpcServer.ts';
import { createTestNetwork, createTestNode } from './rpcTestNode.ts';

/** The value of one sample line `name{labels} value` of a Prometheus text page. */
function sample(page: string, name: string): number | undefined {
  const line = page.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('metrics and health on the RPC port', () => {
  const network = createTestNetwork().config;
  const node = createTestNode(network, 1, 2);
  const server = createNodeRpcServer(node, { host: '127.0.0.1', port: 0 });
  let url = '';
  before(async () => {
    await server.start();
    url = `http://127.0.0.1:${server.port()}`;
  });
  after(() => server.stop());

  it('serves GET /health', async () => {
    const response = await fetch(`${url}/health`);
    assert.equal(response.status, 200);
    assert.equal((await response.text()).trim(), 'ok');
  });

  it('exposes the node stats in Prometheus text, labelled with chain, shard and validator', async () => {
    node.commitBlock();
    node.commitBlock();
    Object.assign(node.statsValue, {
      round: 2,
      lastBlockIntervalMs: 1500,
      mempoolSize: 7,
      peers: 5,
      signatureChecks: 40,
      receiptsRelayed: 3,
    });
    const response = await fetch(`${url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    const page = await response.text();
    assert.match(page, /shardpay_height\{chain_id="shardpay-test",shard="1",validator="2"\} 2/);
    assert.equal(sample(page, 'shardpay_round'), 2);
    assert.equal(sample(page, 'shardpay_block_interval_seconds'), 1.5);
    assert.equal(sample(page, 'shardpay_blocks_committed_total'), 2);
    assert.equal(sample(page, 'shardpay_transactions_committed_total'), 0);
    assert.equal(sample(page, 'shardpay_mempool_transactions'), 7);
    assert.equal(sample(page, 'shardpay_peers'), 5);
    assert.equal(sample(page, 'shardpay_signature_checks_total'), 40);
    assert.equal(sample(page, 'shardpay_receipts_relayed_total'), 3);
    assert.match(page, /# TYPE shardpay_signature_checks_total counter/);
    assert.match(page, /# TYPE shardpay_height gauge/);
  });

  it('advances counters by what the totals grew between scrapes', async () => {
    const metrics = createNodeMetrics(node);
    node.statsValue.signatureChecks = 100;
    const first = (await metrics.render()).body;
    assert.equal(sample(first, 'shardpay_signature_checks_total'), 100);
    node.statsValue.signatureChecks = 130;
    node.commitBlock();
    const second = (await metrics.render()).body;
    assert.equal(sample(second, 'shardpay_signature_checks_total'), 130);
    assert.equal(sample(second, 'shardpay_height'), Number(node.latestHeight()));
    // Two nodes in one process keep apart: each has its own registry.
    const other = createNodeMetrics(createTestNode(network, 0));
    assert.equal(sample((await other.render()).body, 'shardpay_signature_checks_total'), 0);
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    assert.equal((await fetch(`${url}/nope`)).status, 404);
    assert.equal((await fetch(`${url}/metrics`, { method: 'PUT' })).status, 405);
  });
});
