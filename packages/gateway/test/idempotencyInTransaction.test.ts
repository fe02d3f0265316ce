import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '@shardpay/database';
import Fastify, { type FastifyInstance } from 'fastify';
import { errorHandler } from '../src/plugins/errorHandlerPlugin.ts';
import { idempotency } from '../src/plugins/idempotencyPlugin.ts';
import { createTestClock, testDatabaseTargets } from './helpers/testGateway.ts';

/** Where a simulated crash hits the handler of POST /test/orders. */
type Crash = 'none' | 'before-commit' | 'after-commit';

/**
 * A bare app whose one route writes an order row and its idempotency record in one transaction
 * (request.idempotency.completeIn), then may "crash" (throw) on either side of that commit.
 */
function createOrderApp(database: Database) {
  const state = { crash: 'none' as Crash, runs: 0 };
  const app: FastifyInstance = Fastify();
  app.decorateRequest('user', null);
  app.register(errorHandler);
  app.register(idempotency, { database, now: createTestClock().now });
  app.register(async (routes) => {
    routes.post<{ Body: { order: string } }>(
      '/test/orders',
      { config: { idempotency: 'required' } },
      async (request, reply) => {
        state.runs += 1;
        const body = { id: request.body.order, object: 'order', run: state.runs };
        await database.transaction(async (tx) => {
          await tx.query('INSERT INTO idempotency_test_orders (id) VALUES ($1)', [request.body.order]);
          await request.idempotency.completeIn(tx, 201, body);
          if (state.crash === 'before-commit') throw new Error('crashed before commit');
        });
        if (state.crash === 'after-commit') throw new Error('crashed after commit');
        return reply.code(201).send(body);
      },
    );
  });
  return { app, state };
}

const runLabel = `${process.pid}-${Date.now()}`;

for (const target of testDatabaseTargets()) {
  describe(`Idempotency record in the handler's transaction (${target.name})`, { skip: target.skip }, () => {
    let database: Database;
    before(async () => {
      database = await target.open();
      await database.query('CREATE TABLE IF NOT EXISTS idempotency_test_orders (id text PRIMARY KEY)');
    });
    after(async () => {
      await database.close();
    });

    let counter = 0;
    const fresh = () => {
      counter += 1;
      return `${target.name}-${runLabel}-${counter}`;
    };
    const order = (app: FastifyInstance, key: string, id: string) =>
      app.inject({
        method: 'POST',
        url: '/test/orders',
        headers: { 'idempotency-key': key },
        payload: { order: id },
      });
    const ordersNamed = async (id: string) =>
      (await database.query('SELECT 1 FROM idempotency_test_orders WHERE id = $1', [id])).rowCount;

    it('replays the response committed with the row even when the handler dies after the commit', async () => {
      const { app, state } = createOrderApp(database);
      const key = fresh();
      const id = fresh();
      state.crash = 'after-commit';
      const crashed = await order(app, key, id);
      assert.equal(crashed.statusCode, 500);
      state.crash = 'none';
      const retry = await order(app, key, id);
      assert.equal(retry.statusCode, 201);
      assert.equal(retry.headers['idempotent-replayed'], 'true');
      assert.deepEqual(retry.json(), { id, object: 'order', run: 1 });
      assert.equal(state.runs, 1, 'the handler did not run again');
      assert.equal(await ordersNamed(id), 1);
    });

    it('stores neither the row nor a success when the transaction rolls back', async () => {
      const { app, state } = createOrderApp(database);
      const key = fresh();
      const id = fresh();
      state.crash = 'before-commit';
      assert.equal((await order(app, key, id)).statusCode, 500);
      assert.equal(await ordersNamed(id), 0);
      const stored = await database.query<{ response_status: number }>(
        'SELECT response_status FROM idempotency_keys WHERE scope = $1 AND key = $2',
        ['anonymous', key],
      );
      assert.equal(stored.rows[0]?.response_status, 500, 'the error that was sent, as for any handler');
    });

    it('stores the bytes that were sent when the handler completes normally', async () => {
      const { app } = createOrderApp(database);
      const key = fresh();
      const id = fresh();
      const first = await order(app, key, id);
      const replay = await order(app, key, id);
      assert.equal(first.statusCode, 201);
      assert.equal(replay.body, first.body);
      assert.equal(await ordersNamed(id), 1);
    });
  });
}
