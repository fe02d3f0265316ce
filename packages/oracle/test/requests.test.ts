import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addressFromPublicKey, publicKeyFromPrivateKey } from '@shardpay/crypto';
import { testPrivateKey } from './helpers/testNetwork.ts';
import { createTestOracle, TEST_API_KEY, type TestOracle } from './helpers/testOracle.ts';

interface ErrorBody {
  error: { type: string; code: string; param: string | null; message: string };
}

describe('oracle requests', () => {
  let oracle: TestOracle;
  before(async () => {
    oracle = await createTestOracle();
  });
  after(async () => {
    await oracle.close();
  });

  function assertRefused(
    response: { statusCode: number; json(): unknown },
    status: number,
    code: string,
    param?: string,
  ) {
    assert.equal(response.statusCode, status, JSON.stringify(response.json()));
    const body = response.json() as ErrorBody;
    assert.equal(body.error.code, code);
    if (param !== undefined) assert.equal(body.error.param, param);
  }

  it('needs the API key, except for health and the public identity', async () => {
    const none = await oracle.app.inject({ method: 'GET', url: '/v1/shipments' });
    assertRefused(none, 401, 'authentication_required');
    const wrong = await oracle.app.inject({
      method: 'GET',
      url: '/v1/shipments',
      headers: { authorization: 'Bearer nope' },
    });
    assertRefused(wrong, 401, 'api_key_invalid');
    assert.equal((await oracle.app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
    const identity = await oracle.app.inject({ method: 'GET', url: '/v1/oracle' });
    assert.equal(identity.statusCode, 200);
    const body = identity.json() as {
      address: string;
      fee_payers: Array<{ shard: number; address: string }>;
    };
    assert.equal(body.address, oracle.identity.address(oracle.network));
    assert.deepEqual(
      body.fee_payers.map((payer) => payer.shard),
      [0, 1],
    );
    assert.equal(identity.headers['shardpay-sandbox'], 'true');
  });

  it('refuses malformed shipments with 400 naming the field', async () => {
    assertRefused(await oracle.post('/v1/shipments', {}), 400, 'parameter_missing', 'escrow_id');
    assertRefused(
      await oracle.post('/v1/shipments', { escrow_id: 'xyz' }),
      400,
      'parameter_invalid',
      'escrow_id',
    );
    const id = 'ab'.repeat(32);
    assertRefused(
      await oracle.post('/v1/shipments', { escrow_id: id, extra: 1 }),
      400,
      'parameter_unknown',
      'extra',
    );
    assertRefused(
      await oracle.post('/v1/shipments', { escrow_id: id, deliver_after_seconds: -1 }),
      400,
      'parameter_invalid',
      'deliver_after_seconds',
    );
    assertRefused(
      await oracle.post('/v1/shipments', { escrow_id: id, deliver_after_seconds: '5' }),
      400,
      'parameter_invalid',
      'deliver_after_seconds',
    );
    const invalidJson = await oracle.app.inject({
      method: 'POST',
      url: '/v1/shipments',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
      payload: '{',
    });
    assertRefused(invalidJson, 400, 'body_invalid');
  });

  it('refuses an escrow no shard holds, one naming another oracle or none, and one not open', async () => {
    assertRefused(
      await oracle.post('/v1/shipments', { escrow_id: 'cd'.repeat(32) }),
      404,
      'escrow_not_found',
      'escrow_id',
    );
    const stranger = addressFromPublicKey(publicKeyFromPrivateKey(testPrivateKey('another oracle')));
    const foreign = oracle.chain.addEscrow({ shard: 0, oracle: stranger });
    assertRefused(
      await oracle.post('/v1/shipments', { escrow_id: foreign }),
      400,
      'escrow_not_authorized',
      'escrow_id',
    );
    const noOracle = oracle.chain.addEscrow({ shard: 1, oracle: null });
    assertRefused(
      await oracle.post('/v1/shipments', { escrow_id: noOracle }),
      400,
      'escrow_not_authorized',
      'escrow_id',
    );
    const refunded = oracle.chain.addEscrow({
      shard: 1,
      oracle: oracle.identity.addressBytes,
      status: 'refunded',
    });
    assertRefused(
      await oracle.post('/v1/shipments', { escrow_id: refunded }),
      409,
      'escrow_state_invalid',
      'escrow_id',
    );
    const open = oracle.chain.addEscrow({
      shard: 1,
      oracle: oracle.identity.addressBytes,
      orderId: 'inv_42',
    });
    assertRefused(
      await oracle.post('/v1/shipments', { escrow_id: open, order_id: 'inv_43' }),
      400,
      'parameter_invalid',
      'order_id',
    );
    const created = await oracle.post('/v1/shipments', { escrow_id: open, order_id: 'inv_42' });
    assert.equal(created.statusCode, 200);
  });

  it('answers 503 while the chain is unreachable, 404 for unknown shipments and routes', async () => {
    oracle.chain.unreachable = true;
    try {
      assertRefused(
        await oracle.post('/v1/shipments', { escrow_id: 'ef'.repeat(32) }),
        503,
        'node_unreachable',
      );
    } finally {
      oracle.chain.unreachable = false;
    }
    assertRefused(await oracle.get('/v1/shipments/shp_nope'), 404, 'resource_missing', 'id');
    assertRefused(await oracle.post('/v1/shipments/shp_nope/deliver'), 404, 'resource_missing', 'id');
    assertRefused(
      await oracle.get('/v1/shipments?starting_after=shp_nope'),
      404,
      'resource_missing',
      'starting_after',
    );
    assertRefused(await oracle.get('/v1/shipments?limit=0'), 400, 'parameter_invalid', 'limit');
    assertRefused(await oracle.get('/v1/nothing'), 404, 'route_not_found');
  });
});
