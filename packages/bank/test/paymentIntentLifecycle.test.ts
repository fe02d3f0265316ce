import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestBank, reserveAndLedger, type TestBank, testCard } from './helpers/testBank.ts';

/** The reserve's available balance in cents, checked against the sum of its ledger every time. */
async function reserveCents(bank: TestBank): Promise<number> {
  const { available, ledgerSum } = await reserveAndLedger(bank);
  assert.equal(available, ledgerSum, 'the reserve balance must equal the sum of its ledger');
  return Math.round(Number(available) * 100);
}

describe('payment intent state machine and the reserve', () => {
  let bank: TestBank;
  before(async () => {
    bank = await createTestBank();
  });
  after(() => bank.close());

  const authorize = async (amount: string) => {
    const response = await bank.post('/v1/payment_intents', {
      amount,
      currency: 'usd',
      card: testCard('4242424242424242'),
      capture_method: 'manual',
    });
    assert.equal(response.statusCode, 200, response.body);
    return response.json().id as string;
  };

  it('authorize leaves the reserve alone; capture credits it once, however often it is asked', async () => {
    const start = await reserveCents(bank);
    const id = await authorize('100.5');
    assert.equal(await reserveCents(bank), start);
    const captured = await bank.post(`/v1/payment_intents/${id}/capture`);
    assert.equal(captured.statusCode, 200);
    assert.equal(captured.json().status, 'succeeded');
    assert.equal(captured.json().amount_received, '100.50');
    assert.equal(await reserveCents(bank), start + 10050);
    // A second capture with a new key: the succeeded intent, no second credit.
    const again = await bank.post(`/v1/payment_intents/${id}/capture`);
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().status, 'succeeded');
    assert.equal(await reserveCents(bank), start + 10050);
    const ledger = (await bank.get('/v1/reserve/transactions')).json();
    assert.equal(ledger.object, 'list');
    assert.equal(ledger.data.filter((row: { source: string }) => row.source === id).length, 1);
    assert.equal(ledger.data[0].type, 'capture');
    assert.equal(ledger.data[0].amount, '100.50');
  });

  it('cancel voids an authorization (twice is fine) and a canceled intent cannot be captured', async () => {
    const start = await reserveCents(bank);
    const id = await authorize('40');
    const canceled = await bank.post(`/v1/payment_intents/${id}/cancel`, {
      cancellation_reason: 'abandoned',
    });
    assert.equal(canceled.statusCode, 200);
    assert.equal(canceled.json().status, 'canceled');
    assert.equal(canceled.json().cancellation_reason, 'abandoned');
    assert.equal((await bank.post(`/v1/payment_intents/${id}/cancel`)).json().status, 'canceled');
    const capture = await bank.post(`/v1/payment_intents/${id}/capture`);
    assert.equal(capture.statusCode, 400);
    assert.equal(capture.json().error.code, 'payment_intent_unexpected_state');
    assert.equal(await reserveCents(bank), start);
  });

  it('cancel after capture is refused with a clear code: refund instead', async () => {
    const id = await authorize('12.34');
    await bank.post(`/v1/payment_intents/${id}/capture`);
    const response = await bank.post(`/v1/payment_intents/${id}/cancel`);
    assert.equal(response.statusCode, 400);
    const { error } = response.json();
    assert.equal(error.type, 'invalid_request_error');
    assert.equal(error.code, 'payment_intent_unexpected_state');
    assert.match(error.message, /refund/);
    assert.equal((await bank.get(`/v1/payment_intents/${id}`)).json().status, 'succeeded');
  });

  it('refunds debit the reserve and never exceed what was captured', async () => {
    const id = await authorize('50');
    const notCaptured = await bank.post('/v1/refunds', { payment_intent: id });
    assert.equal(notCaptured.statusCode, 400);
    assert.equal(notCaptured.json().error.code, 'payment_intent_unexpected_state');
    await bank.post(`/v1/payment_intents/${id}/capture`);
    const start = await reserveCents(bank);
    const partial = await bank.post('/v1/refunds', { payment_intent: id, amount: '20.25' });
    assert.equal(partial.statusCode, 200, partial.body);
    const refund = partial.json();
    assert.match(refund.id, /^re_/);
    assert.equal(refund.object, 'refund');
    assert.equal(refund.amount, '20.25');
    assert.equal(refund.status, 'succeeded');
    assert.equal(refund.payment_intent, id);
    assert.equal(await reserveCents(bank), start - 2025);
    const tooMuch = await bank.post('/v1/refunds', { payment_intent: id, amount: '29.76' });
    assert.equal(tooMuch.statusCode, 400);
    assert.equal(tooMuch.json().error.code, 'refund_amount_too_large');
    assert.equal(tooMuch.json().error.param, 'amount');
    const rest = await bank.post('/v1/refunds', { payment_intent: id });
    assert.equal(rest.json().amount, '29.75');
    const done = await bank.post('/v1/refunds', { payment_intent: id, amount: '0.01' });
    assert.equal(done.statusCode, 400);
    assert.equal(done.json().error.code, 'charge_already_refunded');
    assert.equal(await reserveCents(bank), start - 5000);
    const intent = (await bank.get(`/v1/payment_intents/${id}`)).json();
    assert.equal(intent.amount_refunded, '50.00');
    assert.equal((await bank.get(`/v1/refunds/${refund.id}`)).json().amount, '20.25');
    const missing = await bank.post('/v1/refunds', { payment_intent: 'pi_nope' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.param, 'payment_intent');
  });

  it('the reserve ledger is append-only', async () => {
    await assert.rejects(bank.database.query('DELETE FROM reserve_transactions'), /append-only/);
    await assert.rejects(bank.database.query('UPDATE reserve_transactions SET amount = 1'), /append-only/);
  });

  it('lists intents newest first with cursors, and 404s unknown ids', async () => {
    const ids = [await authorize('1'), await authorize('2'), await authorize('3')];
    const first = (await bank.get('/v1/payment_intents?limit=2')).json();
    assert.equal(first.object, 'list');
    assert.deepEqual(
      first.data.map((intent: { id: string }) => intent.id),
      [ids[2], ids[1]],
    );
    assert.equal(first.has_more, true);
    const next = (await bank.get(`/v1/payment_intents?limit=1&starting_after=${ids[1]}`)).json();
    assert.deepEqual(
      next.data.map((intent: { id: string }) => intent.id),
      [ids[0]],
    );
    const back = (await bank.get(`/v1/payment_intents?limit=5&ending_before=${ids[0]}`)).json();
    assert.deepEqual(
      back.data.map((intent: { id: string }) => intent.id),
      [ids[2], ids[1]],
    );
    const badCursor = await bank.get('/v1/payment_intents?starting_after=pi_unknown');
    assert.equal(badCursor.statusCode, 404);
    assert.equal(badCursor.json().error.param, 'starting_after');
    const badLimit = await bank.get('/v1/payment_intents?limit=101');
    assert.equal(badLimit.statusCode, 400);
    const missing = await bank.get('/v1/payment_intents/pi_missing');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'resource_missing');
    const captureMissing = await bank.post('/v1/payment_intents/pi_missing/capture');
    assert.equal(captureMissing.statusCode, 404);
  });
});
