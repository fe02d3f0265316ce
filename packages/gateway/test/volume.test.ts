import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMerchantHarness, type MerchantHarness } from './helpers/merchantHarness.ts';
import { errorOf, signUpAndLogIn } from './helpers/testGateway.ts';

interface Volume {
  object: string;
  interval: string;
  currency: string;
  data: Array<{ start: string; settled_count: number; settled_amount: string; refunded_amount: string }>;
}

describe('the merchant volume chart', () => {
  let h: MerchantHarness;
  let owner: Record<string, string>;
  before(async () => {
    h = await createMerchantHarness();
    // The clock: 2026-01-03T10:30Z (a new login: the harness's token has expired by then).
    h.clock.advance((2 * 24 + 10.5) * 3_600_000);
    const login = await h.app.inject({
      method: 'POST',
      url: '/v1/sessions',
      payload: { email: h.owner.email, password: h.owner.password },
    });
    owner = { authorization: `Bearer ${(login.json() as { access_token: string }).access_token}` };
  });
  after(async () => {
    await h.close();
  });

  /** An invoice settled at `at` (through an UPDATE of its status, as the watchers make it) for `paid`. */
  async function settledInvoice(amount: string, paid: bigint, at: string): Promise<string> {
    const created = await h.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: h.apiKey,
      payload: { amount, currency: 'usd' },
    });
    const id = (created.json() as { id: string }).id;
    await h.database.query(
      "UPDATE invoices SET status = 'settled', amount_paid = $2, updated_at = $3 WHERE id = $1",
      [id, paid.toString(), at],
    );
    // A later write that is not a move to settled keeps the settle time.
    await h.database.query(
      "UPDATE invoices SET updated_at = '2026-01-03T10:29:00Z', status = 'settled' WHERE id = $1",
      [id],
    );
    return id;
  }

  async function refund(invoiceId: string, amount: bigint, at: string, status = 'pending') {
    await h.database.query(
      `INSERT INTO invoice_refunds (id, invoice_id, merchant_id, amount, tx_id, status, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        `ref_${Math.random().toString(36).slice(2)}`,
        invoiceId,
        h.merchant.id,
        amount.toString(),
        `${Math.random()}`,
        status,
        at,
      ],
    );
  }

  function volume(query: string, auth?: Record<string, string>) {
    return h.app.inject({
      method: 'GET',
      url: `/v1/merchants/${h.merchant.id}/volume${query}`,
      headers: auth ?? owner,
    });
  }

  it('groups settled invoices by settle time and refunds by theirs, every period present', async () => {
    const a = await settledInvoice('10', 10_000_000n, '2026-01-03T10:05:00Z');
    await settledInvoice('2.5', 3_000_000n, '2026-01-03T10:59:59Z'); // paid over: what was credited counts
    await settledInvoice('1', 1_000_000n, '2026-01-03T08:00:00Z');
    await settledInvoice('7', 7_000_000n, '2026-01-01T23:59:59Z'); // outside 24 hours, inside 3 days
    await refund(a, 4_000_000n, '2026-01-03T09:15:00Z');
    await refund(a, 1_000_000n, '2026-01-03T10:10:00Z', 'submitting'); // not counted
    // An unsettled invoice counts nowhere.
    await h.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: h.apiKey,
      payload: { amount: '99', currency: 'usd' },
    });

    const hourly = await volume('?interval=hour&periods=24');
    assert.equal(hourly.statusCode, 200, hourly.body);
    const body = hourly.json() as Volume;
    assert.equal(body.object, 'volume');
    assert.equal(body.interval, 'hour');
    assert.equal(body.currency, 'usd');
    assert.equal(body.data.length, 24);
    assert.equal(body.data[0]!.start, '2026-01-02T11:00:00.000Z');
    assert.equal(body.data.at(-1)!.start, '2026-01-03T10:00:00.000Z');
    assert.deepEqual(body.data.at(-1), {
      start: '2026-01-03T10:00:00.000Z',
      settled_count: 2,
      settled_amount: '13.000000',
      refunded_amount: '0.000000',
    });
    assert.deepEqual(body.data.at(-2), {
      start: '2026-01-03T09:00:00.000Z',
      settled_count: 0,
      settled_amount: '0.000000',
      refunded_amount: '4.000000',
    });
    assert.equal(body.data.at(-3)!.settled_count, 1);
    assert.equal(body.data.at(-3)!.settled_amount, '1.000000');
    const total = body.data.reduce((sum, period) => sum + period.settled_count, 0);
    assert.equal(total, 3);

    const daily = (await volume('?interval=day&periods=3')).json() as Volume;
    assert.deepEqual(
      daily.data.map((d) => [d.start, d.settled_count, d.settled_amount, d.refunded_amount]),
      [
        ['2026-01-01T00:00:00.000Z', 1, '7.000000', '0.000000'],
        ['2026-01-02T00:00:00.000Z', 0, '0.000000', '0.000000'],
        ['2026-01-03T00:00:00.000Z', 3, '14.000000', '4.000000'],
      ],
    );
    const defaults = (await volume('')).json() as Volume;
    assert.equal(defaults.interval, 'hour');
    assert.equal(defaults.data.length, 24);
  });

  it('validates the query and serves only the owner', async () => {
    for (const query of ['?interval=week', '?periods=0', '?periods=91', '?periods=abc', '?other=1']) {
      const response = await volume(query);
      assert.equal(response.statusCode, 400, `${query}: ${response.body}`);
    }
    assert.equal((await volume('?periods=90&interval=day')).statusCode, 200);
    const stranger = await signUpAndLogIn(h.app);
    const foreign = await volume('', stranger.auth);
    assert.equal(foreign.statusCode, 404, foreign.body);
    assert.equal(errorOf(foreign).code, 'resource_missing');
    assert.equal((await volume('', h.apiKey)).statusCode, 401);
  });
});
