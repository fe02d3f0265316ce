import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addressFromPublicKey,
  bytesToHex,
  decodeAddress,
  encodeAddress,
  generatePrivateKey,
  publicKeyFromPrivateKey,
} from '@shardpay/crypto';
import type { Database } from '@shardpay/database';
import { waitFor } from '@shardpay/node/testing';
import { encodeTransaction, shardOfAddress, signTransaction, transactionId } from '@shardpay/protocol';
import type { FastifyInstance } from 'fastify';
import { buildGatewayApp } from '../src/buildGatewayApp.ts';
import { createChainClient } from '../src/chain/createChainClient.ts';
import { resolveGatewayConfig } from '../src/config.ts';
import { type LocalChain, startLocalChain } from './helpers/localChain.ts';
import { createLogCapture, createMigratedPglite, errorOf } from './helpers/testGateway.ts';

/** GET /v1/network, /v1/accounts/:address and /v1/transactions/:tx_id against a real 2-shard chain. */
describe('public chain routes', { timeout: 90_000 }, () => {
  let chain: LocalChain;
  let database: Database;
  let app: FastifyInstance;

  before(async () => {
    chain = await startLocalChain(2, 1);
    database = await createMigratedPglite();
    app = buildGatewayApp(resolveGatewayConfig({ rateLimit: false }), {
      database,
      logStream: createLogCapture(),
      chain: { client: chain.client, network: chain.network },
    });
    await app.ready();
  });
  after(async () => {
    await app?.close();
    await database?.close();
    await chain?.stop();
  });

  function addressOn(shard: number): string {
    for (;;) {
      const address = addressFromPublicKey(publicKeyFromPrivateKey(generatePrivateKey()));
      if (shardOfAddress(chain.network, address) === shard) return encodeAddress(address, 'spd');
    }
  }

  it('describes the network: every shard with its height and nodes, and the genesis', async () => {
    await waitFor('both shards past height 1', 30_000, async () => {
      const body = (await app.inject({ method: 'GET', url: '/v1/network' })).json();
      return body.shards.every(
        (shard: { height: string | null }) => shard.height !== null && BigInt(shard.height) >= 1n,
      );
    });
    const response = await app.inject({ method: 'GET', url: '/v1/network' });
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.equal(body.object, 'network');
    assert.equal(body.chain_id, 'shardpay-test');
    assert.equal(body.address_prefix, 'spd');
    assert.deepEqual(
      body.shards.map((shard: Record<string, unknown>) => [
        shard.id,
        shard.validators,
        shard.nodes_up,
        shard.nodes,
      ]),
      [
        [0, 1, 1, 1],
        [1, 1, 1, 1],
      ],
    );
    assert.match(body.shards[0].height, /^[0-9]+$/);
    assert.equal(body.network_config.chainId, 'shardpay-test');
    assert.equal(body.network_config.shardCount, 2);
  });

  it("reads an account's balance from its home shard, and refuses a bad address naming it", async () => {
    const faucet = chain.genesis.faucets[1]!;
    const address = encodeAddress(faucet.address, 'spd');
    const response = await app.inject({ method: 'GET', url: `/v1/accounts/${address}` });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.deepEqual(
      { ...body, height: undefined },
      {
        object: 'account',
        address,
        shard: 1,
        balance: '1000000.000000',
        currency: 'usd',
        nonce: '0',
        pending_nonce: '0',
        height: undefined,
      },
    );
    const empty = (await app.inject({ method: 'GET', url: `/v1/accounts/${addressOn(0)}` })).json();
    assert.equal(empty.balance, '0.000000');
    assert.equal(empty.shard, 0);

    for (const bad of ['spd1notanaddress', encodeAddress(faucet.address, 'sp'), 'x'.repeat(90)]) {
      const refused = await app.inject({ method: 'GET', url: `/v1/accounts/${bad}` });
      assert.equal(refused.statusCode, 400, bad);
      const error = errorOf(refused);
      assert.equal(error.code, 'address_invalid');
      assert.equal(error.param, 'address');
    }
  });

  it("follows a cross-shard transfer's stages to credited, and 404s an unknown id", async () => {
    const faucet = chain.genesis.faucets[0]!;
    const target = 1;
    const to = decodeAddress(addressOn(target), 'spd');
    const tx = signTransaction(
      {
        chainId: chain.network.chainId,
        shard: 0,
        nonce: 0n,
        fee: 0n,
        expiryHeight: 10_000n,
        publicKey: faucet.publicKey,
        operation: { type: 'transfer', to, amount: 2_500_000n, memo: '' },
      },
      faucet.privateKey,
    );
    await chain.client.call(0, 'shardpay_submitTransaction', { tx: bytesToHex(encodeTransaction(tx)) });
    const txId = bytesToHex(transactionId(tx));
    const terminal = 'credited';
    await waitFor(`the transfer ${terminal}`, 45_000, async () => {
      const response = await app.inject({ method: 'GET', url: `/v1/transactions/${txId}` });
      return response.statusCode === 200 && response.json().status === terminal;
    });
    // Upper-case ids are the same id.
    const body = (await app.inject({ method: 'GET', url: `/v1/transactions/${txId.toUpperCase()}` })).json();
    assert.equal(body.object, 'transaction');
    assert.equal(body.tx_id, txId);
    assert.equal(body.shard, 0);
    assert.equal(body.target_shard, target);
    assert.equal(body.stages[0].stage, 'final');
    assert.equal(body.stages[0].shard, 0);
    assert.match(body.stages[0].height, /^[0-9]+$/);
    assert.deepEqual([body.stages[1].stage, body.stages[1].shard], ['credited', target]);

    const unknown = await app.inject({ method: 'GET', url: `/v1/transactions/${'ab'.repeat(32)}` });
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual([errorOf(unknown).code, errorOf(unknown).param], ['resource_missing', 'tx_id']);
    const malformed = await app.inject({ method: 'GET', url: '/v1/transactions/1234' });
    assert.equal(malformed.statusCode, 400);
    assert.equal(errorOf(malformed).param, 'tx_id');
  });

  it('shows a shard no node answers as height null, and cannot call a tx missing while it is down', async () => {
    const partial = createChainClient({
      shards: { 0: chain.urls[0]!, 1: ['http://127.0.0.1:9'] },
      requestTimeoutMs: 2000,
    });
    const partialApp = buildGatewayApp(resolveGatewayConfig({ rateLimit: false }), {
      database,
      logStream: createLogCapture(),
      chain: { client: partial, network: chain.network },
    });
    try {
      const body = (await partialApp.inject({ method: 'GET', url: '/v1/network' })).json();
      assert.equal(body.shards[1].height, null);
      assert.equal(body.shards[1].nodes_up, 0);
      assert.equal(body.shards[1].nodes, 1);
      assert.notEqual(body.shards[0].height, null);
      const unknown = await partialApp.inject({ method: 'GET', url: `/v1/transactions/${'cd'.repeat(32)}` });
      assert.equal(unknown.statusCode, 503);
      assert.equal(errorOf(unknown).code, 'chain_unavailable');
      const account = await partialApp.inject({ method: 'GET', url: `/v1/accounts/${addressOn(1)}` });
      assert.equal(account.statusCode, 503);
    } finally {
      await partialApp.close();
    }
  });
});
