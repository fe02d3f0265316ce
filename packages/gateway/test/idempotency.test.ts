import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '@shardpay/database';
import Fastify, { type FastifyInstance } from 'fastify';
import { apiError } from '../src/http/apiErrors.ts';
import { errorHandler } from '../src/plugins/errorHandlerPlugin.ts';
import {
  idempotency,
  idempotencyRequestHash,
  purgeExpiredIdempotencyKeys,
} from '../src/plugins/idempotencyPlugin.ts';
import { createTestClock, errorOf, type TestClock, testDatabaseTargets } from './helpers/testGateway.ts';

interface Harness {
  app: FastifyInstance;
  clock: TestClock;
  /** How many times each route's handler really ran. */
  executions: { charges: number; failures: number };
  /** Holds the next charge in its handler until released. */
  holdNextCharge(): { started: Promise<void>; release: () => void };
}

/** A bare app with only the error handler and the idempotency plugin, and two test routes. */
function createHarness(database: Database): Harness {
  const clock = createTestClock();
  const executions = { charges: 0, failures: 0 };
  let hold: { markStarted: () => void; released: Promise<void> } | undefined;
  const app = Fastify({ ajv: { customOptions: { removeAdditional: false, coerceTypes: false } } });
  app.decorateRequest('user', null);
  app.register(errorHandler);
  app.register(idempotency, { database, now: clock.now });
  app.register(async (routes) => {
    // Stands in for authentication: the caller's user id from a test header.
    routes.addHook('onRequest', async (request) => {
      const user = request.headers['x-test-user'];
      if (typeof user === 'string') request.user = { id: user, sessionId: 'ses_test' };
    });
    routes.post<{ Body: { amount: string } }>(
      '/test/charges',
      {
        schema: {
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['amount'],
            properties: { amount: { type: 'string', pattern: '^[0-9]+\\.[0-9]{2}$' } },
          },
        },
        config: { idempotency: 'required' },
      },
      async (request, reply) => {
        executions.charges += 1;
        const id = `ch_${executions.charges}`;
        const current = hold;
        hold = undefined;
        if (current !== undefined) {
          current.markStarted();
          await current.released;
        }
        return reply.code(201).send({ id, amount: request.body.amount });
      },
    );
    routes.post('/test/failures', { config: { idempotency: 'optional' } }, async () => {
      executions.failures += 1;
      throw apiError('PARAMETER_INVALID', `refused on attempt ${executions.failures}`, 'amount');
    });
  });
  return {
    app,
    clock,
    executions,
    holdNextCharge() {
      const started = Promise.withResolvers<void>();
      const released = Promise.withResolvers<void>();
      hold = { markStarted: started.resolve, released: released.promise };
      return { started: started.promise, release: () => released.resolve() };
    },
  };
}

let keyCounter = 0;
function freshKey(): string {
  keyCounter += 1;
  return `key-${process.pid}-${Date.now()}-${keyCounter}`;
}

