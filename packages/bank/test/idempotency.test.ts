import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestBank, TEST_API_KEY, type TestBank, testCard } from './helpers/testBank.ts';

const intentBody = (amount = '75.00') => ({
  amount,
  currency: 'usd',
  card: testCard('4242424242424242'),
  capture_method: 'manual',
});

describe('Idempotency-Key', () => {
  let bank: TestBank;
  before(async () => {
    bank = await createTestBank();
  });
  after(() => bank.close());

  const countIntents = async () =>
    Number(
      (await bank.database.query<{ n: number }>('SELECT count(*)::int AS n FROM payment_intents')).rows[0]!.n,
    );

  it('replays the stored response byte for byte, and makes nothing twice', async () => {
    const before = await countIntents();
    const first = await bank.post('/v1/payment_intents', intentBody(), 'replay-1');
    // Same parameters in another key order are the same request.
    const { card, amount, currency, capture_method } = intentBody();
    const second = await bank.post(
      '/v1/payment_intents',
      { capture_method, currency, amount, card },
      'replay-1',
    );
    assert.equal(first.statusCode, 200);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    assert.equal(second.statusCode, 200);
    assert.equal(second.headers['idempotent-replayed'], 'true');
    assert.equal(second.body, first.body);
    assert.equal(await countIntents(), before + 1);
  });

  it('the same key with other parameters (or another endpoint) is 409 idempotency_error', async () => {
    await bank.post('/v1/payment_intents', intentBody('1.00'), 'reuse-1');
    for (const [url, body] of [
      ['/v1/payment_intents', intentBody('2.00')],
      [
        '/v1/payouts',
        {
          amount: '1.00',
          currency: 'usd',
          destination: { routing_number: '110000000', account_number: '000123456789' },
        },
      ],
    ] as const) {
      const response = await bank.post(url, body, 'reuse-1');
      assert.equal(response.statusCode, 409);
      assert.equal(response.json().error.type, 'idempotency_error');
      assert.equal(response.json().error.code, 'idempotency_key_reused');
    }
  });

  it('a duplicate while the first is running is 409 idempotency_key_in_use; only one intent is made', async () => {
    const before = await countIntents();
    const held = bank.holdNextTransaction();
    const first = bank.post('/v1/payment_intents', intentBody('3.00'), 'concurrent-1');
    await held.entered;
    const duplicates = await Promise.all(
      Array.from({ length: 3 }, () => bank.post('/v1/payment_intents', intentBody('3.00'), 'concurrent-1')),
    );
    held.release();
    for (const duplicate of duplicates) {
      assert.equal(duplicate.statusCode, 409);
      assert.equal(duplicate.json().error.type, 'idempotency_error');
      assert.equal(duplicate.json().error.code, 'idempotency_key_in_use');
    }
    assert.equal((await first).statusCode, 200);
    assert.equal(await countIntents(), before + 1);
    // Once done, the key replays.
    const replay = await bank.post('/v1/payment_intents', intentBody('3.00'), 'concurrent-1');
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.equal(replay.body, (await first).body);
  });

  it('a refusal by the handler is stored and replayed; a validation failure stores nothing', async () => {
    const refused = await bank.post('/v1/payment_intents/pi_missing/capture', undefined, 'refusal-1');
    assert.equal(refused.statusCode, 404);
    const replay = await bank.post('/v1/payment_intents/pi_missing/capture', undefined, 'refusal-1');
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.equal(replay.body, refused.body);
    const invalid = await bank.post('/v1/payment_intents', intentBody('1.001'), 'invalid-1');
    assert.equal(invalid.statusCode, 400);
    const fixed = await bank.post('/v1/payment_intents', intentBody('1.00'), 'invalid-1');
    assert.equal(fixed.statusCode, 200);
    assert.equal(fixed.headers['idempotent-replayed'], undefined);
  });

  it('is required on every POST, and must be 1-255 printable characters', async () => {
    const missing = await bank.app.inject({
      method: 'POST',
      url: '/v1/payment_intents',
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
      payload: intentBody(),
    });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().error.code, 'idempotency_key_required');
    const tooLong = await bank.post('/v1/payment_intents', intentBody(), 'k'.repeat(256));
    assert.equal(tooLong.statusCode, 400);
    assert.equal(tooLong.json().error.code, 'idempotency_key_invalid');
  });

  it('a 3-D Secure confirm and a capture replay without acting twice', async () => {
    const intent = (
      await bank.post('/v1/payment_intents', { ...intentBody('9.99'), card: testCard('4000002760003184') })
    ).json();
    const confirm = await bank.post(`/v1/payment_intents/${intent.id}/confirm`, {}, 'confirm-1');
    const confirmReplay = await bank.post(`/v1/payment_intents/${intent.id}/confirm`, {}, 'confirm-1');
    assert.equal(confirm.statusCode, 200);
    assert.equal(confirmReplay.headers['idempotent-replayed'], 'true');
    const capture = await bank.post(`/v1/payment_intents/${intent.id}/capture`, undefined, 'capture-1');
    const captureReplay = await bank.post(`/v1/payment_intents/${intent.id}/capture`, undefined, 'capture-1');
    assert.equal(capture.json().status, 'succeeded');
    assert.equal(captureReplay.body, capture.body);
    const credits = await bank.database.query('SELECT 1 FROM reserve_transactions WHERE source = $1', [
      intent.id,
    ]);
    assert.equal(credits.rowCount, 1);
  });
});
