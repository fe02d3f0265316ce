import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ShardpayError } from '@shardpay/crypto';
import WebSocket from 'ws';
import { createRpcServer, RpcErrorCode } from '../src/rpc/createRpcServer.ts';

describe('JSON-RPC server', () => {
  const internalErrors: unknown[] = [];
  const server = createRpcServer(
    { host: '127.0.0.1', port: 0, maxRequestBytes: 4096, maxBatch: 5 },
    {
      methods: {
        echo: (params) => params,
        refuse: () => {
          throw new ShardpayError('INSUFFICIENT_FUNDS', 'balance too low', { meta: { needed: 5n } });
        },
        crash: () => {
          throw new Error('secret internal detail');
        },
        tick: (_params, context) => {
          context.notify?.('tick', { n: 1 });
          context.afterResponse?.(() => context.notify?.('tick', { n: 2 }));
          return 'subscribed';
        },
        bigint: () => 5n,
      },
      getRoutes: { '/health': async () => [200, 'text/plain', 'ok\n'] },
      onInternalError: (error) => internalErrors.push(error),
    },
  );
  let url = '';
  before(async () => {
    await server.start();
    url = `http://127.0.0.1:${server.port()}`;
  });
  after(() => server.stop());

  interface RpcReply {
    result?: unknown;
    error: { code: number; message: string; data?: unknown };
  }
  async function post(body: string): Promise<{ status: number; body: RpcReply & RpcReply[] }> {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    const reply: unknown = response.status === 204 ? undefined : await response.json();
    return { status: response.status, body: reply as RpcReply & RpcReply[] };
  }

  it('answers a call and a batch', async () => {
    assert.deepEqual((await post('{"jsonrpc":"2.0","id":1,"method":"echo","params":[1]}')).body, {
      jsonrpc: '2.0',
      id: 1,
      result: [1],
    });
    const batch = await post(
      '[{"jsonrpc":"2.0","id":1,"method":"echo","params":"a"},{"jsonrpc":"2.0","id":2,"method":"nope"}]',
    );
    assert.equal(batch.body.length, 2);
    assert.equal(batch.body[1]?.error.code, RpcErrorCode.METHOD_NOT_FOUND);
  });

  it('maps bad input to JSON-RPC errors, never a crash', async () => {
    assert.equal((await post('{not json')).body.error.code, RpcErrorCode.PARSE_ERROR);
    assert.equal((await post('{"id":1,"method":"echo"}')).body.error.code, RpcErrorCode.INVALID_REQUEST);
    assert.equal((await post('[]')).body.error.code, RpcErrorCode.INVALID_REQUEST);
    const six = JSON.stringify(
      Array.from({ length: 6 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'echo' })),
    );
    assert.equal((await post(six)).body.error.code, RpcErrorCode.INVALID_REQUEST);
    assert.equal(
      (await post('{"jsonrpc":"2.0","id":1,"method":"toString"}')).body.error.code,
      RpcErrorCode.METHOD_NOT_FOUND,
    );
    const big = await post(
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'echo', params: 'x'.repeat(5000) }),
    );
    assert.equal(big.status, 413);
  });

  it('answers 413 to an oversized body sent without a length', async () => {
    // A streamed body has no content-length: the server counts while reading and still answers.
    const chunks = [
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'echo', params: 'x'.repeat(3000) }),
      'y'.repeat(3000),
    ];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const response = await fetch(url, { method: 'POST', body, duplex: 'half' } as RequestInit);
    assert.equal(response.status, 413);
    assert.equal(
      ((await response.json()) as { error: { code: number } }).error.code,
      RpcErrorCode.INVALID_REQUEST,
    );
  });

  it('reports a result JSON cannot hold as an internal error, not a dropped answer', async () => {
    const before = internalErrors.length;
    const reply = (await post('{"jsonrpc":"2.0","id":3,"method":"bigint"}')).body;
    assert.equal(reply.error.code, RpcErrorCode.INTERNAL_ERROR);
    assert.equal(internalErrors.length, before + 1);
  });

  it('carries ShardpayError codes and hides internal errors', async () => {
    const refused = (await post('{"jsonrpc":"2.0","id":1,"method":"refuse"}')).body;
    assert.equal(refused.error.code, RpcErrorCode.APPLICATION_ERROR);
    assert.deepEqual(refused.error.data, { code: 'INSUFFICIENT_FUNDS', meta: { needed: '5' } });
    const crashed = (await post('{"jsonrpc":"2.0","id":1,"method":"crash"}')).body;
    assert.equal(crashed.error.message, 'internal error');
    assert.equal(JSON.stringify(crashed).includes('secret'), false);
    assert.ok(
      internalErrors.some((error) => error instanceof Error && error.message === 'secret internal detail'),
    );
  });

  it('treats calls without an id as notifications', async () => {
    assert.equal((await post('{"jsonrpc":"2.0","method":"echo"}')).status, 204);
  });

  it('serves GET routes and the same methods over WebSocket with notifications', async () => {
    assert.equal(await (await fetch(`${url}/health`)).text(), 'ok\n');
    const socket = new WebSocket(url.replace('http', 'ws'));
    const messages: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      socket.on('open', () => resolve());
      socket.on('error', reject);
    });
    const threeMessages = new Promise<void>((resolve) => {
      socket.on('message', (data) => {
        messages.push(JSON.parse(String(data)));
        if (messages.length === 3) resolve();
      });
    });
    socket.send('{"jsonrpc":"2.0","id":7,"method":"tick"}');
    await threeMessages;
    socket.close();
    assert.deepEqual(messages, [
      { jsonrpc: '2.0', method: 'tick', params: { n: 1 } },
      { jsonrpc: '2.0', id: 7, result: 'subscribed' },
      // afterResponse tasks run once the answer is out: a subscription's first push follows its id.
      { jsonrpc: '2.0', method: 'tick', params: { n: 2 } },
    ]);
  });
});
