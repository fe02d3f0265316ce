import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex } from '@shardpay/crypto';
import { encodeTransaction, networkConfigToJson, transactionId } from '@shardpay/protocol';
import {
  buildTransfer,
  createAccountFromPrivateKey,
  createNodeClient,
  type FetchFunction,
} from '@shardpay/sdk';
import { createTestNetworkConfig, testKeyOnShard } from './helpers/testNetwork.ts';

const network = createTestNetworkConfig();
const onShard0 = createAccountFromPrivateKey(testKeyOnShard(network, 0, 'client a'), network);
const onShard1 = createAccountFromPrivateKey(testKeyOnShard(network, 1, 'client b'), network);
const txIdHex = 'ab'.repeat(32);

interface Call {
  url: string;
  method: string;
  params: Record<string, unknown>;
}

type Handler = (call: Call) => unknown | Promise<unknown>;

/** A fake fetch: `handler` returns a JSON-RPC reply body, or throws to act as an unreachable node. */
function fakeFetch(handler: Handler): { fetch: FetchFunction; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: FetchFunction = async (url, init) => {
    const request = JSON.parse(String(init.body)) as {
      id: number;
      method: string;
      params: Record<string, unknown>;
    };
    const call = { url, method: request.method, params: request.params };
    calls.push(call);
    const reply = await handler(call);
    return new Response(
      typeof reply === 'string'
        ? reply
        : JSON.stringify({ jsonrpc: '2.0', id: request.id, ...(reply as object) }),
      {
        status: 200,
        headers: { 'content-type': 'application/json' },
      },
    );
  };
  return { fetch, calls };
}

function accountResult(address: string, shard: number) {
  return {
    result: {
      address,
      shard,
      balance: '12.500000',
      nonce: '4',
      pendingNonce: '6',
      height: '77',
      stateRoot: '00'.repeat(32),
    },
  };
}

const urls = [
  ['http://s0-a', 'http://s0-b'],
  ['http://s1-a', 'http://s1-b'],
];

