import { randomBytes } from 'node:crypto';
import type { Database } from '@shardpay/database';
import type { FastifyBaseLogger } from 'fastify';
import { type EventRow, eventToJson } from '../events/writeEvent.ts';
import type { CrashHook } from '../ramp/crashPoints.ts';
import { fanOutWebhookEvents } from './fanOutWebhookEvents.ts';
import { readResponseStart } from './readResponseStart.ts';
import { signWebhookPayload } from './signWebhookPayload.ts';
import { createWebhookId } from './webhookIds.ts';
import { type WebhookSettings, webhookRetryDelayMs } from './webhookSettings.ts';

/** The durable webhook driver: every replica runs one, all share the database. */
export interface WebhookSender {
  start(): void;
  /** Stops the loop, aborts requests in flight (their deliveries go back to pending) and waits. */
  stop(): Promise<void>;
  /** Runs a round soon (an endpoint was created, a redelivery asked). */
  wake(): void;
  /** One round now: fan out new events, then send every due delivery. */
  runOnce(): Promise<void>;
}

export interface WebhookSenderDeps {
  database: Database;
  now: () => Date;
  settings: WebhookSettings;
  /** In [0, 1), for retry jitter (seeded in tests). */
  random: () => number;
  /** TEST ONLY: `during_webhook_delivery` fires after the request was answered, before it is recorded. */
  crash: CrashHook;
  log: FastifyBaseLogger;
}

interface ClaimedDelivery {
  id: string;
  attempts: number;
  endpoint_status: string;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | string | null;
  event_seq: bigint;
  event_id: string;
  event_user_id: string;
  event_merchant_id: string | null;
  event_type: string;
  event_data: EventRow['data'];
  event_created_at: Date | string;
}

interface AttemptResult {
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
}

const batchSize = 20;

/**
 * A loop that fans merchant events out to deliveries and sends due ones: at start, every
 * `pollIntervalMs`, and on `wake()`. Deliveries are claimed with `FOR UPDATE SKIP LOCKED` and a lease
 * (`lease_until`), so replicas share the work and a replica killed mid-request has its deliveries
 * sent again once the lease ends (at least once, with the same event id).
 */
