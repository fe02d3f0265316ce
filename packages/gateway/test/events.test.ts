import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addressFromPublicKey } from '@shardpay/crypto';
import type { Database } from '@shardpay/database';
import type { FastifyInstance } from 'fastify';
import { signAccessToken } from '../src/auth/accessTokens.ts';
import { buildGatewayApp } from '../src/buildGatewayApp.ts';
import { type GatewayConfig, resolveGatewayConfig } from '../src/config.ts';
import { openEventStream, openReadyEventStream, waitFor } from './helpers/eventStreamClient.ts';
import {
  createFakeBlockChain,
  fakeNetwork,
  keyOnShard,
  signedTransaction,
} from './helpers/fakeBlockChain.ts';
import {
  createLogCapture,
  errorOf,
  registerWallet,
  signUpAndLogIn,
  testDatabaseTargets,
} from './helpers/testGateway.ts';

const runLabel = `events/${process.pid}/${Date.now()}`;

for (const target of testDatabaseTargets()) {
  describe(`events and the event stream (${target.name})`, { skip: target.skip }, () => {
    let database: Database;
    let app: FastifyInstance;
    let config: GatewayConfig;
    let baseUrl: string;
    before(async () => {
      database = await target.open();
      config = resolveGatewayConfig({ passwordScryptN: 2 ** 10, rateLimit: false });
      app = buildGatewayApp(config, {
        database,
        logStream: createLogCapture(),
        chain: { client: createFakeBlockChain().client, network: fakeNetwork },
        events: { pollIntervalMs: 20 },
      });
      baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    });
    after(async () => {
      await app.close();
      await database.close();
    });

    let counter = 0;
    /** A user with one wallet, and a way to make payment.created events (one per call). */
    async function payingUser() {
      counter += 1;
      const sender = keyOnShard(4, `${runLabel}/${target.name}/${counter}`);
      const { auth, session } = await signUpAndLogIn(app);
      await registerWallet(app, auth, sender);
      let nonce = 0n;
      const pay = async () => {
        const { hex, txId } = signedTransaction(
          sender,
          { type: 'transfer', to: addressFromPublicKey(sender.publicKey), amount: 1n + nonce, memo: '' },
          nonce,
        );
        nonce += 1n;
        const response = await app.inject({
          method: 'POST',
          url: '/v1/payments',
          headers: { ...auth, 'idempotency-key': txId },
          payload: { transaction: hex },
        });
        assert.equal(response.statusCode, 201, response.body);
        return txId;
      };
      return { auth, session, pay };
    }

    it("lists the caller's events newest first, paginated, and no one else's", async () => {
      const alice = await payingUser();
      const bob = await payingUser();
      const txIds = [await alice.pay(), await alice.pay(), await alice.pay()];
      await bob.pay();
      const list = async (query: string) => {
        const response = await app.inject({ method: 'GET', url: `/v1/events${query}`, headers: alice.auth });
        assert.equal(response.statusCode, 200, response.body);
        return response.json() as {
          data: Array<{ id: string; object: string; type: string; data: { tx_id: string; object: string } }>;
          has_more: boolean;
        };
      };
      const first = await list('?limit=2');
      assert.deepEqual(
        first.data.map((event) => [event.object, event.type, event.data.object, event.data.tx_id]),
        [
          ['event', 'payment.created', 'payment', txIds[2]],
          ['event', 'payment.created', 'payment', txIds[1]],
        ],
      );
      assert.equal(first.has_more, true);
      const rest = await list(`?starting_after=${first.data[1]!.id}`);
      assert.deepEqual(
        rest.data.map((event) => event.data.tx_id),
        [txIds[0]],
      );
      assert.equal(rest.has_more, false);
      const foreign = await app.inject({
        method: 'GET',
        url: `/v1/events?starting_after=${first.data[0]!.id}`,
        headers: bob.auth,
      });
      assert.equal(foreign.statusCode, 404);
      assert.equal((await app.inject({ method: 'GET', url: '/v1/events' })).statusCode, 401);
    });

    it('refuses a bad, expired or revoked token with an error message and close code 4401', async () => {
      const alice = await payingUser();
      const expired = await signAccessToken(
        { userId: alice.session.user_id, sessionId: alice.session.id },
        { secret: config.jwtSecret, issuer: config.jwtIssuer, audience: config.jwtAudience, ttlSeconds: 60 },
        new Date(Date.now() - 3_600_000),
      );
      const cases: Array<[string, Parameters<typeof openEventStream>[1], string, number]> = [
        ['forged', { access_token: 'not.a.jwt' }, 'token_invalid', 4401],
        ['expired', { access_token: expired.token }, 'token_expired', 4401],
        ['not JSON', { raw: 'hello' }, 'body_invalid', 4400],
        ['not auth', { raw: '{"type":"subscribe"}' }, 'body_invalid', 4400],
      ];
      for (const [name, auth, code, closeCode] of cases) {
        const client = await openEventStream(baseUrl, auth);
        assert.equal(await client.closed, closeCode, name);
        assert.deepEqual(
          client.messages.map((message) => [message.type, message.error?.code, message.error?.type]),
          [['error', code, closeCode === 4401 ? 'authentication_error' : 'invalid_request_error']],
          name,
        );
      }
      const logout = await app.inject({ method: 'DELETE', url: '/v1/sessions', headers: alice.auth });
      assert.equal(logout.statusCode, 204);
      const revoked = await openEventStream(baseUrl, { access_token: alice.session.access_token });
      assert.equal(await revoked.closed, 4401);
      assert.equal(revoked.messages[0]?.error?.code, 'session_revoked');
    });

    it('pushes new events live, and replays those after `after` before going live again', async () => {
      const alice = await payingUser();
      const bob = await payingUser();
      const live = await openReadyEventStream(baseUrl, { access_token: alice.session.access_token });
      const txIds = [await alice.pay(), await bob.pay(), await alice.pay()];
      await waitFor('two live events', 5000, () => live.events().length >= 2);
      const seen = live.events();
      assert.deepEqual(
        seen.map((event) => [event.type, event.data.tx_id]),
        [
          ['payment.created', txIds[0]],
          ['payment.created', txIds[2]],
        ],
      );
      live.close();
      const missed = [await alice.pay(), await alice.pay()];
      const resumed = await openReadyEventStream(baseUrl, {
        access_token: alice.session.access_token,
        after: seen[0]!.id,
      });
      await waitFor('the replay', 5000, () => resumed.events().length >= 3);
      const newer = await alice.pay();
      await waitFor('the live event after the replay', 5000, () => resumed.events().length >= 4);
      assert.deepEqual(
        resumed.events().map((event) => event.data.tx_id),
        [txIds[2], ...missed, newer],
      );
      assert.equal(resumed.messages[0]?.type, 'ready');
      resumed.close();
      const unknown = await openEventStream(baseUrl, {
        access_token: bob.session.access_token,
        after: seen[0]!.id,
      });
      assert.equal(await unknown.closed, 4400);
      assert.equal(unknown.messages[0]?.error?.param, 'after', "another user's event is no cursor");
    });

    it('answers a plain GET of the stream with the error object', async () => {
      const response = await app.inject({ method: 'GET', url: '/v1/events/stream' });
      assert.equal(response.statusCode, 400);
      assert.equal(errorOf(response).code, 'request_invalid');
    });
  });
}

describe('event stream shutdown', () => {
  it('closes open sockets on app.close() without hanging', async () => {
    const [target] = testDatabaseTargets();
    const database = await target!.open();
    const app = buildGatewayApp(resolveGatewayConfig({ passwordScryptN: 2 ** 10, rateLimit: false }), {
      database,
      logStream: createLogCapture(),
    });
    const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    const { session } = await signUpAndLogIn(app);
    const client = await openReadyEventStream(baseUrl, { access_token: session.access_token });
    const started = Date.now();
    await app.close();
    assert.ok(Date.now() - started < 5000, 'app.close() returned promptly');
    const code = await client.closed;
    assert.ok(code === 1000 || code === 1001 || code === 1005 || code === 1006, `closed with ${code}`);
    await database.close();
  });
});
