import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cardBrand, passesLuhn } from '../src/cards/testCards.ts';
import { createTestBank, type TestBank, testCard } from './helpers/testBank.ts';

const authorize = (
  bank: TestBank,
  card: Record<string, unknown>,
  extra: Record<string, unknown> = {},
  key?: string,
) =>
  bank.post(
    '/v1/payment_intents',
    { amount: '25.00', currency: 'usd', card, capture_method: 'manual', ...extra },
    key,
  );

describe('card authorization with the test cards', () => {
  let bank: TestBank;
  before(async () => {
    bank = await createTestBank();
  });
  after(() => bank.close());

  it('4242… authorizes: requires_capture, last4 only, never the number or the CVC', async () => {
    const response = await authorize(bank, testCard('4242424242424242', { cvc: '987' }), {
      metadata: { order: 'o_1' },
      description: 'on-ramp',
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['shardpay-sandbox'], 'true');
    const intent = response.json();
    assert.match(intent.id, /^pi_[A-Za-z0-9_-]{22}$/);
    assert.equal(intent.object, 'payment_intent');
    assert.equal(intent.status, 'requires_capture');
    assert.equal(intent.amount, '25.00');
    assert.equal(intent.amount_capturable, '25.00');
    assert.equal(intent.currency, 'usd');
    assert.equal(intent.livemode, false);
    assert.deepEqual(intent.card, { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030 });
    assert.deepEqual(intent.metadata, { order: 'o_1' });
    assert.equal(typeof intent.created, 'number');
    assert.ok(!response.body.includes('4242424242424242') && !response.body.includes('987'));
    const stored = await bank.database.query('SELECT * FROM payment_intents WHERE id = $1', [intent.id]);
    const dump = JSON.stringify(stored.rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    assert.ok(!dump.includes('4242424242424242') && !dump.includes('987'), dump);
    const keys = await bank.database.query<{ response_body: string }>(
      'SELECT response_body FROM idempotency_keys',
    );
    assert.ok(keys.rows.every((row) => !row.response_body.includes('4242424242424242')));
  });

  const declines: Array<[string, string, string, string]> = [
    ['4000000000000002', 'card_declined', 'generic_decline', 'Your card was declined.'],
    ['4000000000009995', 'card_declined', 'insufficient_funds', 'Your card has insufficient funds.'],
    ['4000000000009987', 'card_declined', 'lost_card', 'Your card was declined.'],
    ['4000000000009979', 'card_declined', 'stolen_card', 'Your card was declined.'],
    ['4000000000000069', 'expired_card', 'expired_card', 'Your card has expired.'],
    ['4000000000000127', 'incorrect_cvc', 'incorrect_cvc', "Your card's security code is incorrect."],
    [
      '4000000000000119',
      'processing_error',
      'processing_error',
      'An error occurred while processing your card. Try again in a little bit.',
    ],
  ];
  for (const [number, code, declineCode, message] of declines) {
    it(`${number} is declined: 402 ${code}/${declineCode}, the failed intent is stored and replayed`, async () => {
      const key = `decline-${number}`;
      const response = await authorize(bank, testCard(number), {}, key);
      assert.equal(response.statusCode, 402);
      const { error } = response.json();
      assert.equal(error.type, 'card_error');
      assert.equal(error.code, code);
      assert.equal(error.decline_code, declineCode);
      assert.equal(error.message, message);
      assert.match(error.request_id, /^req_/);
      assert.equal(error.payment_intent.status, 'requires_payment_method');
      assert.match(error.payment_intent.id, /^pi_/);
      const stored = (await bank.get(`/v1/payment_intents/${error.payment_intent.id}`)).json();
      assert.equal(stored.status, 'requires_payment_method');
      assert.equal(stored.last_payment_error.decline_code, declineCode);
      const replay = await authorize(bank, testCard(number), {}, key);
      assert.equal(replay.statusCode, 402);
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      assert.equal(replay.body, response.body);
    });
  }

  it('a Luhn failure is incorrect_number and makes no intent', async () => {
    const before = (await bank.database.query('SELECT count(*)::int AS n FROM payment_intents')).rows[0];
    const response = await authorize(bank, testCard('4242424242424241'));
    assert.equal(response.statusCode, 402);
    const { error } = response.json();
    assert.equal(error.type, 'card_error');
    assert.equal(error.code, 'incorrect_number');
    assert.equal(error.param, 'card.number');
    assert.equal(error.payment_intent, undefined);
    const afterCount = (await bank.database.query('SELECT count(*)::int AS n FROM payment_intents')).rows[0];
    assert.deepEqual(afterCount, before);
  });

  it('refuses a past expiry (expired_card), a bad month, a malformed number and a CVC that is not 3 digits', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [testCard('4242424242424242', { exp_month: 5, exp_year: 2026 }), 'expired_card', 'card.exp_year'],
      [testCard('4242424242424242', { exp_year: 2019 }), 'expired_card', 'card.exp_year'],
      [testCard('4242424242424242', { exp_month: 13 }), 'invalid_expiry_month', 'card.exp_month'],
      [testCard('4242abcd42424242'), 'invalid_number', 'card.number'],
      [testCard('4242424242424242', { cvc: '12' }), 'incorrect_cvc', 'card.cvc'],
      [testCard('4242424242424242', { cvc: '1234' }), 'incorrect_cvc', 'card.cvc'],
      [testCard('4242424242424242', { cvc: 'abc' }), 'incorrect_cvc', 'card.cvc'],
    ];
    for (const [card, code, param] of cases) {
      const response = await authorize(bank, card);
      assert.equal(response.statusCode, 402, JSON.stringify(card));
      assert.equal(response.json().error.type, 'card_error');
      assert.equal(response.json().error.code, code, JSON.stringify(card));
      assert.equal(response.json().error.param, param);
    }
    // This month is still valid (through its last day).
    const current = await authorize(bank, testCard('4242424242424242', { exp_month: 6, exp_year: 2026 }));
    assert.equal(current.statusCode, 200);
  });

  it('an unknown Luhn-valid number is a live card: declined as test_mode_live_card', async () => {
    const response = await authorize(bank, testCard('4111111111111111'));
    assert.equal(response.statusCode, 402);
    assert.equal(response.json().error.decline_code, 'test_mode_live_card');
  });

  it('4000002760003184 needs 3-D Secure: confirm → requires_capture', async () => {
    const created = await authorize(bank, testCard('4000002760003184'));
    assert.equal(created.statusCode, 200);
    const intent = created.json();
    assert.equal(intent.status, 'requires_action');
    assert.deepEqual(intent.next_action, { type: 'three_d_secure' });
    const capturedEarly = await bank.post(`/v1/payment_intents/${intent.id}/capture`);
    assert.equal(capturedEarly.statusCode, 400);
    assert.equal(capturedEarly.json().error.code, 'payment_intent_unexpected_state');
    const confirmed = await bank.post(`/v1/payment_intents/${intent.id}/confirm`, {});
    assert.equal(confirmed.statusCode, 200);
    assert.equal(confirmed.json().status, 'requires_capture');
    assert.equal(confirmed.json().next_action, null);
    const again = await bank.post(`/v1/payment_intents/${intent.id}/confirm`);
    assert.equal(again.statusCode, 400);
    assert.equal(again.json().error.code, 'payment_intent_unexpected_state');
  });

  it('a failed 3-D Secure challenge → requires_payment_method and card_error authentication_required', async () => {
    const intent = (await authorize(bank, testCard('4000002760003184'))).json();
    const failed = await bank.post(`/v1/payment_intents/${intent.id}/confirm`, { fail: true });
    assert.equal(failed.statusCode, 402);
    const { error } = failed.json();
    assert.equal(error.type, 'card_error');
    assert.equal(error.code, 'authentication_required');
    assert.equal(error.payment_intent.status, 'requires_payment_method');
    assert.equal(
      (await bank.get(`/v1/payment_intents/${intent.id}`)).json().status,
      'requires_payment_method',
    );
  });

  it('automatic capture (Stripe’s default) succeeds at once and credits the reserve', async () => {
    const before = (await bank.get('/v1/reserve')).json().available;
    const response = await bank.post('/v1/payment_intents', {
      amount: '10',
      currency: 'usd',
      card: testCard('5555555555554444'),
    });
    assert.equal(response.json().status, 'succeeded');
    assert.equal(response.json().card.brand, 'mastercard');
    const afterBalance = (await bank.get('/v1/reserve')).json().available;
    assert.equal(Number(afterBalance) - Number(before), 10);
  });
});

describe('card number checks', () => {
  it('Luhn and brand', () => {
    assert.ok(passesLuhn('4242424242424242'));
    assert.ok(!passesLuhn('4242424242424241'));
    assert.ok(passesLuhn('4000002760003184'));
    assert.equal(cardBrand('4242424242424242'), 'visa');
    assert.equal(cardBrand('5200828282828210'), 'mastercard');
    assert.equal(cardBrand('2223003122003222'), 'mastercard');
    assert.equal(cardBrand('378282246310005'), 'amex');
    assert.equal(cardBrand('6011111111111117'), 'discover');
  });
});
