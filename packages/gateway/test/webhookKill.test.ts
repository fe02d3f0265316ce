/**
 * A gateway process killed mid-delivery delivers the event after a restart (at least once, same
 * event id). The merchant, its endpoint and one event are written to a PGlite folder first (PGlite is
 * one process at a time); then the real `shardpay-gateway` is started on that folder with the
 * test-only `SHARDPAY_CRASH_AT=during_webhook_delivery`: it POSTs the event, the receiver answers
 * 200, and the process SIGKILLs itself before recording the answer. Restarted without the variable,
 * it sends the event again once the dead process's lease (1.5 s here) has run out, and records it.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createPgliteDatabase, type Database, runMigrations } from '@shardpay/database';
import { verifyWebhookSignature } from '@shardpay/sdk';
import { gatewayMigrationsDirectory } from '../src/db/migrationsDirectory.ts';
import { waitFor } from './helpers/eventStreamClient.ts';
import {
  insertMerchant,
  startWebhookReceiver,
  type WebhookReceiver,
  writeMerchantEvent,
} from './helpers/webhookHarness.ts';

const bin = join(import.meta.dirname, '..', 'bin', 'shardpay-gateway.js');
const secret = 'whsec_kill-test-secret-0123456789abcdef';

interface RunningGateway {
  child: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

function startGateway(dataDir: string, env: Record<string, string>): RunningGateway {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    SHARDPAY_MODE: 'test',
    PORT: '0',
    SHARDPAY_GATEWAY_DATA_DIR: dataDir,
    SHARDPAY_RATE_LIMIT_MAX: '0',
    SHARDPAY_WEBHOOK_POLL_MS: '50',
    SHARDPAY_WEBHOOK_TIMEOUT_MS: '1000',
    SHARDPAY_WEBHOOK_LEASE_MS: '1500',
    LOG_LEVEL: 'debug',
    ...env,
  };
  delete childEnv.DATABASE_URL;
  delete childEnv.SHARDPAY_CHAIN_NODES;
  if (env.SHARDPAY_CRASH_AT === undefined) delete childEnv.SHARDPAY_CRASH_AT;
  const child = spawn(process.execPath, [bin], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exit, output: () => output };
}

async function withDatabase<T>(dataDir: string, use: (database: Database) => Promise<T>): Promise<T> {
  const database = await createPgliteDatabase({ dataDir });
  try {
    return await use(database);
  } finally {
    await database.close();
  }
}

describe('a gateway process killed mid-delivery', () => {
  const cleanup: Array<() => Promise<void>> = [];
  after(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('delivers the event again after a restart, with the same event id', { timeout: 120_000 }, async () => {
    const root = await mkdtemp(join(tmpdir(), 'shardpay-webhook-kill-'));
    cleanup.push(() => rm(root, { recursive: true, force: true }));
    const dataDir = join(root, 'gateway-db');
    const receiver: WebhookReceiver = await startWebhookReceiver();
    cleanup.push(() => receiver.close());

    const eventId = await withDatabase(dataDir, async (database) => {
      await runMigrations(database, gatewayMigrationsDirectory);
      const merchant = await insertMerchant(database, 'kill');
      await database.query(
        `INSERT INTO webhook_endpoints (id, merchant_id, url, events, status, secret, after_seq, created_at)
         VALUES ($1, $2, $3, ARRAY['*'], 'enabled', $4, 0, $5)`,
        ['we_killtestendpoint0000000', merchant.id, receiver.url, secret, new Date().toISOString()],
      );
      return writeMerchantEvent(database, merchant);
    });

    const crashing = startGateway(dataDir, { SHARDPAY_CRASH_AT: 'during_webhook_delivery' });
    cleanup.push(async () => {
      if (crashing.child.exitCode === null && crashing.child.signalCode === null)
        crashing.child.kill('SIGKILL');
    });
    const died = await Promise.race([
      crashing.exit,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 60_000).unref()),
    ]);
    assert.ok(died !== undefined, `the gateway did not die: ${crashing.output()}`);
    assert.equal(died.signal, 'SIGKILL', `exit ${died.code} / ${died.signal}: ${crashing.output()}`);
    assert.equal(receiver.received.length, 1, 'the request was sent (and answered) before the kill');
    assert.equal(receiver.received[0]!.headers['shardpay-event-id'], eventId);

    const restarted = startGateway(dataDir, {});
    cleanup.push(async () => {
      if (restarted.child.exitCode === null && restarted.child.signalCode === null)
        restarted.child.kill('SIGKILL');
    });
    await waitFor('the restarted gateway to deliver again', 60_000, () => receiver.received.length >= 2);
    // Let it record the answer (a debug line says so), then stop it gracefully to read the database.
    await waitFor('the attempt to be recorded', 10_000, () =>
      restarted.output().includes('webhook attempt recorded'),
    );
    restarted.child.kill('SIGTERM');
    const stopped = await restarted.exit;
    assert.equal(stopped.code, 0, restarted.output());

    for (const request of receiver.received) {
      assert.equal(request.headers['shardpay-event-id'], eventId);
      assert.equal(JSON.parse(request.body).id, eventId);
      assert.ok(verifyWebhookSignature(String(request.headers['shardpay-signature']), request.body, secret));
    }
    await withDatabase(dataDir, async (database) => {
      const deliveries = await database.query<{ status: string; attempts: number }>(
        'SELECT status, attempts FROM webhook_deliveries WHERE event_id = $1',
        [eventId],
      );
      assert.equal(deliveries.rows.length, 1);
      // The killed attempt left no record; the one after the restart is the delivery's only attempt.
      assert.deepEqual(deliveries.rows[0], { status: 'succeeded', attempts: 1 });
    });
  });
});
