import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isShardpayError } from '@shardpay/crypto';
import { loadBankConfig } from '../src/config.ts';
import { formatFiatAmount, parseFiatAmount } from '../src/fiatAmount.ts';
import { createTestBank, TEST_API_KEY, type TestBank, testCard } from './helpers/testBank.ts';

describe('bank config', () => {
  it('refuses to start without an API key of at least 32 characters', () => {
    for (const apiKey of [undefined, '', 'short']) {
      assert.throws(
        () => loadBankConfig(apiKey === undefined ? {} : { SHARDPAY_BANK_API_KEY: apiKey }),
        (error) =>
          isShardpayError(error, 'CONFIG_INVALID') && error.meta.variable === 'SHARDPAY_BANK_API_KEY',
      );
    }
    const config = loadBankConfig({
      SHARDPAY_BANK_API_KEY: TEST_API_KEY,
      PORT: '0',
      SHARDPAY_BANK_PAYOUT_DELAY_MS: '50',
      SHARDPAY_BANK_DATA_DIR: '/tmp/x',
    });
    assert.equal(config.port, 0);
    assert.equal(config.payoutDelayMs, 50);
    assert.equal(config.dataDir, '/tmp/x');
    assert.equal(loadBankConfig({ SHARDPAY_BANK_API_KEY: TEST_API_KEY }).port, 8070);
    assert.throws(
      () => loadBankConfig({ SHARDPAY_BANK_API_KEY: TEST_API_KEY, SHARDPAY_BANK_PAYOUT_DELAY_MS: '-1' }),
      (error) =>
        isShardpayError(error, 'CONFIG_INVALID') && error.meta.variable === 'SHARDPAY_BANK_PAYOUT_DELAY_MS',
    );
  });
});

describe('fiat amounts', () => {
  it('parses up to 2 decimals into cents and formats with exactly 2', () => {
    assert.equal(parseFiatAmount('100'), 10000n);
    assert.equal(parseFiatAmount('100.5'), 10050n);
    assert.equal(parseFiatAmount('100.50'), 10050n);
    assert.equal(parseFiatAmount('0.01'), 1n);
    assert.equal(parseFiatAmount('1000000.00'), 100_000_000n);
    assert.equal(formatFiatAmount(10050n), '100.50');
    assert.equal(formatFiatAmount(-5n), '-0.05');
    for (const bad of [
      '0',
      '0.00',
      '-1',
      '1.001',
      '1000000.01',
      '1e3',
      '01',
      '1.',
      '.5',
      ' 1',
      '',
      '1,000',
    ]) {
      assert.throws(
        () => parseFiatAmount(bad),
        (error) => isShardpayError(error, 'PARAMETER_INVALID') && error.meta.param === 'amount',
        bad,
      );
    }
  });
});

