import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@shardpay/node/testing';
import { fiatToMinor } from '../src/bank/fiatAmounts.ts';
import type { CrashStep } from '../src/ramp/crashPoints.ts';
import {
  balanceOf,
  bankObjectsFor,
  buy,
  cashOut,
  createRampUser,
  type RampHarness,
  readReservesApi,
  startRampHarness,
  waitForStatus,
} from './helpers/rampHarness.ts';

const seed = Number(process.env.GATEWAY_TEST_SEED ?? 7);

/**
 * Each scenario runs a gateway whose worker (or request) dies at one step — it stops dead, records
 * nothing more, its lease runs out — then a new gateway on the same database finishes the job. After
 * each: exactly one mint and one capture, or exactly one payout (or a clean refund), and the supply
 * moved exactly as the reserve did.
 */
describe(`money in and out survives a crash at every step (seed ${seed})`, () => {
  let harness: RampHarness;
  before(async () => {
    harness = await startRampHarness(seed);
  });
  after(async () => {
    await harness?.stop();
  });

  async function assertOnePurchase(purchaseId: string, amount: bigint) {
    const intents = await bankObjectsFor(harness, '/v1/payment_intents', 'purchase', purchaseId);
    assert.equal(intents.length, 1, 'exactly one authorization');
    assert.equal(intents[0]!.status, 'succeeded');
    assert.equal(fiatToMinor(String(intents[0]!.amount_received)), amount, 'captured once');
  }

  const purchaseSteps: CrashStep[] = ['after_mint_submit', 'after_mint_final', 'after_capture'];
  for (const step of purchaseSteps) {
    it(`a purchase: crash ${step}, restart → one mint, one capture`, async () => {
      const crashing = await harness.startGateway({ crashAt: step });
      const user = await createRampUser(crashing.app, `crash-${step}`);
      const before = await readReservesApi(crashing.app);
      const response = await buy(crashing.app, user, '12.00');
      assert.equal(response.statusCode, 201, response.body);
      const { id } = response.json() as { id: string };
      await waitFor(`the gateway to crash at ${step}`, 20_000, () => crashing.crashed());
      const restarted = await harness.startGateway();
      try {
        const done = await waitForStatus(restarted.app, user.auth, `/v1/purchases/${id}`, [
          'succeeded',
          'failed',
        ]);
        assert.equal(done.status, 'succeeded');
        assert.equal(await balanceOf(harness, user.address), 12_000_000n);
        await assertOnePurchase(id, 12_000_000n);
        const afterwards = await readReservesApi(restarted.app);
        assert.equal(afterwards.supplyMinor - before.supplyMinor, 12_000_000n, 'one mint');
        assert.equal(afterwards.reserveMinor - before.reserveMinor, 12_000_000n, 'one capture');
        assert.equal(afterwards.matches, true, afterwards.difference);
      } finally {
        await restarted.close();
        await crashing.close();
      }
    });
  }

  it('a purchase: crash after_authorize (in the request), the client retries → the same authorization', async () => {
    const crashing = await harness.startGateway({ crashAt: 'after_authorize' });
    const user = await createRampUser(crashing.app, 'crash-authorize');
    const before = await readReservesApi(crashing.app);
    const key = 'crash-after-authorize';
    const first = await buy(crashing.app, user, '7.00', undefined, key);
    assert.equal(first.statusCode, 500);
    assert.ok(crashing.crashed());
    // What a killed process leaves: the idempotency claim still running (nothing was sent), old enough
    // to be taken over by the client's retry.
    await harness.database.query(
      `UPDATE idempotency_keys SET state = 'running', response_status = NULL, response_body = NULL,
              locked_at = now() - interval '5 minutes' WHERE key = $1`,
      [key],
    );
    const restarted = await harness.startGateway();
    try {
      const retry = await buy(restarted.app, user, '7.00', undefined, key);
      assert.equal(retry.statusCode, 201, retry.body);
      const { id } = retry.json() as { id: string };
      await waitForStatus(restarted.app, user.auth, `/v1/purchases/${id}`, ['succeeded']);
      await assertOnePurchase(id, 7_000_000n);
      assert.equal(await balanceOf(harness, user.address), 7_000_000n);
      const afterwards = await readReservesApi(restarted.app);
      assert.equal(afterwards.supplyMinor - before.supplyMinor, 7_000_000n);
      assert.equal(afterwards.reserveMinor - before.reserveMinor, 7_000_000n);
    } finally {
      await restarted.close();
      await crashing.close();
    }
  });

  const cashoutSteps: Array<[CrashStep, string, 'paid' | 'refunded']> = [
    ['after_burn_final', '000123456789', 'paid'],
    ['during_payout', '000123456789', 'paid'],
    ['during_payout', '000555555559', 'paid'],
    ['after_refund_submit', '000111111113', 'refunded'],
  ];
  for (const [step, account, outcome] of cashoutSteps) {
    it(`a cash-out to ${account}: crash ${step}, restart → ${outcome === 'paid' ? 'one payout' : 'one clean refund'}`, async () => {
      const funding = await harness.startGateway();
      const user = await createRampUser(funding.app, `crash-${step}-${account}`);
      const bought = await buy(funding.app, user, '20.00');
      await waitForStatus(funding.app, user.auth, `/v1/purchases/${(bought.json() as { id: string }).id}`, [
        'succeeded',
      ]);
      await funding.close();
      const crashing = await harness.startGateway({ crashAt: step });
      const before = await readReservesApi(crashing.app);
      const cashout = await cashOut(harness, crashing.app, user, '8.00', account);
      await waitFor(`the gateway to crash at ${step}`, 20_000, () => crashing.crashed());
      const restarted = await harness.startGateway();
      try {
        const done = await waitForStatus(restarted.app, user.auth, `/v1/cashouts/${cashout.id}`, [
          'paid',
          'refunded',
        ]);
        assert.equal(done.status, outcome);
        const payouts = await bankObjectsFor(harness, '/v1/payouts', 'cashout', cashout.id);
        assert.equal(payouts.length, 1, 'exactly one payout');
        const afterwards = await readReservesApi(restarted.app);
        const moved = outcome === 'paid' ? 8_000_000n : 0n;
        assert.equal(await balanceOf(harness, user.address), 20_000_000n - moved);
        assert.equal(before.supplyMinor - afterwards.supplyMinor, moved, 'supply');
        assert.equal(before.reserveMinor - afterwards.reserveMinor, moved, 'reserve');
        assert.equal(afterwards.matches, true, afterwards.difference);
      } finally {
        await restarted.close();
        await crashing.close();
      }
    });
  }

  it('two replicas buying at once share the issuer lane: every purchase minted once, in nonce order', async () => {
    const replicas = [await harness.startGateway(), await harness.startGateway()];
    try {
      const users = await Promise.all(
        [0, 1, 2, 3, 4, 5].map((index) => createRampUser(replicas[index % 2]!.app, `replica-${index}`)),
      );
      const before = await readReservesApi(replicas[0]!.app);
      const responses = await Promise.all(
        users.map((user, index) => buy(replicas[index % 2]!.app, user, `${index + 1}.00`)),
      );
      const ids = responses.map((response) => {
        assert.equal(response.statusCode, 201, response.body);
        return (response.json() as { id: string }).id;
      });
      for (const [index, id] of ids.entries()) {
        const user = users[index]!;
        const done = await waitForStatus(replicas[(index + 1) % 2]!.app, user.auth, `/v1/purchases/${id}`, [
          'succeeded',
          'failed',
        ]);
        assert.equal(done.status, 'succeeded');
        assert.equal(await balanceOf(harness, user.address), BigInt(index + 1) * 1_000_000n);
        await assertOnePurchase(id, BigInt(index + 1) * 1_000_000n);
      }
      const nonces = await harness.database.query<{ mint_nonce: bigint }>(
        'SELECT mint_nonce FROM purchases WHERE id = ANY($1::text[]) ORDER BY mint_nonce',
        [ids],
      );
      const distinct = new Set(nonces.rows.map((row) => String(row.mint_nonce)));
      assert.equal(distinct.size, ids.length, 'one nonce per mint');
      const afterwards = await readReservesApi(replicas[0]!.app);
      assert.equal(afterwards.supplyMinor - before.supplyMinor, 21_000_000n);
      assert.equal(afterwards.reserveMinor - before.reserveMinor, 21_000_000n);
    } finally {
      for (const replica of replicas) await replica.close();
    }
  });

  it('the audit log of all those crashes verifies', async () => {
    const gateway = await harness.startGateway();
    try {
      const response = await gateway.app.inject({ method: 'GET', url: '/v1/audit/verify' });
      assert.equal((response.json() as { valid: boolean }).valid, true, response.body);
    } finally {
      await gateway.close();
    }
  });
});
