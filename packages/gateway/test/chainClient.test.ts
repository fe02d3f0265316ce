import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { isShardpayError } from '@shardpay/crypto';
import { createChainClient } from '../src/chain/createChainClient.ts';

type Behaviour = 'ok' | 'fail' | 'refuse' | 'hold';

/** A stand-in validator RPC: answers `shardpay_networkInfo` with its own name, as told. */
interface FakeNode {
  url: string;
  name: string;
  calls: number;
  behaviour: Behaviour;
  healthy: boolean;
  /** Resolves every held call. */
  releaseHeld(): void;
  /** Resolves when this many calls are being held. */
  heldCount(): number;
  close(): Promise<void>;
}

const servers: Server[] = [];
after(async () => {
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

async function startFakeNode(name: string): Promise<FakeNode> {
  let held: Array<() => void> = [];
  const node: FakeNode = {
    url: '',
    name,
    calls: 0,
    behaviour: 'ok',
    healthy: true,
    releaseHeld() {
      const waiting = held;
      held = [];
      for (const release of waiting) release();
    },
    heldCount: () => held.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = createServer(async (request, response) => {
    if (request.method === 'GET' && request.url === '/health') {
      response.writeHead(node.healthy ? 200 : 503).end(node.healthy ? 'ok' : 'down');
      return;
    }
    let text = '';
    for await (const chunk of request) text += chunk;
    const { id } = JSON.parse(text) as { id: number };
    node.calls += 1;
    if (node.behaviour === 'hold') await new Promise<void>((resolve) => held.push(resolve));
    if (node.behaviour === 'fail') {
      response.writeHead(500).end('boom');
      return;
    }
    const body =
      node.behaviour === 'refuse'
        ? {
            jsonrpc: '2.0',
            id,
            error: { code: -32000, message: 'nonce 3 expected', data: { code: 'BAD_NONCE' } },
          }
        : { jsonrpc: '2.0', id, result: { node: name } };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  node.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return node;
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const whoAnswers = async (client: ReturnType<typeof createChainClient>, shard = 0) =>
  (await client.call<{ node: string }>(shard, 'shardpay_networkInfo')).node;

describe('createChainClient', () => {
  it('spreads sequential calls round robin over equally idle nodes', async () => {
    const nodes = await Promise.all(['a', 'b', 'c'].map(startFakeNode));
    const client = createChainClient({ shards: { 0: nodes.map((node) => node.url) } });
    const answers: string[] = [];
    for (let i = 0; i < 6; i += 1) answers.push(await whoAnswers(client));
    assert.deepEqual(answers, ['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('sends new calls to the node with the fewest outstanding requests', async () => {
    const [slow, fast] = await Promise.all([startFakeNode('slow'), startFakeNode('fast')]);
    slow!.behaviour = 'hold';
    const client = createChainClient({ shards: { 0: [slow!.url, fast!.url] } });
    const held = whoAnswers(client); // goes to `slow` (first in order) and waits there
    await waitFor(() => slow!.heldCount() === 1, 'the held call');
    // Plain round robin would send one of these to `slow`; least-outstanding sends none.
    const during: string[] = [];
    for (let i = 0; i < 3; i += 1) during.push(await whoAnswers(client));
    assert.deepEqual(during, ['fast', 'fast', 'fast']);
    slow!.releaseHeld();
    assert.equal(await held, 'slow');
  });

  it('fails over from a failing node, avoids it, and takes it back after a passing health check', async () => {
    const [bad, good] = await Promise.all([startFakeNode('bad'), startFakeNode('good')]);
    bad!.behaviour = 'fail';
    const client = createChainClient({ shards: { 0: [bad!.url, good!.url] } });
    assert.equal(await whoAnswers(client), 'good');
    assert.equal(bad!.calls, 1);
    assert.equal(client.nodeStates(0)[0]!.healthy, false);
    for (let i = 0; i < 4; i += 1) assert.equal(await whoAnswers(client), 'good');
    assert.equal(bad!.calls, 1, 'an unhealthy node is not tried while a healthy one answers');
    bad!.behaviour = 'ok';
    bad!.healthy = false;
    await client.checkHealth();
    assert.equal(client.nodeStates(0)[0]!.healthy, false);
    bad!.healthy = true;
    await client.checkHealth();
    assert.equal(client.nodeStates(0)[0]!.healthy, true);
    const answers = new Set<string>();
    for (let i = 0; i < 4; i += 1) answers.add(await whoAnswers(client));
    assert.deepEqual([...answers].sort(), ['bad', 'good']);
  });

  it('fails over from a node that is down or too slow, and reports CHAIN_UNAVAILABLE when all are', async () => {
    const [down, slow, up] = await Promise.all([
      startFakeNode('down'),
      startFakeNode('slow'),
      startFakeNode('up'),
    ]);
    await down!.close();
    slow!.behaviour = 'hold';
    const client = createChainClient({
      shards: { 0: [down!.url, slow!.url, up!.url] },
      requestTimeoutMs: 200,
    });
    assert.equal(await whoAnswers(client), 'up');
    await up!.close();
    await assert.rejects(
      whoAnswers(client),
      (error) => isShardpayError(error, 'CHAIN_UNAVAILABLE') && error.meta.shard === 0,
    );
    slow!.releaseHeld();
  });

  it('throws a node refusal with its code at once, without trying another node', async () => {
    const [first, second] = await Promise.all([startFakeNode('first'), startFakeNode('second')]);
    first!.behaviour = 'refuse';
    second!.behaviour = 'refuse';
    const client = createChainClient({ shards: { 0: [first!.url, second!.url] } });
    await assert.rejects(client.call(0, 'shardpay_submitTransaction', { tx: '00' }), (error) =>
      isShardpayError(error, 'BAD_NONCE'),
    );
    assert.equal(first!.calls + second!.calls, 1);
    assert.equal(
      client.nodeStates(0).every((node) => node.healthy),
      true,
      'a refusal is not a node failure',
    );
  });

  it('keeps shards apart and refuses an unknown shard', async () => {
    const [zero, one] = await Promise.all([startFakeNode('zero'), startFakeNode('one')]);
    const client = createChainClient({ shards: { 0: [zero!.url], 1: [one!.url] } });
    assert.equal(await whoAnswers(client, 1), 'one');
    assert.equal(await whoAnswers(client, 0), 'zero');
    await assert.rejects(whoAnswers(client, 7), (error) => isShardpayError(error, 'CHAIN_SHARD_UNKNOWN'));
    assert.throws(
      () => createChainClient({ shards: { 0: [] } }),
      (error) => isShardpayError(error, 'CHAIN_CONFIG_INVALID'),
    );
  });
});