describe('requests', () => {
  let bank: TestBank;
  before(async () => {
    bank = await createTestBank();
  });
  after(() => bank.close());

  it('refuses a missing or wrong API key with 401 authentication_error; /health is open', async () => {
    const missing = await bank.app.inject({ method: 'GET', url: '/v1/reserve' });
    assert.equal(missing.statusCode, 401);
    assert.equal(missing.json().error.type, 'authentication_error');
    assert.equal(missing.json().error.code, 'authentication_required');
    assert.equal(missing.headers['shardpay-sandbox'], 'true');
    for (const authorization of [
      `Bearer ${TEST_API_KEY}x`,
      `Bearer ${TEST_API_KEY.slice(1)}`,
      TEST_API_KEY,
      'Basic abc',
    ]) {
      const wrong = await bank.app.inject({ method: 'GET', url: '/v1/reserve', headers: { authorization } });
      assert.equal(wrong.statusCode, 401, authorization);
      assert.equal(wrong.json().error.code, 'api_key_invalid');
    }
    const unauthenticatedPost = await bank.app.inject({
      method: 'POST',
      url: '/v1/payouts',
      headers: { 'idempotency-key': 'x' },
      payload: {},
    });
    assert.equal(unauthenticatedPost.statusCode, 401);
    const encoded = await bank.app.inject({ method: 'GET', url: '/%761/reserve' });
    assert.equal(encoded.statusCode, 401, 'a percent-encoded path is not a way around the key');
    const health = await bank.app.inject({ method: 'GET', url: '/health' });
    assert.equal(health.statusCode, 200);
    assert.deepEqual(health.json(), { status: 'ok', sandbox: true });
  });

  it('answers bad input with a 4xx error object naming the parameter, never a 500', async () => {
    const base = {
      amount: '10.00',
      currency: 'usd',
      card: testCard('4242424242424242'),
      capture_method: 'manual',
    };
    const cases: Array<[unknown, number, string, string | null]> = [
      [{ ...base, amount: '-5' }, 400, 'parameter_invalid', 'amount'],
      [{ ...base, amount: '0' }, 400, 'parameter_invalid', 'amount'],
      [{ ...base, amount: '0.00' }, 400, 'parameter_invalid', 'amount'],
      [{ ...base, amount: '1000000.01' }, 400, 'parameter_invalid', 'amount'],
      [{ ...base, amount: '99999999999999999999999' }, 400, 'parameter_invalid', 'amount'],
      [{ ...base, amount: '10.001' }, 400, 'parameter_invalid', 'amount'],
      [{ ...base, amount: 'ten' }, 400, 'parameter_invalid', 'amount'],
      [{ ...base, amount: 10 }, 400, 'parameter_invalid', 'amount'],
      [{ ...base, currency: 'eur' }, 400, 'parameter_invalid', 'currency'],
      [{ ...base, capture_method: 'later' }, 400, 'parameter_invalid', 'capture_method'],
      [{ ...base, surprise: true }, 400, 'parameter_unknown', 'surprise'],
      [{ ...base, card: { ...base.card, pin: '1234' } }, 400, 'parameter_unknown', 'card.pin'],
      [{ ...base, card: { ...base.card, exp_month: '12' } }, 400, 'parameter_invalid', 'card.exp_month'],
      [{ currency: 'usd', card: base.card }, 400, 'parameter_missing', 'amount'],
      [{ ...base, metadata: { key: 5 } }, 400, 'parameter_invalid', 'metadata.key'],
      [[base], 400, 'parameter_invalid', null],
    ];
    for (const [payload, status, code, param] of cases) {
      const response = await bank.post('/v1/payment_intents', payload);
      assert.equal(response.statusCode, status, JSON.stringify(payload));
      const { error } = response.json();
      assert.equal(error.type, 'invalid_request_error');
      assert.equal(error.code, code, JSON.stringify(payload));
      assert.equal(error.param, param, JSON.stringify(payload));
      assert.match(error.request_id, /^req_/);
    }
    const tooMuchMessage = (await bank.post('/v1/payment_intents', { ...base, amount: '1.234' })).json().error
      .message;
    assert.match(tooMuchMessage, /2 decimals/);
  });

  it('refuses malformed JSON, a non-JSON body, an oversized body and unknown routes with an error object', async () => {
    const headers = { authorization: `Bearer ${TEST_API_KEY}`, 'idempotency-key': 'raw-1' };
    const malformed = await bank.app.inject({
      method: 'POST',
      url: '/v1/payment_intents',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: '{"amount": "1.00",',
    });
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.json().error.code, 'body_invalid');
    const text = await bank.app.inject({
      method: 'POST',
      url: '/v1/payouts',
      headers: { ...headers, 'content-type': 'application/xml' },
      payload: '<amount>1</amount>',
    });
    assert.equal(text.statusCode, 415);
    assert.equal(text.json().error.code, 'unsupported_media_type');
    const huge = await bank.app.inject({
      method: 'POST',
      url: '/v1/payouts',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ description: 'x'.repeat(70_000) }),
    });
    assert.equal(huge.statusCode, 413);
    const route = await bank.get('/v1/charges');
    assert.equal(route.statusCode, 404);
    assert.equal(route.json().error.code, 'route_not_found');
    const longId = await bank.get(`/v1/payouts/${'x'.repeat(200)}`);
    assert.ok(longId.statusCode >= 400 && longId.statusCode < 500, String(longId.statusCode));
    assert.ok(longId.json().error);
  });

  it('a few hundred random bodies never produce a 500 (seeded)', async () => {
    const seed = Number(process.env.BANK_TEST_SEED ?? 20260615);
    let state = seed;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const values = [
      null,
      true,
      0,
      -1,
      1.5,
      '',
      'x',
      '1.00',
      '-0.01',
      '1e9',
      [],
      {},
      { a: 1 },
      '4242424242424242',
    ];
    const fields = [
      'amount',
      'currency',
      'card',
      'destination',
      'payment_intent',
      'metadata',
      'fail',
      'description',
    ];
    const urls = ['/v1/payment_intents', '/v1/payouts', '/v1/refunds', '/v1/payment_intents/pi_x/confirm'];
    for (let round = 0; round < 200; round++) {
      const body: Record<string, unknown> = {};
      for (let field = 0; field < 1 + Math.floor(random() * 4); field++) body[pick(fields)] = pick(values);
      const url = pick(urls);
      const response = await bank.post(url, body);
      assert.ok(
        response.statusCode >= 400 && response.statusCode < 500,
        `seed ${seed} round ${round}: ${url} ${JSON.stringify(body)} → ${response.statusCode} ${response.body}`,
      );
      assert.equal(typeof response.json().error.code, 'string');
    }
  });
});