export function createWebhookSender(deps: WebhookSenderDeps): WebhookSender {
  const { database, settings } = deps;
  const owner = `ws_${randomBytes(8).toString('hex')}`;
  const inFlight = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  let again = false;

  async function claim(): Promise<ClaimedDelivery[]> {
    const at = deps.now();
    const claimed = await database.query<{ id: string }>(
      `UPDATE webhook_deliveries SET status = 'delivering', lease_owner = $1, lease_until = $2, updated_at = $3
        WHERE id IN (SELECT id FROM webhook_deliveries
                      WHERE (status = 'pending' AND next_attempt_at <= $3)
                         OR (status = 'delivering' AND lease_until < $3)
                      ORDER BY next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [owner, new Date(at.getTime() + settings.leaseMs).toISOString(), at.toISOString(), batchSize],
    );
    if (claimed.rows.length === 0) return [];
    const rows = await database.query<ClaimedDelivery>(
      `SELECT d.id, d.attempts, w.status AS endpoint_status, w.url, w.secret, w.previous_secret,
              w.previous_secret_expires_at, e.seq AS event_seq, e.id AS event_id, e.user_id AS event_user_id,
              e.merchant_id AS event_merchant_id, e.type AS event_type, e.data AS event_data,
              e.created_at AS event_created_at
         FROM webhook_deliveries d
         JOIN webhook_endpoints w ON w.id = d.endpoint_id
         JOIN events e ON e.id = d.event_id
        WHERE d.id = ANY($1::text[]) AND d.lease_owner = $2`,
      [claimed.rows.map((row) => row.id), owner],
    );
    return rows.rows;
  }

  async function post(delivery: ClaimedDelivery): Promise<AttemptResult> {
    const startedAt = deps.now();
    const event = eventToJson({
      seq: delivery.event_seq,
      id: delivery.event_id,
      user_id: delivery.event_user_id,
      merchant_id: delivery.event_merchant_id,
      type: delivery.event_type,
      data: delivery.event_data,
      created_at: delivery.event_created_at,
    });
    const body = JSON.stringify(event);
    const secrets = [delivery.secret];
    const previousUntil = delivery.previous_secret_expires_at;
    if (delivery.previous_secret !== null && previousUntil !== null && new Date(previousUntil) > startedAt) {
      secrets.push(delivery.previous_secret);
    }
    const signature = signWebhookPayload(body, secrets, Math.floor(startedAt.getTime() / 1000), event.id);
    const started = performance.now();
    const signal = AbortSignal.any([inFlight.signal, AbortSignal.timeout(settings.requestTimeoutMs)]);
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Shardpay-Webhooks/1.0', ...signature },
        body,
        // A redirect is an answer like any other non-2xx: never followed (it could point anywhere).
        redirect: 'manual',
        signal,
      });
      const responseBody = await readResponseStart(response);
      return {
        startedAt,
        durationMs: Math.round(performance.now() - started),
        statusCode: response.status,
        error: null,
        responseBody,
      };
    } catch (error) {
      return {
        startedAt,
        durationMs: Math.round(performance.now() - started),
        statusCode: null,
        error: describeFailure(error),
        responseBody: null,
      };
    }
  }

  async function record(delivery: ClaimedDelivery, result: AttemptResult): Promise<void> {
    const at = deps.now();
    const succeeded = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    let status: 'succeeded' | 'pending' | 'failed' = 'succeeded';
    let next: Date | null = null;
    if (!succeeded) {
      // Counted from the end of the attempt (not from when it is recorded): the delay is exactly the backoff.
      const delay = webhookRetryDelayMs(settings, delivery.attempts + 1, deps.random);
      next = new Date(result.startedAt.getTime() + result.durationMs + delay);
      const giveUpAt = new Date(delivery.event_created_at).getTime() + settings.maxAgeMs;
      status = next.getTime() > giveUpAt ? 'failed' : 'pending';
      if (status === 'failed') next = null;
    }
    const lastError = result.error ?? (succeeded ? null : `HTTP ${result.statusCode}`);
    await database.transaction(async (tx) => {
      const moved = await tx.query(
        `UPDATE webhook_deliveries SET status = $3, attempts = attempts + 1, next_attempt_at = $4,
                lease_owner = NULL, lease_until = NULL, last_status_code = $5, last_error = $6, updated_at = $7
          WHERE id = $1 AND lease_owner = $2 AND status = 'delivering'`,
        [
          delivery.id,
          owner,
          status,
          next?.toISOString() ?? null,
          result.statusCode,
          lastError,
          at.toISOString(),
        ],
      );
      if (moved.rowCount === 0) {
        // Redelivered or its endpoint disabled meanwhile: count and log the attempt, leave the rest alone.
        next = null;
        await tx.query(
          'UPDATE webhook_deliveries SET attempts = attempts + 1, updated_at = $2 WHERE id = $1',
          [delivery.id, at.toISOString()],
        );
      }
      await tx.query(
        `INSERT INTO webhook_attempts (id, delivery_id, at, duration_ms, status_code, error, response_body, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          createWebhookId('wha'),
          delivery.id,
          result.startedAt.toISOString(),
          result.durationMs,
          result.statusCode,
          result.error,
          result.responseBody,
          next === null ? null : (next as Date).toISOString(),
        ],
      );
    });
  }

  /** Gives a claimed delivery back untouched (this replica is stopping): no attempt is counted. */
  async function release(delivery: ClaimedDelivery): Promise<void> {
    await database.query(
      `UPDATE webhook_deliveries SET status = 'pending', lease_owner = NULL, lease_until = NULL
        WHERE id = $1 AND lease_owner = $2 AND status = 'delivering'`,
      [delivery.id, owner],
    );
  }

  async function deliver(delivery: ClaimedDelivery): Promise<void> {
    if (delivery.endpoint_status !== 'enabled') {
      await database.query(
        `UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, lease_owner = NULL,
                lease_until = NULL, last_error = 'endpoint_disabled', updated_at = $3
          WHERE id = $1 AND lease_owner = $2 AND status = 'delivering'`,
        [delivery.id, owner, deps.now().toISOString()],
      );
      return;
    }
    const result = await post(delivery);
    if (inFlight.signal.aborted && result.statusCode === null) {
      // Cut short by stop(): not the receiver's fault, so not an attempt.
      await release(delivery);
      return;
    }
    deps.crash('during_webhook_delivery');
    await record(delivery, result);
    deps.log.debug(
      { delivery: delivery.id, event: delivery.event_id, status: result.statusCode, error: result.error },
      'webhook attempt recorded',
    );
  }

  async function round(): Promise<void> {
    await fanOutWebhookEvents(database, deps.now());
    for (;;) {
      if (stopped) return;
      const deliveries = await claim();
      await Promise.all(
        deliveries.map((delivery) =>
          deliver(delivery).catch((error: unknown) =>
            deps.log.error({ err: error, delivery: delivery.id }, 'recording a webhook delivery failed'),
          ),
        ),
      );
      if (deliveries.length < batchSize) return;
    }
  }

  function runOnce(): Promise<void> {
    if (running !== undefined) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await round();
        } while (again && !stopped);
      } catch (error) {
        if (!inFlight.signal.aborted) deps.log.error({ err: error }, 'webhook round failed; retrying');
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void runOnce().then(() => schedule(settings.pollIntervalMs));
    }, delayMs);
    timer.unref?.();
  }

  return {
    start() {
      if (!stopped || inFlight.signal.aborted) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      inFlight.abort();
      await running;
    },
    wake() {
      if (stopped) return;
      if (running !== undefined) again = true;
      else schedule(0);
    },
    runOnce,
  };
}

/** A short reason for an attempt that got no HTTP answer (connection refused, timeout, DNS…). */
function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timeout';
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    if (cause !== undefined && typeof cause.code === 'string') return cause.code.toLowerCase();
    if (cause !== undefined && typeof cause.message === 'string') return cause.message.slice(0, 200);
    return error.message.slice(0, 200);
  }
  return 'request failed';
}
