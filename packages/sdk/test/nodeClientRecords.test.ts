import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isShardpayError } from '@shardpay/crypto';
import { createAccountFromPrivateKey, createNodeClient, type FetchFunction } from '@shardpay/sdk';
import { createTestNetworkConfig, testKeyOnShard } from './helpers/testNetwork.ts';

const network = createTestNetworkConfig();
const onShard1 = createAccountFromPrivateKey(testKeyOnShard(network, 1, 'records b'), network);
const urls = [['http://s0'], ['http://s1']];
const escrowId = 'cd'.repeat(32);

interface Call {
  url: string;
  method: string;
  params: Record<string, unknown>;
}

/** A fake fetch answering `handler`'s `{result}` or `{error}` as a JSON-RPC reply. */
function fakeFetch(handler: (call: Call) => unknown): { fetch: FetchFunction; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: FetchFunction = async (url, init) => {
    const request = JSON.parse(String(init.body)) as {
      id: number;
      method: string;
      params: Record<string, unknown>;
    };
    const call = { url, method: request.method, params: request.params };
    calls.push(call);
    const reply = handler(call) as object;
    return new Response(JSON.stringify({ jsonrpc: '2.0', id: request.id, ...reply }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch, calls };
}

const escrowJson = {
  escrowId,
  shard: 1,
  buyer: onShard1.address,
  merchant: onShard1.address,
  amount: '7.250000',
  orderId: 'inv_9',
  deadlineMs: '1800000000000',
  arbiter: null,
  oracle: onShard1.address,
  status: 'open',
  lockedHeight: '4',
  closedHeight: null,
  height: '9',
};

const notFound = {
  error: { code: -32000, message: 'no escrow', data: { code: 'ESCROW_NOT_FOUND', meta: {} } },
};

describe('node client record reads', () => {
  it('finds an escrow on whichever shard holds it, typed', async () => {
    const { fetch, calls } = fakeFetch((call) =>
      call.url === 'http://s1' ? { result: escrowJson } : notFound,
    );
    const client = createNodeClient({ urls, network, fetch });
    const escrow = await client.getEscrow(escrowId);
    assert.equal(escrow.amount, 7_250_000n);
    assert.equal(escrow.deadlineMs, 1_800_000_000_000n);
    assert.equal(escrow.closedHeight, null);
    assert.equal(escrow.status, 'open');
    assert.deepEqual(
      calls.map((call) => call.url),
      ['http://s0', 'http://s1'],
    );
    assert.deepEqual(calls[1]!.params, { escrowId });
    // With the shard given, only that shard is asked.
    await client.getEscrow(escrowId, { shard: 1 });
    assert.equal(calls.length, 3);
  });

  it('reports ESCROW_NOT_FOUND when no shard holds it, and refuses malformed ids and results', async () => {
    const client = createNodeClient({ urls, network, fetch: fakeFetch(() => notFound).fetch });
    await assert.rejects(client.getEscrow(escrowId), (error) => isShardpayError(error, 'ESCROW_NOT_FOUND'));
    await assert.rejects(client.getEscrow('xyz'), (error) => isShardpayError(error, 'INVALID_PARAMS'));
    const broken = createNodeClient({
      urls,
      network,
      fetch: fakeFetch(() => ({ result: { ...escrowJson, amount: 7 } })).fetch,
    });
    await assert.rejects(broken.getEscrow(escrowId), (error) => isShardpayError(error, 'RPC_ERROR'));
  });

  it('reads time locks, multisig accounts (on their home shard), shard controls and frozen flags', async () => {
    const { fetch, calls } = fakeFetch((call) => {
      switch (call.method) {
        case 'shardpay_getTimelock':
          return {
            result: {
              timelockId: escrowId,
              shard: 0,
              from: onShard1.address,
              to: onShard1.address,
              amount: '1.000000',
              unlockHeight: '100',
              status: 'locked',
              createdHeight: '3',
              height: '9',
            },
          };
        case 'shardpay_getMultisig':
          return {
            result: {
              address: onShard1.address,
              shard: 1,
              owners: ['02'.repeat(33)],
              threshold: 1,
              nonce: '5',
              height: '9',
            },
          };
        case 'shardpay_getShardControl':
          return { result: { shard: 0, paused: true, controlNonce: '2', height: '9' } };
        default:
          return { result: { address: onShard1.address, shard: 1, frozen: true, height: '9' } };
      }
    });
    const client = createNodeClient({ urls, network, fetch });
    const lock = await client.getTimelock(escrowId, { shard: 0 });
    assert.equal(lock.unlockHeight, 100n);
    const multisig = await client.getMultisig(onShard1.address);
    assert.equal(multisig.nonce, 5n);
    assert.equal(calls.at(-1)!.url, 'http://s1');
    const control = await client.getShardControl(0);
    assert.deepEqual(control, { shard: 0, paused: true, controlNonce: 2n, height: 9n });
    assert.equal(await client.isFrozen(onShard1.address), true);
    assert.equal(calls.at(-1)!.url, 'http://s1');
  });
});
