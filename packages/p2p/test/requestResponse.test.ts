import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ShardpayError } from '@shardpay/crypto';
import { type RequestContext, SYNC_PROTOCOL } from '@shardpay/p2p';
import { startTestHost, stopAll, type TestHost, waitFor } from './helpers.ts';

const SMALL_PROTOCOL = '/shardpay/test-small/1';
const SLOW_PROTOCOL = '/shardpay/test-slow/1';
const FAILING_PROTOCOL = '/shardpay/test-failing/1';
const BIG_RESPONSE_PROTOCOL = '/shardpay/test-big/1';

describe('request/response', () => {
  let server: TestHost | undefined;
  let client: TestHost | undefined;
  const contexts: RequestContext[] = [];
  let releaseSlow: () => void = () => {};
  const slowGate = new Promise<void>((resolve) => {
    releaseSlow = resolve;
  });

  before(async () => {
    server = await startTestHost(
      30,
      { protocolLimits: { [SMALL_PROTOCOL]: { maxRequestBytes: 1024 } }, handlerTimeoutMs: 1_500 },
      {
        requestHandlers: {
          [SYNC_PROTOCOL]: async (body, context) => {
            contexts.push(context);
            return Uint8Array.from([0xaa, ...body.toReversed()]);
          },
          [SMALL_PROTOCOL]: async (body) => Uint8Array.of(body.length & 0xff),
          [SLOW_PROTOCOL]: async () => {
            await slowGate;
            return Uint8Array.of(1);
          },
          [FAILING_PROTOCOL]: async (body) => {
            if (body[0] === 1) throw new ShardpayError('BLOCK_NOT_FOUND', 'no block at height 7');
            throw new Error('a bug with a secret detail');
          },
          [BIG_RESPONSE_PROTOCOL]: async () => new Uint8Array(4096).fill(7),
        },
      },
    );
    // The client believes the small protocol allows 1 MiB requests: it sends what the server refuses.
    client = await startTestHost(31, {
      bootstrap: server.host.multiaddrs(),
      protocolLimits: { [SMALL_PROTOCOL]: { maxRequestBytes: 1024 * 1024 } },
    });
    await waitFor('the client to connect', () => client!.host.connectedPeers().includes(server!.host.peerId));
  });
  after(async () => {
    releaseSlow();
    await stopAll(server, client);
  });

  test('a request gets its response', async () => {
    const response = await client!.host.request(
      server!.host.peerId,
      SYNC_PROTOCOL,
      Uint8Array.from([1, 2, 3]),
    );
    assert.deepEqual([...response], [0xaa, 3, 2, 1]);
    assert.equal(contexts.at(-1)?.peer, client!.host.peerId);
    assert.equal(contexts.at(-1)?.protocol, SYNC_PROTOCOL);
    const empty = await client!.host.request(server!.host.peerId, SYNC_PROTOCOL, new Uint8Array(0));
    assert.deepEqual([...empty], [0xaa]);
  });

  test('concurrent requests each get their own response', async () => {
    const bodies = Array.from({ length: 20 }, (_, i) => Uint8Array.from([i, i + 1]));
    const responses = await Promise.all(
      bodies.map((body) => client!.host.request(server!.host.peerId, SYNC_PROTOCOL, body)),
    );
    for (const [i, response] of responses.entries()) assert.deepEqual([...response], [0xaa, i + 1, i]);
  });

  test('handler errors come back as coded error frames, and the server keeps serving', async () => {
    await assert.rejects(
      client!.host.request(server!.host.peerId, FAILING_PROTOCOL, Uint8Array.of(1)),
      (error) => {
        assert.ok(error instanceof ShardpayError);
        assert.equal(error.code, 'P2P_REMOTE_ERROR');
        assert.equal(error.meta.remoteCode, 'BLOCK_NOT_FOUND');
        return true;
      },
    );
    await assert.rejects(
      client!.host.request(server!.host.peerId, FAILING_PROTOCOL, Uint8Array.of(2)),
      (error) => {
        assert.ok(error instanceof ShardpayError);
        assert.equal(error.meta.remoteCode, 'P2P_HANDLER_FAILED');
        assert.ok(!error.message.includes('secret'), 'internal details stay on the server');
        return true;
      },
    );
    assert.equal(server!.errors.length, 1, 'the unexpected failure is reported locally');
    const response = await client!.host.request(server!.host.peerId, SYNC_PROTOCOL, Uint8Array.of(5));
    assert.deepEqual([...response], [0xaa, 5]);
    assert.equal(server!.host.peerScore(client!.host.peerId), 0, 'refusals are not the requester’s fault');
  });

  test('an oversized request resets the stream and penalizes the requester', async () => {
    const before = server!.host.stats().requestsRefused;
    await assert.rejects(
      client!.host.request(server!.host.peerId, SMALL_PROTOCOL, new Uint8Array(64 * 1024)),
      { code: 'P2P_REQUEST_FAILED' },
    );
    assert.equal(server!.host.stats().requestsRefused, before + 1);
    assert.ok(server!.host.peerScore(client!.host.peerId) < 0, 'the requester lost score');
    const fits = await client!.host.request(server!.host.peerId, SMALL_PROTOCOL, new Uint8Array(1024));
    assert.deepEqual([...fits], [0]);
  });

  test('a request over the local limit is refused before sending', async () => {
    const sent = client!.host.stats().requestsSent;
    await assert.rejects(
      client!.host.request(server!.host.peerId, SYNC_PROTOCOL, new Uint8Array(64 * 1024 + 1)),
      {
        code: 'P2P_REQUEST_TOO_LARGE',
      },
    );
    assert.equal(client!.host.stats().requestsSent, sent);
  });

  test('an oversized response is refused and penalizes the responder', async () => {
    await assert.rejects(
      client!.host.request(server!.host.peerId, BIG_RESPONSE_PROTOCOL, Uint8Array.of(1), {
        maxResponseBytes: 2048,
      }),
      { code: 'P2P_RESPONSE_TOO_LARGE' },
    );
    assert.ok(client!.host.peerScore(server!.host.peerId) < 0);
    const whole = await client!.host.request(server!.host.peerId, BIG_RESPONSE_PROTOCOL, Uint8Array.of(1));
    assert.equal(whole.length, 4096);
  });

  test('a request times out', async () => {
    const started = performance.now();
    await assert.rejects(
      client!.host.request(server!.host.peerId, SLOW_PROTOCOL, Uint8Array.of(1), { timeoutMs: 300 }),
      { code: 'P2P_REQUEST_TIMEOUT' },
    );
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 290 && elapsed < 3_000, `timed out after ${elapsed} ms`);
  });

  test('a handler that runs out of time answers P2P_HANDLER_TIMEOUT', async () => {
    await assert.rejects(
      client!.host.request(server!.host.peerId, SLOW_PROTOCOL, Uint8Array.of(1), { timeoutMs: 8_000 }),
      (error) => {
        assert.ok(error instanceof ShardpayError);
        assert.equal(error.code, 'P2P_REMOTE_ERROR');
        assert.equal(error.meta.remoteCode, 'P2P_HANDLER_TIMEOUT');
        return true;
      },
    );
  });

  test('an unknown protocol fails with a coded error', async () => {
    await assert.rejects(client!.host.request(server!.host.peerId, '/shardpay/nope/1', Uint8Array.of(1)), {
      code: 'P2P_REQUEST_FAILED',
    });
  });

  test('a malformed peer id is refused with a coded error', async () => {
    await assert.rejects(client!.host.request('not-a-peer-id', SYNC_PROTOCOL, Uint8Array.of(1)), {
      code: 'P2P_INVALID_PEER_ID',
    });
  });
});
