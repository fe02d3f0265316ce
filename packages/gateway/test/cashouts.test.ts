import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bytesToHex } from '@shardpay/crypto';
import { encodeTransaction, parseAmount } from '@shardpay/protocol';
import { buildBurn, createAccountFromPrivateKey } from '@shardpay/sdk';
import {
  balanceOf,
  bankObjectsFor,
  buy,
  cashOut,
  createRampUser,
  goodCard,
  type RampGateway,
  type RampHarness,
  readReservesApi,
  startRampHarness,
  waitForStatus,
} from './helpers/rampHarness.ts';
import { errorOf } from './helpers/testGateway.ts';

const seed = Number(process.env.GATEWAY_TEST_SEED ?? 8);

describe(`cash-outs, end to end (real chain + bank sandbox; seed ${seed})`, () => {
  let harness: RampHarness;
  let gateway: RampGateway;
  before(async () => {
    harness = await startRampHarness(seed);
    gateway = await harness.startGateway();
  });
  after(async () => {
    await harness?.stop();
  });

  it('cashing out 40.00 burns, pays out, takes 40 from the reserve and leaves 60', async () => {
    const { app } = gateway;
    const user = await createRampUser(app, 'cashout');
    const bought = await buy(app, user, '100.00');
    await waitForStatus(app, user.auth, `/v1/purchases/${(bought.json() as { id: string }).id}`, [
      'succeeded',
    ]);
    const before = await readReservesApi(app);
    const cashout = await cashOut(harness, app, user, '40.00', '000123456789');
    assert.equal(cashout.status, 'burning');
    const done = await waitForStatus(app, user.auth, `/v1/cashouts/${cashout.id}`, ['paid', 'refunded']);
    assert.equal(done.status, 'paid');
    assert.match(String(done.payout), /^po_/);
    assert.deepEqual(done.bank_account, { routing_number: '110000000', last4: '6789' });
    assert.equal(await balanceOf(harness, user.address), 60_000_000n);
    const afterwards = await readReservesApi(app);
    assert.equal(before.reserveMinor - afterwards.reserveMinor, 40_000_000n);
    assert.equal(before.supplyMinor - afterwards.supplyMinor, 40_000_000n);
    assert.equal(
      afterwards.matches,
      true,
      `${afterwards.supply} vs ${afterwards.reserve}: ${afterwards.difference}`,
    );
  });

  it('a burn that does not name the cash-out, or of another amount, is refused', async () => {
    const { app } = gateway;
    const user = await createRampUser(app, 'bad-burn');
    const created = await app.inject({
      method: 'POST',
      url: '/v1/cashouts',
      headers: { ...user.auth, 'idempotency-key': 'bad-burn-co' },
      payload: {
        wallet: user.walletId,
        amount: '1.00',
        bank_account: { routing_number: '110000000', account_number: '000123456789' },
      },
    });
    const { id } = created.json() as { id: string };
    const garbage = await app.inject({
      method: 'POST',
      url: `/v1/cashouts/${id}/burn`,
      headers: { ...user.auth, 'idempotency-key': 'bad-burn-1' },
      payload: { transaction: 'abcd' },
    });
    assert.equal(garbage.statusCode, 400);
    assert.equal(errorOf(garbage).code, 'transaction_invalid');
    const account = createAccountFromPrivateKey(user.key.privateKey, harness.chain.network);
    for (const [payoutReference, amount, what] of [
      ['co_someoneelse', '1.00', /payoutReference/],
      [id, '2.00', /exactly the cash-out amount/],
    ] as const) {
      const burn = buildBurn({
        from: account,
        amount: parseAmount(amount),
        payoutReference,
        nonce: 0n,
        expiryHeight: 1000n,
      });
      const refused = await app.inject({
        method: 'POST',
        url: `/v1/cashouts/${id}/burn`,
        headers: { ...user.auth, 'idempotency-key': `bad-burn-${amount}` },
        payload: { transaction: bytesToHex(encodeTransaction(burn)) },
      });
      assert.equal(refused.statusCode, 400, refused.body);
      assert.match(errorOf(refused).message, what);
    }
    const still = await app.inject({ method: 'GET', url: `/v1/cashouts/${id}`, headers: user.auth });
    assert.equal((still.json() as { status: string }).status, 'awaiting_burn');
  });

  it('a cash-out to the always-failing account ends refunded: balance restored, reserve unchanged, user told', async () => {
    const { app } = gateway;
    const user = await createRampUser(app, 'refund');
    const bought = await buy(app, user, '50.00');
    await waitForStatus(app, user.auth, `/v1/purchases/${(bought.json() as { id: string }).id}`, [
      'succeeded',
    ]);
    const before = await readReservesApi(app);
    const cashout = await cashOut(harness, app, user, '20.00', '000111111116');
    const done = await waitForStatus(app, user.auth, `/v1/cashouts/${cashout.id}`, ['paid', 'refunded']);
    assert.equal(done.status, 'refunded');
    assert.equal(done.failure_code, 'no_account');
    assert.match(String(done.refund_tx), /^[0-9a-f]{64}$/);
    await waitFor(async () => (await balanceOf(harness, user.address)) === 50_000_000n);
    const afterwards = await readReservesApi(app);
    assert.equal(afterwards.reserveMinor, before.reserveMinor);
    assert.equal(afterwards.supplyMinor, before.supplyMinor);
    const events = await harness.database.query<{ type: string }>(
      "SELECT type FROM events WHERE user_id = (SELECT user_id FROM cashouts WHERE id = $1) AND type = 'cashout.refunded'",
      [cashout.id],
    );
    assert.equal(events.rows.length, 1);
  });

  it('a cash-out to the flaky account is paid after the bank answered 503 twice', async () => {
    const { app } = gateway;
    const user = await createRampUser(app, 'flaky');
    const bought = await buy(app, user, '30.00');
    await waitForStatus(app, user.auth, `/v1/purchases/${(bought.json() as { id: string }).id}`, [
      'succeeded',
    ]);
    const cashout = await cashOut(harness, app, user, '30.00', '000555555559');
    const done = await waitForStatus(app, user.auth, `/v1/cashouts/${cashout.id}`, ['paid', 'refunded']);
    assert.equal(done.status, 'paid');
    const retries = gateway.logs
      .text()
      .split('\n')
      .filter((line) => line.includes(cashout.id) && line.includes('will retry'));
    assert.ok(retries.length >= 2, `expected 2 retries, logged ${retries.length}`);
    assert.equal(await balanceOf(harness, user.address), 0n);
  });

  it('the audit log verifies, with every cash-out movement in it', async () => {
    const response = await gateway.app.inject({ method: 'GET', url: '/v1/audit/verify' });
    assert.equal((response.json() as { valid: boolean }).valid, true, response.body);
    const kinds = await harness.database.query<{ kind: string }>(
      'SELECT DISTINCT kind FROM audit_log ORDER BY kind',
    );
    assert.deepEqual(
      kinds.rows.map((row) => row.kind),
      ['burn', 'capture', 'charge', 'mint', 'payout', 'refund'],
    );
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  const { waitFor: wait } = await import('@shardpay/node/testing');
  await wait('condition', 20_000, condition);
}