function describeIdempotency(name: string, open: () => Promise<Database>, skip: string | false): void {
  describe(`Idempotency-Key (${name})`, { skip }, () => {
    let database: Database;
    before(async () => {
      database = await open();
    });
    after(async () => {
      await database.close();
    });

    const charge = (harness: Harness, key: string | undefined, amount: string, user = 'usr_a') =>
      harness.app.inject({
        method: 'POST',
        url: '/test/charges',
        headers: { 'x-test-user': user, ...(key === undefined ? {} : { 'idempotency-key': key }) },
        payload: { amount },
      });

    it('replays the first response for the same key and parameters without running again', async () => {
      const harness = createHarness(database);
      const key = freshKey();
      const first = await charge(harness, key, '10.00');
      const second = await charge(harness, key, '10.00');
      assert.equal(first.statusCode, 201);
      assert.equal(second.statusCode, 201);
      assert.equal(second.body, first.body);
      assert.equal(second.headers['idempotent-replayed'], 'true');
      assert.equal(harness.executions.charges, 1);
    });

    it('refuses the same key with different parameters (409 idempotency_error)', async () => {
      const harness = createHarness(database);
      const key = freshKey();
      assert.equal((await charge(harness, key, '10.00')).statusCode, 201);
      const reused = await charge(harness, key, '11.00');
      assert.equal(reused.statusCode, 409);
      assert.equal(errorOf(reused).type, 'idempotency_error');
      assert.equal(errorOf(reused).code, 'idempotency_key_reused');
      assert.equal(harness.executions.charges, 1);
    });

    it('answers 409 to a duplicate sent while the first is still running, then replays', async () => {
      const harness = createHarness(database);
      const key = freshKey();
      const held = harness.holdNextCharge();
      const firstPromise = charge(harness, key, '12.00');
      await held.started;
      const concurrent = await charge(harness, key, '12.00');
      assert.equal(concurrent.statusCode, 409);
      assert.equal(errorOf(concurrent).code, 'idempotency_key_in_use');
      held.release();
      const first = await firstPromise;
      assert.equal(first.statusCode, 201);
      const replay = await charge(harness, key, '12.00');
      assert.equal(replay.body, first.body);
      assert.equal(harness.executions.charges, 1);
    });

    it('runs exactly one of many simultaneous duplicates', async () => {
      const harness = createHarness(database);
      const key = freshKey();
      const held = harness.holdNextCharge();
      const attempts = Array.from({ length: 8 }, () => charge(harness, key, '13.00'));
      await held.started;
      held.release();
      const responses = await Promise.all(attempts);
      const statuses = responses.map((response) => response.statusCode).sort();
      assert.equal(statuses.filter((status) => status === 201).length >= 1, true);
      assert.ok(
        statuses.every((status) => status === 201 || status === 409),
        statuses.join(','),
      );
      const bodies = new Set(responses.filter((r) => r.statusCode === 201).map((r) => r.body));
      assert.equal(bodies.size, 1);
      assert.equal(harness.executions.charges, 1);
    });

    it('stores nothing for a request that fails validation', async () => {
      const harness = createHarness(database);
      const key = freshKey();
      const invalid = await charge(harness, key, 'ten dollars');
      assert.equal(invalid.statusCode, 400);
      assert.equal(errorOf(invalid).param, 'amount');
      const valid = await charge(harness, key, '14.00');
      assert.equal(valid.statusCode, 201);
      assert.equal(harness.executions.charges, 1);
    });

    it('stores and replays an error the handler answered', async () => {
      const harness = createHarness(database);
      const key = freshKey();
      const request = () =>
        harness.app.inject({
          method: 'POST',
          url: '/test/failures',
          headers: { 'idempotency-key': key },
          payload: { amount: '1.00' },
        });
      const first = await request();
      const second = await request();
      assert.equal(first.statusCode, 400);
      assert.equal(errorOf(second).message, 'refused on attempt 1');
      assert.equal(harness.executions.failures, 1);
    });

    it('requires a key where the route says so, and checks its form', async () => {
      const harness = createHarness(database);
      const missing = await charge(harness, undefined, '15.00');
      assert.equal(missing.statusCode, 400);
      assert.equal(errorOf(missing).code, 'idempotency_key_required');
      const tooLong = await charge(harness, 'k'.repeat(256), '15.00');
      assert.equal(tooLong.statusCode, 400);
      assert.equal(errorOf(tooLong).code, 'idempotency_key_invalid');
      assert.equal(harness.executions.charges, 0);
    });

    it('keeps keys per user: one key used by two users runs twice', async () => {
      const harness = createHarness(database);
      const key = freshKey();
      const forA = await charge(harness, key, '16.00', 'usr_a');
      const forB = await charge(harness, key, '16.00', 'usr_b');
      assert.notEqual(forA.body, forB.body);
      assert.equal(harness.executions.charges, 2);
    });

    it('keeps keys 24 hours and purges them after', async () => {
      const harness = createHarness(database);
      const key = freshKey();
      await charge(harness, key, '17.00');
      const created = harness.clock.now();
      // The purge never goes below 24 h, whatever retention is asked for.
      await purgeExpiredIdempotencyKeys(database, new Date(created.getTime() + 23 * 3600_000), 60);
      assert.equal((await charge(harness, key, '17.00')).headers['idempotent-replayed'], 'true');
      await purgeExpiredIdempotencyKeys(database, new Date(created.getTime() + 25 * 3600_000), 24 * 3600);
      const after = await charge(harness, key, '17.00');
      assert.equal(after.headers['idempotent-replayed'], undefined);
      assert.equal(harness.executions.charges, 2);
    });

    it('takes over a claim left running by a crashed request after a minute', async () => {
      const harness = createHarness(database);
      const key = freshKey();
      const at = harness.clock.now().toISOString();
      await database.query(
        `INSERT INTO idempotency_keys (scope, key, request_hash, state, created_at, locked_at)
         VALUES ('usr_a', $1, $2, 'running', $3, $3)`,
        [key, idempotencyRequestHash('POST', '/test/charges', { amount: '18.00' }), at],
      );
      assert.equal((await charge(harness, key, '18.00')).statusCode, 409);
      harness.clock.advance(61_000);
      const retried = await charge(harness, key, '18.00');
      assert.equal(retried.statusCode, 201);
      assert.equal(harness.executions.charges, 1);
    });
  });
}

describe('idempotencyRequestHash', () => {
  it('ignores key order and tells different parameters apart', () => {
    const a = idempotencyRequestHash('POST', '/v1/x', { a: 1, b: { c: 2, d: 3 } });
    const b = idempotencyRequestHash('POST', '/v1/x', { b: { d: 3, c: 2 }, a: 1 });
    assert.equal(a, b);
    assert.notEqual(a, idempotencyRequestHash('POST', '/v1/x', { a: 1, b: { c: 2, d: 4 } }));
    assert.notEqual(a, idempotencyRequestHash('POST', '/v1/y', { a: 1, b: { c: 2, d: 3 } }));
  });
});

for (const target of testDatabaseTargets()) describeIdempotency(target.name, target.open, target.skip);