describe('node client', () => {
  it('routes account reads to a node of the address home shard and types the result', async () => {
    const { fetch, calls } = fakeFetch((call) =>
      accountResult(call.params.address as string, call.url.startsWith('http://s1') ? 1 : 0),
    );
    const client = createNodeClient({ urls, network, fetch });
    const a = await client.getAccount(onShard1.address);
    assert.equal(calls.at(-1)!.url.startsWith('http://s1'), true);
    assert.deepEqual(a, {
      address: onShard1.address,
      shard: 1,
      balance: 12_500_000n,
      nonce: 4n,
      pendingNonce: 6n,
      height: 77n,
      stateRoot: '00'.repeat(32),
    });
    await client.getAccount(onShard0.address);
    assert.equal(calls.at(-1)!.url.startsWith('http://s0'), true);
    assert.equal(calls.at(-1)!.method, 'shardpay_getAccount');
    await assert.rejects(client.getAccount('spd1nope'), { code: 'ADDRESS_INVALID' });
  });

  it('submits {tx: hex} to the sender shard and checks the returned id', async () => {
    const tx = buildTransfer({
      from: onShard1,
      to: onShard0.address,
      amount: '2',
      nonce: 0n,
      expiryHeight: 10n,
    });
    const expected = bytesToHex(transactionId(tx));
    const { fetch, calls } = fakeFetch(() => ({ result: { txId: expected } }));
    const client = createNodeClient({ urls, network, fetch });
    assert.deepEqual(await client.submitTransaction(tx), { txId: expected });
    assert.deepEqual(calls[0]!.params, { tx: bytesToHex(encodeTransaction(tx)) });
    assert.equal(calls[0]!.method, 'shardpay_submitTransaction');
    assert.ok(calls[0]!.url.startsWith('http://s1'));
    const lying = createNodeClient({
      urls,
      network,
      fetch: fakeFetch(() => ({ result: { txId: txIdHex } })).fetch,
    });
    await assert.rejects(lying.submitTransaction(tx), { code: 'RPC_ERROR' });
  });

  it('fails over to the next node of the shard, and reports NODE_UNREACHABLE when none answers', async () => {
    const { fetch, calls } = fakeFetch((call) => {
      if (call.url === 'http://s0-a') throw new TypeError('fetch failed');
      if (call.url === 'http://s0-b') return 'not json <html>';
      return accountResult(call.params.address as string, 1);
    });
    const client = createNodeClient({
      urls: [
        ['http://s0-a', 'http://s0-b'],
        ['http://s1-a', 'http://s1-b'],
      ],
      network,
      fetch,
    });
    await assert.rejects(
      client.getAccount(onShard0.address),
      (error: { code: string; meta: { shard: number } }) => {
        assert.equal(error.code, 'NODE_UNREACHABLE');
        assert.equal(error.meta.shard, 0);
        return true;
      },
    );
    assert.deepEqual(calls.map((call) => call.url).sort(), ['http://s0-a', 'http://s0-b']);
    const flaky = fakeFetch((call) => {
      if (call.url === 'http://s1-a') throw new TypeError('fetch failed');
      return accountResult(call.params.address as string, 1);
    });
    const failover = createNodeClient({ urls, network, fetch: flaky.fetch });
    for (let i = 0; i < 3; i++)
      assert.equal((await failover.getAccount(onShard1.address)).balance, 12_500_000n);
    assert.ok(flaky.calls.some((call) => call.url === 'http://s1-b'));
  });

  it("maps JSON-RPC errors to ShardpayErrors with the node's code and meta", async () => {
    const { fetch } = fakeFetch((call) =>
      call.method === 'shardpay_getAccount'
        ? {
            error: {
              code: -32000,
              message: 'nonce 3 is not 4',
              data: { code: 'BAD_NONCE', meta: { expected: '4' } },
            },
          }
        : { error: { code: -32603, message: 'internal error' } },
    );
    const client = createNodeClient({ urls, network, fetch });
    await assert.rejects(
      client.getAccount(onShard0.address),
      (error: { code: string; meta: Record<string, unknown> }) => {
        assert.equal(error.code, 'BAD_NONCE');
        assert.equal(error.meta.expected, '4');
        assert.equal(error.meta.rpcCode, -32000);
        return true;
      },
    );
    await assert.rejects(client.networkInfo(0), { code: 'RPC_ERROR' });
  });

  it('refuses malformed results with RPC_ERROR', async () => {
    const { fetch } = fakeFetch(() => ({ result: { address: onShard0.address, shard: 0, balance: 12.5 } }));
    const client = createNodeClient({ urls, network, fetch });
    await assert.rejects(client.getAccount(onShard0.address), { code: 'RPC_ERROR' });
  });

  it('loads the network config from a node when none is given', async () => {
    const { fetch, calls } = fakeFetch((call) =>
      call.method === 'shardpay_getNetworkConfig'
        ? { result: networkConfigToJson(network) }
        : accountResult(call.params.address as string, 1),
    );
    const client = createNodeClient({ urls, fetch });
    assert.equal((await client.network()).chainId, network.chainId);
    await client.getAccount(onShard1.address);
    await client.getAccount(onShard1.address);
    assert.equal(calls.filter((call) => call.method === 'shardpay_getNetworkConfig').length, 1);
  });

  it('waits for a status with polling until it is reached', async () => {
    const sequence = ['unknown', 'pending', 'final', 'credited'];
    let polls = 0;
    const { fetch } = fakeFetch(() => {
      const status = sequence[Math.min(polls++, sequence.length - 1)]!;
      const stages = [
        ...(status === 'pending' ? [{ stage: 'pending', shard: 0 }] : []),
        ...(status === 'final' || status === 'credited'
          ? [{ stage: 'final', shard: 0, height: '5', index: 0 }]
          : []),
        ...(status === 'credited'
          ? [{ stage: 'credited', shard: 1, height: '9', receiptId: 'cd'.repeat(32) }]
          : []),
      ];
      return { result: { txId: txIdHex, status, stages, targetShard: 1 } };
    });
    const client = createNodeClient({ urls, network, fetch });
    const status = await client.waitForStatus(txIdHex, 'credited', { shard: 0, pollIntervalMs: 1 });
    assert.equal(status.status, 'credited');
    assert.equal(polls, 4);
    assert.deepEqual(status.stages[1], {
      stage: 'credited',
      shard: 1,
      height: 9n,
      receiptId: 'cd'.repeat(32),
    });
    polls = 0;
    assert.equal(
      (await client.waitForStatus(txIdHex, 'final', { shard: 0, pollIntervalMs: 1 })).status,
      'final',
    );
    assert.equal(polls, 3);
  });

  it('gives up waiting at the deadline, and refuses bad ids', async () => {
    const { fetch } = fakeFetch(() => ({
      result: { txId: txIdHex, status: 'pending', stages: [{ stage: 'pending', shard: 0 }] },
    }));
    const client = createNodeClient({ urls, network, fetch });
    const started = Date.now();
    await assert.rejects(client.waitForStatus(txIdHex, 'final', { timeoutMs: 150, pollIntervalMs: 10 }), {
      code: 'NODE_UNREACHABLE',
      meta: { reason: 'timeout', txId: txIdHex, wanted: 'final', status: 'pending' },
    });
    assert.ok(Date.now() - started >= 150);
    const controller = new AbortController();
    const waiting = client.waitForStatus(txIdHex, 'final', {
      pollIntervalMs: 60_000,
      signal: controller.signal,
    });
    controller.abort();
    await assert.rejects(waiting, {
      code: 'STOPPED',
      meta: { txId: txIdHex, wanted: 'final', status: 'pending' },
    });
    await assert.rejects(client.getTransactionStatus('XYZ'), { code: 'INVALID_PARAMS' });
    assert.throws(() => createNodeClient({ urls: [], network }), { code: 'INVALID_PARAMS' });
    assert.throws(() => createNodeClient({ urls: [['ftp://x']], network }), { code: 'INVALID_PARAMS' });
    await assert.rejects(client.networkInfo(5), { code: 'SHARD_UNKNOWN' });
  });
});
