import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { waitFor } from '@shardpay/node/testing';
import { TEST_API_KEY, testCard } from './helpers/testBank.ts';

const bin = join(import.meta.dirname, '..', 'bin', 'shardpay-bank.js');

interface RunningBank {
  child: ChildProcess;
  url: string;
  stderr: () => string;
}

/** Starts `shardpay-bank` on a free port and reads its URL from the "listening" log line. */
async function startBank(env: Record<string, string>): Promise<RunningBank> {
  const child = spawn(process.execPath, [bin], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bank did not start: ${stderr}`)), 60_000);
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      const match = /"url":"(http:\/\/[^"]+)".*bank sandbox listening/.exec(stdout);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bank exited with ${code}: ${stderr}`));
    });
  });
  return { child, url, stderr: () => stderr };
}

function client(url: string) {
  const headers = { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' };
  return {
    post: (path: string, body: unknown, key: string) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { ...headers, 'idempotency-key': key },
        body: JSON.stringify(body),
      }),
    // biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked field by field
    get: async (path: string): Promise<any> => (await fetch(`${url}${path}`, { headers })).json(),
  };
}

const intentBody = (amount: string) => ({
  amount,
  currency: 'usd',
  card: testCard('4242424242424242'),
  capture_method: 'manual',
});

describe('the shardpay-bank process', () => {
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  after(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('refuses to start without SHARDPAY_BANK_API_KEY', async () => {
    const child = spawn(process.execPath, [bin], {
      env: { ...process.env, SHARDPAY_BANK_API_KEY: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    const [code] = await once(child, 'exit');
    assert.equal(code, 1);
    assert.match(stderr, /CONFIG_INVALID: SHARDPAY_BANK_API_KEY/);
  });

  it('survives kill -9: state intact, overdue payouts settle at start, replays answer the stored response', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'shardpay-bank-'));
    dirs.push(dataDir);
    const env = {
      SHARDPAY_BANK_API_KEY: TEST_API_KEY,
      SHARDPAY_BANK_DATA_DIR: dataDir,
      SHARDPAY_BANK_PAYOUT_DELAY_MS: '3000',
    };
    const first = await startBank(env);
    children.push(first.child);
    let bank = client(first.url);
    const health = await fetch(`${first.url}/health`);
    assert.equal(health.headers.get('shardpay-sandbox'), 'true');

    const authorized = await bank.post('/v1/payment_intents', intentBody('500.00'), 'durable-intent');
    assert.equal(authorized.status, 200);
    const authorizedText = await authorized.text();
    const intentId = JSON.parse(authorizedText).id as string;
    assert.equal(
      (await bank.post(`/v1/payment_intents/${intentId}/capture`, {}, 'durable-capture')).status,
      200,
    );
    const held = (await (
      await bank.post('/v1/payment_intents', intentBody('20.00'), 'durable-held')
    ).json()) as {
      id: string;
    };
    const payoutResponse = await bank.post(
      '/v1/payouts',
      {
        amount: '120.00',
        currency: 'usd',
        destination: { routing_number: '110000000', account_number: '000123456789' },
      },
      'durable-payout',
    );
    const payoutText = await payoutResponse.text();
    const payoutId = JSON.parse(payoutText).id as string;
    assert.equal((await bank.get(`/v1/payouts/${payoutId}`)).status, 'pending');
    // A burst of requests in flight when the process dies: each must be whole or absent afterwards.
    const burst = Array.from({ length: 12 }, (_, index) =>
      bank
        .post('/v1/payment_intents', { ...intentBody('1.00'), capture_method: 'automatic' }, `burst-${index}`)
        .catch(() => undefined),
    );
    await Promise.race(burst);
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    await Promise.all(burst);

    const second = await startBank(env);
    children.push(second.child);
    bank = client(second.url);
    assert.equal((await bank.get(`/v1/payment_intents/${intentId}`)).status, 'succeeded');
    assert.equal((await bank.get(`/v1/payment_intents/${held.id}`)).status, 'requires_capture');
    await waitFor('the overdue payout to settle', 20_000, async () => {
      return (await bank.get(`/v1/payouts/${payoutId}`)).status === 'paid';
    });
    const replayIntent = await bank.post('/v1/payment_intents', intentBody('500.00'), 'durable-intent');
    assert.equal(replayIntent.headers.get('idempotent-replayed'), 'true');
    assert.equal(await replayIntent.text(), authorizedText);
    const replayPayout = await bank.post(
      '/v1/payouts',
      {
        amount: '120.00',
        currency: 'usd',
        destination: { routing_number: '110000000', account_number: '000123456789' },
      },
      'durable-payout',
    );
    assert.equal(replayPayout.headers.get('idempotent-replayed'), 'true');
    assert.equal(await replayPayout.text(), payoutText);

    // Every captured intent has exactly one capture row, and the reserve equals its ledger.
    const intents = (await bank.get('/v1/payment_intents?limit=100')).data as Array<{
      id: string;
      status: string;
      amount: string;
    }>;
    const ledger = (await bank.get('/v1/reserve/transactions?limit=100')).data as Array<{
      type: string;
      amount: string;
      source: string;
    }>;
    const captured = intents.filter((intent) => intent.status === 'succeeded');
    for (const intent of captured) {
      assert.equal(
        ledger.filter((row) => row.type === 'capture' && row.source === intent.id).length,
        1,
        intent.id,
      );
    }
    assert.equal(ledger.filter((row) => row.type === 'capture').length, captured.length);
    const cents = (text: string) => Math.round(Number(text) * 100);
    const ledgerSum = ledger.reduce((sum, row) => sum + cents(row.amount), 0);
    const reserve = await bank.get('/v1/reserve');
    assert.equal(cents(reserve.available), ledgerSum);
    assert.equal(cents(reserve.available), cents('500.00') - cents('120.00') + (captured.length - 1) * 100);
    // Retrying every burst key: done ones replay, lost ones run now; either way one intent per key.
    for (let index = 0; index < 12; index++) {
      const retry = await bank.post(
        '/v1/payment_intents',
        { ...intentBody('1.00'), capture_method: 'automatic' },
        `burst-${index}`,
      );
      assert.equal(retry.status, 200);
    }
    const burstIntents = (
      (await bank.get('/v1/payment_intents?limit=100')).data as Array<{ amount: string }>
    ).filter((intent) => intent.amount === '1.00');
    assert.equal(burstIntents.length, 12);

    second.child.kill('SIGTERM');
    const [code] = await once(second.child, 'exit');
    assert.equal(code, 0, second.stderr());
  });
});
