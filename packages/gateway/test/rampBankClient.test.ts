import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isShardpayError } from '@shardpay/crypto';
import { createBankClient } from '../src/bank/createBankClient.ts';
import { fiatToMinor, minorToFiat } from '../src/bank/fiatAmounts.ts';
import { errorToApiResponse } from '../src/http/apiErrors.ts';
import { CRASH_STEPS, crashHookFromEnv } from '../src/ramp/crashPoints.ts';

/** A fake bank: answers each request with the next canned response and records what it was sent. */
function fakeFetch(responses: Array<{ status: number; body: unknown } | Error>) {
  const sent: Array<{ url: string; init: RequestInit }> = [];
  const fetchFunction = (async (url: string, init: RequestInit) => {
    sent.push({ url, init });
    const next = responses.shift();
    if (next === undefined) throw new Error('no more canned responses');
    if (next instanceof Error) throw next;
    return new Response(JSON.stringify(next.body), {
      status: next.status,
      headers: { 'content-type': 'application/json' },
    });
  }) as unknown as typeof fetch;
  return { fetchFunction, sent };
}

const card = { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' };
const intent = {
  id: 'pi_1',
  object: 'payment_intent',
  status: 'requires_capture',
  amount: '100.00',
  card: { brand: 'visa', last4: '4242' },
};

describe('bank client (against a fake bank)', () => {
  it('authorizes with the key, amount in cents and bearer auth, and reads the intent', async () => {
    const fake = fakeFetch([{ status: 200, body: intent }]);
    const bank = createBankClient({
      url: 'http://bank.test/',
      apiKey: 'k'.repeat(32),
      fetch: fake.fetchFunction,
    });
    const answer = await bank.authorize(
      { amount: 100_000_000n, card, description: 'd', metadata: { purchase: 'pur_1' } },
      'pur_1:authorize',
    );
    assert.deepEqual(answer, {
      id: 'pi_1',
      status: 'requires_capture',
      amount: 100_000_000n,
      card: { brand: 'visa', last4: '4242' },
    });
    const { url, init } = fake.sent[0]!;
    assert.equal(url, 'http://bank.test/v1/payment_intents');
    const headers = init.headers as Record<string, string>;
    assert.equal(headers['idempotency-key'], 'pur_1:authorize');
    assert.equal(headers.authorization, `Bearer ${'k'.repeat(32)}`);
    assert.equal(JSON.parse(String(init.body)).amount, '100.00');
  });

  it('a decline is CARD_ERROR carrying the decline code, shown as a 402 card_error', async () => {
    const fake = fakeFetch([
      {
        status: 402,
        body: {
          error: {
            type: 'card_error',
            code: 'card_declined',
            decline_code: 'insufficient_funds',
            message: 'Your card has insufficient funds.',
          },
        },
      },
    ]);
    const bank = createBankClient({
      url: 'http://bank.test',
      apiKey: 'k'.repeat(32),
      fetch: fake.fetchFunction,
    });
    const error = await bank
      .authorize({ amount: 1_000_000n, card, description: 'd', metadata: {} }, 'k')
      .catch((e: unknown) => e);
    assert.ok(isShardpayError(error, 'CARD_ERROR'));
    const { status, body } = errorToApiResponse(error, 'req_1');
    assert.equal(status, 402);
    assert.deepEqual(body.error, {
      type: 'card_error',
      code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
      param: 'card',
      request_id: 'req_1',
    });
  });

  it('a 5xx or no answer is BANK_UNAVAILABLE (retried); another refusal is BANK_REQUEST_REFUSED', async () => {
    const fake = fakeFetch([
      { status: 503, body: { error: { type: 'api_error', code: 'bank_unavailable' } } },
      new TypeError('fetch failed'),
      {
        status: 400,
        body: {
          error: { type: 'invalid_request_error', code: 'bank_account_invalid', message: 'no such account' },
        },
      },
    ]);
    const bank = createBankClient({
      url: 'http://bank.test',
      apiKey: 'k'.repeat(32),
      fetch: fake.fetchFunction,
    });
    const payout = {
      amount: 1_000_000n,
      routingNumber: '110000000',
      accountNumber: '000123456789',
      description: 'd',
      metadata: {},
    };
    for (const code of ['BANK_UNAVAILABLE', 'BANK_UNAVAILABLE', 'BANK_REQUEST_REFUSED']) {
      const error = await bank.createPayout(payout, 'payout:tx').catch((e: unknown) => e);
      assert.ok(isShardpayError(error, code), `${code}: ${String(error)}`);
    }
    assert.equal(errorToApiResponse(await bank.getReserve().catch((e: unknown) => e), 'r').status, 503);
  });

  it('converts between 6-decimal minor units and cents, refusing fractions of a cent', () => {
    assert.equal(minorToFiat(100_500_000n), '100.50');
    assert.equal(minorToFiat(10_000n), '0.01');
    assert.throws(
      () => minorToFiat(1n),
      (error: unknown) => isShardpayError(error, 'PARAMETER_INVALID'),
    );
    assert.equal(fiatToMinor('100.5'), 100_500_000n);
    assert.equal(fiatToMinor('-3.00'), -3_000_000n);
  });
});

describe('SHARDPAY_CRASH_AT (test-only crash hook)', () => {
  it('is a no-op when unset and refuses an unknown step', () => {
    assert.doesNotThrow(() => crashHookFromEnv({})('after_mint_submit'));
    assert.throws(
      () => crashHookFromEnv({ SHARDPAY_CRASH_AT: 'after_lunch' }),
      /SHARDPAY_CRASH_AT is one of/,
    );
    // A known step only fires at that step (firing would SIGKILL this process, so only other steps run).
    assert.doesNotThrow(() => crashHookFromEnv({ SHARDPAY_CRASH_AT: 'during_payout' })('after_capture'));
    assert.ok(CRASH_STEPS.includes('during_payout'));
  });
});
