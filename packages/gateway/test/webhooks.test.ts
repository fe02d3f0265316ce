/**
 * Webhooks (docs/gateway.md "Webhooks"): endpoints, signatures checked by a local receiver with the
 * SDK's verifier, retries with growing delays while the receiver is down, give-up after maxAge,
 * rotation, redelivery, disabling, the delivery log and URL validation. One gateway server on an
 * in-memory PGlite, its webhook sender running with small timings (base 50 ms, cap 1 s).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '@shardpay/database';
import { verifyWebhookSignature as verifyWithSdk } from '@shardpay/sdk';
import { resolveGatewayConfig } from '../src/config.ts';
import { createGatewayServer, type GatewayServer } from '../src/createGatewayServer.ts';
import { verifyWebhookSignature as verifyWithGateway } from '../src/index.ts';
import { assertWebhookUrl } from '../src/webhooks/assertWebhookUrl.ts';
import { fanOutWebhookEvents } from '../src/webhooks/fanOutWebhookEvents.ts';
import { signWebhookPayload } from '../src/webhooks/signWebhookPayload.ts';
import { defaultWebhookSettings, webhookRetryDelayMs } from '../src/webhooks/webhookSettings.ts';
import { waitFor } from './helpers/eventStreamClient.ts';
import { createLogCapture, createMigratedPglite, errorOf, signUpAndLogIn } from './helpers/testGateway.ts';
import {
  insertMerchant,
  seededRandom,
  startWebhookReceiver,
  type WebhookReceiver,
  writeMerchantEvent,
} from './helpers/webhookHarness.ts';

const seed = Number(process.env.GATEWAY_TEST_SEED ?? 8);
const settings = {
  ...defaultWebhookSettings,
  retryBaseMs: 50,
  retryCapMs: 1000,
  maxAgeMs: 60_000,
  pollIntervalMs: 20,
  leaseMs: 5000,
  requestTimeoutMs: 2000,
};
// The retry test asserts exact delays: with random() = 0.5 each delay is half its ceiling.
let randomSource: () => number = seededRandom(seed);

describe(`webhooks (seed ${seed})`, () => {
  let database: Database;
  let server: GatewayServer;
  const receivers: WebhookReceiver[] = [];

  before(async () => {
    database = await createMigratedPglite();
    const config = resolveGatewayConfig({
      passwordScryptN: 2 ** 10,
      rateLimit: false,
      port: 0,
      webhooks: settings,
    });
    server = await createGatewayServer(config, {
      database,
      logStream: createLogCapture(),
      webhookSender: { random: () => randomSource() },
    });
  });
  after(async () => {
    await server.close();
    for (const receiver of receivers) await receiver.close();
    await database.close();
  });

  async function receiver(): Promise<WebhookReceiver> {
    const started = await startWebhookReceiver();
    receivers.push(started);
    return started;
  }

  /** A signed-up user owning a merchant; its headers act for the merchant. */
  async function merchant(label: string) {
    const { auth, session } = await signUpAndLogIn(server.app);
    const row = await insertMerchant(database, label, session.user_id);
    return { ...row, headers: { ...auth, 'shardpay-merchant': row.id } };
  }

  async function createEndpoint(
    headers: Record<string, string>,
    url: string,
    events: string[] = ['*'],
  ): Promise<{ id: string; secret: string }> {
    const response = await server.app.inject({
      method: 'POST',
      url: '/v1/webhook_endpoints',
      headers,
      payload: { url, events, description: 'test' },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json() as { id: string; secret: string };
  }

  async function deliveriesOf(headers: Record<string, string>, endpointId: string) {
    const response = await server.app.inject({
      method: 'GET',
      url: `/v1/webhook_endpoints/${endpointId}/deliveries?limit=100`,
      headers,
    });
    assert.equal(response.statusCode, 200, response.body);
    // biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked field by field
    return (response.json() as { data: any[] }).data;
  }

  it('signs each delivery: the SDK verifier accepts it, a tampered body or an old timestamp is refused', async () => {
    const hooks = await receiver();
    const shop = await merchant('signing');
    const endpoint = await createEndpoint(shop.headers, hooks.url);
    assert.match(endpoint.secret, /^whsec_/);
    const eventId = await writeMerchantEvent(database, shop, { data: { object: 'payment', note: 'café ✓' } });
    await waitFor('the event to be delivered', 10_000, () => hooks.received.length >= 1);
    const [got] = hooks.received;
    const header = String(got!.headers['shardpay-signature']);
    assert.equal(got!.headers['shardpay-event-id'], eventId);
    assert.equal(got!.headers['content-type'], 'application/json');
    assert.match(header, /^t=[0-9]+,v1=[0-9a-f]{64}$/);
    assert.ok(verifyWithSdk(header, got!.body, endpoint.secret));
    assert.ok(verifyWithGateway(header, got!.body, endpoint.secret));
    const event = JSON.parse(got!.body);
    assert.deepEqual(Object.keys(event), ['id', 'object', 'type', 'created', 'data']);
    assert.equal(event.id, eventId);
    assert.equal(event.object, 'event');
    assert.equal(event.data.note, 'café ✓');
    // The body is the same JSON as GET /v1/events serves for that event.
    const listed = await server.app.inject({
      method: 'GET',
      url: '/v1/events?limit=1',
      headers: shop.headers,
    });
    assert.deepEqual((listed.json() as { data: unknown[] }).data[0], event);

    assert.equal(verifyWithSdk(header, got!.body.replace('café', 'cafe'), endpoint.secret), false);
    assert.equal(verifyWithSdk(header, got!.body, 'whsec_wrong'), false);
    const t = Number(/t=([0-9]+)/.exec(header)![1]);
    assert.equal(
      verifyWithSdk(header, got!.body, endpoint.secret, { now: new Date((t + 301) * 1000) }),
      false,
    );
    assert.ok(verifyWithSdk(header, got!.body, endpoint.secret, { now: new Date((t + 299) * 1000) }));
    assert.equal(verifyWithSdk(header.replace(/t=[0-9]+/, `t=${t + 1}`), got!.body, endpoint.secret), false);
    assert.equal(verifyWithSdk(undefined, got!.body, endpoint.secret), false);
    assert.equal(verifyWithSdk('v1=abc', got!.body, endpoint.secret), false);

    await waitFor('the delivery to be recorded', 5000, async () => {
      const [delivery] = await deliveriesOf(shop.headers, endpoint.id);
      return delivery?.status === 'succeeded';
    });
    const [delivery] = await deliveriesOf(shop.headers, endpoint.id);
    assert.equal(delivery.event, eventId);
    assert.equal(delivery.attempts, 1);
    assert.equal(delivery.attempt_log.length, 1);
    assert.equal(delivery.attempt_log[0].status_code, 200);
    assert.equal(delivery.attempt_log[0].response_body, 'answered 200');
  });

  it('signs with the old and the new secret during a rotation; both verify', async () => {
    const hooks = await receiver();
    const shop = await merchant('rotation');
    const endpoint = await createEndpoint(shop.headers, hooks.url);
    const rotated = await server.app.inject({
      method: 'POST',
      url: `/v1/webhook_endpoints/${endpoint.id}/rotate_secret`,
      headers: shop.headers,
      payload: { expires_in: 3600 },
    });
    assert.equal(rotated.statusCode, 200, rotated.body);
    const { secret, previous_secret_expires } = rotated.json() as {
      secret: string;
      previous_secret_expires: number;
    };
    assert.notEqual(secret, endpoint.secret);
    assert.ok(previous_secret_expires > Date.now() / 1000 + 3500);
    await writeMerchantEvent(database, shop);
    await waitFor('the event to be delivered', 10_000, () => hooks.received.length >= 1);
    const header = String(hooks.received[0]!.headers['shardpay-signature']);
    assert.match(header, /^t=[0-9]+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    assert.ok(verifyWithSdk(header, hooks.received[0]!.body, secret));
    assert.ok(verifyWithSdk(header, hooks.received[0]!.body, endpoint.secret));
    // expires_in 0: the old secret stops at once.
    const again = await server.app.inject({
      method: 'POST',
      url: `/v1/webhook_endpoints/${endpoint.id}/rotate_secret`,
      headers: shop.headers,
      payload: { expires_in: 0 },
    });
    const newest = (again.json() as { secret: string }).secret;
    await writeMerchantEvent(database, shop);
    await waitFor('the second event to be delivered', 10_000, () => hooks.received.length >= 2);
    const second = String(hooks.received[1]!.headers['shardpay-signature']);
    assert.match(second, /^t=[0-9]+,v1=[0-9a-f]{64}$/);
    assert.ok(verifyWithSdk(second, hooks.received[1]!.body, newest));
    assert.equal(verifyWithSdk(second, hooks.received[1]!.body, secret), false);
    // No body: the default 24 h for the old secret.
    const defaulted = await server.app.inject({
      method: 'POST',
      url: `/v1/webhook_endpoints/${endpoint.id}/rotate_secret`,
      headers: shop.headers,
    });
    assert.equal(defaulted.statusCode, 200, defaulted.body);
    const { previous_secret_expires: until } = defaulted.json() as { previous_secret_expires: number };
    assert.ok(Math.abs(until - (Date.now() / 1000 + 86_400)) < 60);
    const tooLong = await server.app.inject({
      method: 'POST',
      url: `/v1/webhook_endpoints/${endpoint.id}/rotate_secret`,
      headers: shop.headers,
      payload: { expires_in: 604_801 },
    });
    assert.equal(tooLong.statusCode, 400);
  });

  it('retries with growing delays while the receiver is down or failing, then succeeds with the same event id', async () => {
    randomSource = () => 0.5;
    try {
      const hooks = await receiver();
      const shop = await merchant('retries');
      const endpoint = await createEndpoint(shop.headers, hooks.url);
      await hooks.down();
      const eventId = await writeMerchantEvent(database, shop);
      const attemptsSoFar = async () =>
        (
          await database.query<{ n: bigint }>(
            `SELECT count(*) AS n FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
              WHERE d.endpoint_id = $1`,
            [endpoint.id],
          )
        ).rows[0]!.n;
      await waitFor('three refused attempts', 10_000, async () => Number(await attemptsSoFar()) >= 3);
      let failures = 0;
      hooks.answer = () => (failures++ < 2 ? 500 : 200);
      await hooks.up();
      await waitFor('the delivery to succeed', 15_000, async () => {
        const [delivery] = await deliveriesOf(shop.headers, endpoint.id);
        return delivery?.status === 'succeeded';
      });
      const [delivery] = await deliveriesOf(shop.headers, endpoint.id);
      const log = delivery.attempt_log as Array<{ status_code: number | null; error: string | null }>;
      assert.ok(log.length >= 6, JSON.stringify(log));
      assert.equal(log[0]!.error, 'econnrefused');
      assert.equal(log[0]!.status_code, null);
      assert.deepEqual(
        log.slice(-3).map((attempt) => attempt.status_code),
        [500, 500, 200],
      );
      assert.equal(delivery.status, 'succeeded');
      assert.equal(delivery.attempts, log.length);
      // Every request carried the same event id; the receiver saw the last three.
      assert.deepEqual(
        hooks.received.map((request) => request.headers['shardpay-event-id']),
        [eventId, eventId, eventId],
      );
      // The scheduled delays: next_attempt_at − at − duration is random(0.5) · min(1000, 50 · 2^n).
      const rows = await database.query<{ at: Date; next_attempt_at: Date | null; duration_ms: number }>(
        `SELECT a.at, a.next_attempt_at, a.duration_ms FROM webhook_attempts a
           JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.endpoint_id = $1 ORDER BY a.seq`,
        [endpoint.id],
      );
      const scheduled = rows.rows
        .filter((row) => row.next_attempt_at !== null)
        .map(
          (row) => new Date(row.next_attempt_at!).getTime() - new Date(row.at).getTime() - row.duration_ms,
        );
      const expected = scheduled.map((_, index) => Math.min(1000, 50 * 2 ** index) / 2);
      assert.equal(rows.rows.at(-1)!.next_attempt_at, null);
      for (const [index, delay] of scheduled.entries()) {
        assert.ok(
          Math.abs(delay - expected[index]!) <= 2,
          `delay ${index}: ${delay} ms, expected ${expected[index]}`,
        );
        if (index > 0 && expected[index]! > expected[index - 1]!) {
          assert.ok(delay > scheduled[index - 1]!, `delays grow: ${scheduled.join(', ')}`);
        }
      }
    } finally {
      randomSource = seededRandom(seed);
    }
  });

  it('gives a delivery up (failed) once its event is older than maxAge', async () => {
    const hooks = await receiver();
    hooks.answer = () => 503;
    const shop = await merchant('give-up');
    const endpoint = await createEndpoint(shop.headers, hooks.url);
    // Written (as if) 59.7 s ago: 300 ms of retries are left before the 60 s maxAge.
    await writeMerchantEvent(database, shop, { at: new Date(Date.now() - settings.maxAgeMs + 300) });
    await waitFor('the delivery to fail', 10_000, async () => {
      const [delivery] = await deliveriesOf(shop.headers, endpoint.id);
      return delivery?.status === 'failed';
    });
    const [delivery] = await deliveriesOf(shop.headers, endpoint.id);
    assert.ok(delivery.attempts >= 1);
    assert.equal(delivery.last_status_code, 503);
    assert.equal(delivery.next_attempt_at, null);
    assert.equal(delivery.attempt_log.at(-1).next_attempt_at, null);
    const count = hooks.received.length;
    assert.equal(count, delivery.attempts);

    // Redelivery on request: a new attempt now, even after giving up; same event id.
    hooks.answer = () => 200;
    const redelivered = await server.app.inject({
      method: 'POST',
      url: `/v1/webhook_deliveries/${delivery.id}/redeliver`,
      headers: shop.headers,
    });
    assert.equal(redelivered.statusCode, 200, redelivered.body);
    assert.equal((redelivered.json() as { status: string }).status, 'pending');
    await waitFor('the redelivery to succeed', 10_000, async () => {
      const got = await server.app.inject({
        method: 'GET',
        url: `/v1/webhook_deliveries/${delivery.id}`,
        headers: shop.headers,
      });
      return (got.json() as { status: string }).status === 'succeeded';
    });
    assert.equal(hooks.received.length, count + 1);
    assert.equal(hooks.received.at(-1)!.headers['shardpay-event-id'], delivery.event);

    // And again after a success.
    await server.app.inject({
      method: 'POST',
      url: `/v1/webhook_deliveries/${delivery.id}/redeliver`,
      headers: shop.headers,
    });
    await waitFor('the second redelivery', 10_000, () => hooks.received.length === count + 2);
    assert.equal(hooks.received.at(-1)!.headers['shardpay-event-id'], delivery.event);
  });

  it('disabling an endpoint stops its pending deliveries; only matching event types are delivered', async () => {
    const failing = await receiver();
    failing.answer = () => 500;
    const working = await receiver();
    const shop = await merchant('disable');
    const doomed = await createEndpoint(shop.headers, failing.url);
    const filtered = await createEndpoint(shop.headers, working.url, ['payment.updated']);
    await writeMerchantEvent(database, shop, { type: 'payment.created' });
    await waitFor('a failed attempt', 10_000, () => failing.received.length >= 1);
    const deleted = await server.app.inject({
      method: 'DELETE',
      url: `/v1/webhook_endpoints/${doomed.id}`,
      headers: shop.headers,
    });
    assert.equal(deleted.statusCode, 200, deleted.body);
    assert.equal((deleted.json() as { status: string }).status, 'disabled');
    await waitFor('the delivery to be failed', 5000, async () => {
      const [delivery] = await deliveriesOf(shop.headers, doomed.id);
      return delivery?.status === 'failed';
    });
    const [stopped] = await deliveriesOf(shop.headers, doomed.id);
    assert.equal(stopped.last_error, 'endpoint_disabled');
    assert.equal(stopped.next_attempt_at, null);
    // A later event: the filtered endpoint gets the type it asked for; the disabled one nothing. (A
    // request already in flight when it was disabled may still land: only ever the first event.)
    const updated = await writeMerchantEvent(database, shop, { type: 'payment.updated' });
    await waitFor('the payment.updated delivery', 10_000, () => working.received.length >= 1);
    assert.deepEqual(
      working.received.map((request) => request.headers['shardpay-event-id']),
      [updated],
    );
    const filteredDeliveries = await deliveriesOf(shop.headers, filtered.id);
    assert.deepEqual(
      filteredDeliveries.map((delivery) => delivery.event),
      [updated],
    );
    const doomedDeliveries = await deliveriesOf(shop.headers, doomed.id);
    assert.deepEqual(
      doomedDeliveries.map((delivery) => [delivery.id, delivery.status, delivery.last_error]),
      [[stopped.id, 'failed', 'endpoint_disabled']],
    );
    assert.ok(failing.received.every((request) => request.headers['shardpay-event-id'] === stopped.event));
    const redeliver = await server.app.inject({
      method: 'POST',
      url: `/v1/webhook_deliveries/${stopped.id}/redeliver`,
      headers: shop.headers,
    });
    assert.equal(redeliver.statusCode, 400);
    assert.equal(errorOf(redeliver).code, 'webhook_endpoint_disabled');
  });

  it('fans each (endpoint, event) out exactly once, even run concurrently', async () => {
    const hooks = await receiver();
    hooks.answer = () => 500; // keeps the deliveries around
    const shop = await merchant('fan-out');
    const endpoint = await createEndpoint(shop.headers, hooks.url);
    await createEndpoint(shop.headers, hooks.url);
    for (let i = 0; i < 5; i++) await writeMerchantEvent(database, shop);
    await Promise.all([1, 2, 3].map(() => fanOutWebhookEvents(database, new Date())));
    const counts = await database.query<{ endpoint_id: string; n: bigint }>(
      `SELECT d.endpoint_id, count(*) AS n FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id
        WHERE w.merchant_id = $1 GROUP BY d.endpoint_id`,
      [shop.id],
    );
    assert.deepEqual(
      counts.rows.map((row) => Number(row.n)),
      [5, 5],
    );
    // An endpoint created after the events does not get them.
    const late = await createEndpoint(shop.headers, hooks.url);
    await fanOutWebhookEvents(database, new Date());
    assert.deepEqual(await deliveriesOf(shop.headers, late.id), []);
    await server.app.inject({
      method: 'DELETE',
      url: `/v1/webhook_endpoints/${endpoint.id}`,
      headers: shop.headers,
    });
  });

  it('lists, gets and pages endpoints and deliveries; other merchants see none of them', async () => {
    const hooks = await receiver();
    const shop = await merchant('lists');
    const other = await merchant('other');
    const first = await createEndpoint(shop.headers, hooks.url);
    const second = await createEndpoint(shop.headers, `${hooks.url}?b=2`, [
      'payment.created',
      'payment.updated',
    ]);
    const list = await server.app.inject({
      method: 'GET',
      url: '/v1/webhook_endpoints?limit=1',
      headers: shop.headers,
    });
    assert.equal(list.statusCode, 200, list.body);
    const page = list.json() as { data: Array<Record<string, unknown>>; has_more: boolean };
    assert.equal(page.has_more, true);
    assert.equal(page.data[0]!.id, second.id);
    assert.equal('secret' in page.data[0]!, false);
    assert.deepEqual(page.data[0]!.events, ['payment.created', 'payment.updated']);
    const next = await server.app.inject({
      method: 'GET',
      url: `/v1/webhook_endpoints?limit=1&starting_after=${second.id}`,
      headers: shop.headers,
    });
    assert.deepEqual(
      (next.json() as { data: Array<{ id: string }> }).data.map((item) => item.id),
      [first.id],
    );
    const one = await server.app.inject({
      method: 'GET',
      url: `/v1/webhook_endpoints/${first.id}`,
      headers: shop.headers,
    });
    assert.equal(one.statusCode, 200);
    assert.equal((one.json() as { object: string; status: string }).object, 'webhook_endpoint');
    for (const url of [`/v1/webhook_endpoints/${first.id}`, `/v1/webhook_endpoints/${first.id}/deliveries`]) {
      const hidden = await server.app.inject({ method: 'GET', url, headers: other.headers });
      assert.equal(hidden.statusCode, 404, url);
      assert.equal(errorOf(hidden).code, 'resource_missing');
    }
    const otherList = await server.app.inject({
      method: 'GET',
      url: '/v1/webhook_endpoints',
      headers: other.headers,
    });
    assert.deepEqual((otherList.json() as { data: unknown[] }).data, []);

    const events = [await writeMerchantEvent(database, shop), await writeMerchantEvent(database, shop)];
    await waitFor('both deliveries to succeed', 10_000, async () => {
      const deliveries = await deliveriesOf(shop.headers, first.id);
      return deliveries.length === 2 && deliveries.every((delivery) => delivery.status === 'succeeded');
    });
    const deliveries = await deliveriesOf(shop.headers, first.id);
    assert.deepEqual(
      deliveries.map((delivery) => delivery.event),
      [events[1], events[0]],
    );
    const single = await server.app.inject({
      method: 'GET',
      url: `/v1/webhook_deliveries/${deliveries[0].id}`,
      headers: shop.headers,
    });
    assert.equal(single.statusCode, 200);
    assert.deepEqual(single.json(), deliveries[0]);
    const foreign = await server.app.inject({
      method: 'GET',
      url: `/v1/webhook_deliveries/${deliveries[0].id}`,
      headers: other.headers,
    });
    assert.equal(foreign.statusCode, 404);
    const anonymous = await server.app.inject({ method: 'GET', url: '/v1/webhook_endpoints' });
    assert.equal(anonymous.statusCode, 401);
  });

  it('refuses bad URLs and bad event lists', async () => {
    const shop = await merchant('urls');
    const cases: Array<[unknown, unknown, string, string]> = [
      ['ftp://127.0.0.1/hooks', ['*'], 'webhook_url_invalid', 'url'],
      ['http://user:pass@127.0.0.1/hooks', ['*'], 'webhook_url_invalid', 'url'],
      ['not a url', ['*'], 'webhook_url_invalid', 'url'],
      [`https://example.com/${'a'.repeat(2048)}`, ['*'], 'webhook_url_invalid', 'url'],
      ['https://example.com/hooks', ['*', 'payment.created'], 'parameter_invalid', 'events'],
      ['https://example.com/hooks', [], 'parameter_invalid', 'events'],
      ['https://example.com/hooks', ['Payment created'], 'parameter_invalid', 'events.0'],
    ];
    for (const [url, events, code, param] of cases) {
      const response = await server.app.inject({
        method: 'POST',
        url: '/v1/webhook_endpoints',
        headers: shop.headers,
        payload: { url, events },
      });
      assert.equal(
        response.statusCode,
        400,
        `${String(url).slice(0, 40)} ${JSON.stringify(events)}: ${response.body}`,
      );
      const error = errorOf(response);
      assert.equal(error.code, code, response.body);
      assert.ok(error.param?.startsWith(param.split('.')[0]!), response.body);
    }
    // Production: https only.
    assert.throws(() => assertWebhookUrl('http://shop.example.com/hooks', 'production'), /must be https/);
    assert.equal(
      assertWebhookUrl('https://shop.example.com/hooks', 'production'),
      'https://shop.example.com/hooks',
    );
    assert.equal(assertWebhookUrl('http://127.0.0.1:9/x', 'devnet'), 'http://127.0.0.1:9/x');
  });

  it('computes full-jitter delays below min(cap, base · 2^n) and signs like the SDK expects', () => {
    const random = seededRandom(seed);
    for (let failures = 1; failures < 20; failures++) {
      const ceiling = Math.min(
        defaultWebhookSettings.retryCapMs,
        defaultWebhookSettings.retryBaseMs * 2 ** (failures - 1),
      );
      const delay = webhookRetryDelayMs(defaultWebhookSettings, failures, random);
      assert.ok(delay >= 0 && delay < ceiling, `${failures}: ${delay} ≥ ${ceiling}`);
    }
    assert.equal(
      webhookRetryDelayMs(defaultWebhookSettings, 30, () => 0.999999),
      3_599_996,
    );
    const body = '{"id":"evt_x"}';
    const headers = signWebhookPayload(body, ['whsec_a', 'whsec_b'], 1_700_000_000, 'evt_x');
    const now = new Date(1_700_000_000_000);
    assert.ok(verifyWithSdk(headers['shardpay-signature'], body, 'whsec_a', { now }));
    assert.ok(verifyWithSdk(headers['shardpay-signature'], body, 'whsec_b', { now }));
    assert.ok(verifyWithGateway(headers['shardpay-signature'], body, 'whsec_b', { now }));
    assert.equal(verifyWithSdk(headers['shardpay-signature'], body, 'whsec_c', { now }), false);
  });
});
