import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@shardpay/node/testing';
import { createPayoutScheduler } from '../src/payouts/createPayoutScheduler.ts';
import { settleDuePayouts } from '../src/payouts/settleDuePayouts.ts';
import { createTestBank, reserveAndLedger, type TestBank } from './helpers/testBank.ts';

const payoutBody = (account: string, amount = '10.00') => ({
  amount,
  currency: 'usd',
  destination: { routing_number: '110000000', account_number: account },
  description: 'cash-out',
  metadata: { burn: 'tx_1' },
});

describe('payouts to the test bank accounts', () => {
  let bank: TestBank;
  before(async () => {
    bank = await createTestBank({ payoutDelayMs: 1000 });
    await bank.fundReserve('1000.00');
  });
  after(() => bank.close());

  const available = async () => {
    const { available, ledgerSum } = await reserveAndLedger(bank);
    assert.equal(available, ledgerSum, 'the reserve balance must equal the sum of its ledger');
    return available;
  };
  const settle = async () => {
    bank.advance(1000);
    return settleDuePayouts(bank.database, bank.now());
  };

  it('000123456789 pays: pending (reserve debited at once), then paid', async () => {
    const start = Number(await available());
    const response = await bank.post('/v1/payouts', payoutBody('000123456789', '25.50'));
    assert.equal(response.statusCode, 200, response.body);
    const payout = response.json();
    assert.match(payout.id, /^po_/);
    assert.equal(payout.object, 'payout');
    assert.equal(payout.status, 'pending');
    assert.equal(payout.amount, '25.50');
    assert.deepEqual(payout.destination, {
      object: 'bank_account',
      routing_number: '110000000',
      last4: '6789',
    });
    assert.equal(payout.failure_code, null);
    assert.equal(payout.livemode, false);
    assert.deepEqual(payout.metadata, { burn: 'tx_1' });
    assert.ok(!response.body.includes('000123456789'));
    assert.equal(Number(await available()), start - 25.5);
    const reserve = (await bank.get('/v1/reserve')).json();
    assert.equal(reserve.object, 'reserve_balance');
    assert.equal(reserve.pending_payouts, '25.50');
    assert.equal(await settleDuePayouts(bank.database, bank.now()), 0, 'not due before the delay');
    assert.equal(await settle(), 1);
    const settled = (await bank.get(`/v1/payouts/${payout.id}`)).json();
    assert.equal(settled.status, 'paid');
    assert.equal(Number(await available()), start - 25.5);
    assert.equal((await bank.get('/v1/reserve')).json().pending_payouts, '0.00');
  });

  const failing: Array<[string, string]> = [
    ['000111111116', 'no_account'],
    ['000111111113', 'account_closed'],
    ['000222222227', 'insufficient_funds'],
  ];
  for (const [account, failureCode] of failing) {
    it(`${account} fails with ${failureCode} and the amount returns to the reserve`, async () => {
      const start = await available();
      const payout = (await bank.post('/v1/payouts', payoutBody(account, '7.00'))).json();
      assert.equal(payout.status, 'pending');
      assert.equal(Number(await available()), Number(start) - 7);
      await settle();
      const settled = (await bank.get(`/v1/payouts/${payout.id}`)).json();
      assert.equal(settled.status, 'failed');
      assert.equal(settled.failure_code, failureCode);
      assert.equal(typeof settled.failure_message, 'string');
      assert.equal(await available(), start);
      const ledger = (await bank.get('/v1/reserve/transactions?limit=2')).json().data;
      assert.deepEqual(
        ledger.map((row: { type: string; amount: string; source: string }) => [
          row.type,
          row.amount,
          row.source,
        ]),
        [
          ['payout_reversal', '7.00', payout.id],
          ['payout', '-7.00', payout.id],
        ],
      );
    });
  }

  it('000555555559 answers 503 bank_unavailable twice per key without creating anything, then pays', async () => {
    const start = await available();
    const count = async () => (await bank.database.query('SELECT 1 FROM payouts')).rowCount;
    const payoutsBefore = await count();
    for (let attempt = 0; attempt < 2; attempt++) {
      const unavailable = await bank.post('/v1/payouts', payoutBody('000555555559'), 'flaky-1');
      assert.equal(unavailable.statusCode, 503);
      assert.equal(unavailable.json().error.type, 'api_error');
      assert.equal(unavailable.json().error.code, 'bank_unavailable');
      assert.equal(unavailable.headers['idempotent-replayed'], undefined);
      assert.equal(await count(), payoutsBefore);
      assert.equal(await available(), start);
    }
    const paid = await bank.post('/v1/payouts', payoutBody('000555555559'), 'flaky-1');
    assert.equal(paid.statusCode, 200);
    assert.equal(paid.json().status, 'pending');
    const replay = await bank.post('/v1/payouts', payoutBody('000555555559'), 'flaky-1');
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.equal(replay.body, paid.body);
    assert.equal(await count(), payoutsBefore + 1);
    // Another key starts its own count.
    assert.equal((await bank.post('/v1/payouts', payoutBody('000555555559'), 'flaky-2')).statusCode, 503);
    await settle();
    assert.equal((await bank.get(`/v1/payouts/${paid.json().id}`)).json().status, 'paid');
  });

  it('refuses an unknown account or routing number, and more than the reserve holds', async () => {
    const unknown = await bank.post('/v1/payouts', payoutBody('000000000000'));
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().error.code, 'bank_account_invalid');
    assert.equal(unknown.json().error.param, 'destination.account_number');
    const routing = await bank.post('/v1/payouts', {
      ...payoutBody('000123456789'),
      destination: { routing_number: '021000021', account_number: '000123456789' },
    });
    assert.equal(routing.statusCode, 400);
    assert.equal(routing.json().error.code, 'routing_number_invalid');
    const start = await available();
    const tooMuch = await bank.post('/v1/payouts', payoutBody('000123456789', '1000000.00'));
    assert.equal(tooMuch.statusCode, 400);
    assert.equal(tooMuch.json().error.code, 'balance_insufficient');
    assert.equal(await available(), start);
  });

  it('lists payouts newest first', async () => {
    const list = (await bank.get('/v1/payouts?limit=3')).json();
    assert.equal(list.object, 'list');
    assert.equal(list.data.length, 3);
    assert.equal(list.has_more, true);
    const created = list.data.map((payout: { created: number }) => payout.created);
    assert.deepEqual(
      [...created].sort((a, b) => b - a),
      created,
    );
  });

  it('the payout clock settles a payout when it comes due, read from the database', async () => {
    const scheduler = createPayoutScheduler({
      database: bank.database,
      now: bank.now,
      onError: (error) => assert.fail(String(error)),
    });
    await scheduler.start();
    try {
      const payout = (await bank.post('/v1/payouts', payoutBody('000111111113', '1.00'))).json();
      scheduler.wake();
      bank.advance(1000);
      scheduler.wake();
      await waitFor('the payout to settle', 5000, async () => {
        return (await bank.get(`/v1/payouts/${payout.id}`)).json().status === 'failed';
      });
    } finally {
      await scheduler.stop();
    }
  });
});
