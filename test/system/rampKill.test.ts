/**
 * Issue 6's crash tests on real processes: a devnet (2 shards × 1 validator) and its bank sandbox run
 * for the whole file; for each step of a purchase and of a cash-out, the devnet's gateway process is
 * started with the test-only `SHARDPAY_CRASH_AT=<step>`, a user buys (or cashes out), the process
 * SIGKILLs itself at that step, and it is restarted on the same data folder without the variable.
 * Then, from outside the gateway (the validators' JSON-RPC, the bank's API): exactly one mint and one
 * capture per purchase, exactly one payout per burn (or one clean refund), and supply equal to the
 * reserve after every scenario.
 *
 * `after_authorize` kills the request itself before the gateway recorded the bank's answer, so the
 * client never hears back and its retry (same Idempotency-Key) finds the claim still `running`: the
 * gateway takes a crashed request's claim over only after 60 s. Rather than wait that minute (or
 * age the claim in the database, as the in-process test does), the kill happens first and the retry
 * last: the other scenarios run in between, so the takeover is the real one, on its real clock.
 *
 * The seed (`SHARDPAY_TEST_SEED`) names the wallets' keys; `SHARDPAY_KEEP_TEST_DIR=1` keeps the
 * devnet folder (logs of every process under `logs/`) for a look after a failure.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  BANK_PORT_OFFSET,
  type DevnetService,
  findFreeDevnetPort,
  type RunningDevnet,
  startDevnet,
  startDevnetBank,
  startDevnetGateway,
} from '@shardpay/cli';
import type { CrashStep } from '@shardpay/gateway';
import { type NetworkConfig, networkConfigFromJson, parseAmount } from '@shardpay/protocol';
import { waitFor } from '../../packages/node/test/helpers/waitFor.ts';
import {
  type ApiAnswer,
  type BankApi,
  bankApi,
  type ChainReader,
  chainReader,
  createRampUser,
  type GatewayApi,
  gatewayApi,
  type RampUser,
  type RequestOptions,
  seededAccount,
} from './rampKillClient.ts';

const seed = Number(process.env.SHARDPAY_TEST_SEED ?? 6);
const root = mkdtempSync(join(tmpdir(), 'shardpay-ramp-kill-'));
const dir = join(root, 'devnet');
/** A crashed request's idempotency claim is taken over after this (docs/gateway.md, Conventions). */
const claimTakeoverMs = 60_000;

let devnet: RunningDevnet;
let bankService: DevnetService | undefined;
let bankApiKey = '';
let gateway: DevnetService | undefined;
let port = 0;
let network: NetworkConfig;
/** The issuer: every mint (purchases, refunds) is its transaction, so its nonce counts them. */
let issuer = { address: '', shard: 0 };
let api: GatewayApi;
let chain: ChainReader;
let bank: BankApi;

before(async () => {
  port = await findFreeDevnetPort(2, 1);
  devnet = await startDevnet({
    dir,
    shards: 2,
    validators: 1,
    port,
    gateway: false,
    readyTimeoutMs: 120_000,
  });
  const started = await startDevnetBank({ dir, port: port + BANK_PORT_OFFSET });
  bankService = started.service;
  bankApiKey = started.apiKey;
  network = networkConfigFromJson(JSON.parse(readFileSync(join(dir, 'genesis.json'), 'utf8')));
  const issuerKey = JSON.parse(readFileSync(join(dir, 'keys', 'issuer.json'), 'utf8')) as typeof issuer;
  issuer = { address: issuerKey.address, shard: issuerKey.shard }; // its private key is not kept
  api = gatewayApi(`http://127.0.0.1:${port}`);
  chain = chainReader(devnet.shards);
  bank = bankApi(bankService.url, bankApiKey);
});

after(async () => {
  await gateway?.stop(10_000);
  await bankService?.stop(10_000);
  await devnet?.stop();
  if (process.env.SHARDPAY_KEEP_TEST_DIR !== '1') rmSync(root, { recursive: true, force: true });
});

/** Stops the running gateway (SIGTERM) and starts the devnet's gateway again on the same folder. */
async function startGateway(crashAt?: CrashStep): Promise<DevnetService> {
  await gateway?.stop(10_000);
  gateway = await startDevnetGateway({
    dir,
    port,
    shards: devnet.shards,
    bank: { url: bankService!.url, apiKey: bankApiKey },
    env: {
      // The test polls one gateway for up to a minute; the per-IP limit is not what it tests.
      SHARDPAY_RATE_LIMIT_MAX: '0',
      ...(crashAt === undefined ? {} : { SHARDPAY_CRASH_AT: crashAt }),
    },
  });
  return gateway;
}

/** Waits for `service` to die and checks it was by SIGKILL, its own, at the crash step. */
async function assertKilled(service: DevnetService, step: CrashStep): Promise<void> {
  await waitFor(
    `the gateway to kill itself at ${step} (log: ${service.log})`,
    30_000,
    () => !service.running(),
  );
  const { code, signal } = await service.exit;
  assert.equal(signal, 'SIGKILL', `the gateway exited with code ${code} / signal ${signal}, not SIGKILL`);
}

/** GETs `path` until its status is one of `statuses` (bounded); the body then. */
async function waitForStatus(
  path: string,
  token: string,
  statuses: string[],
): Promise<Record<string, unknown>> {
  let body: Record<string, unknown> = {};
  try {
    await waitFor(`${path} to be ${statuses.join(' or ')}`, 60_000, async () => {
      body = await api.expect(200, 'GET', path, { token });
      return statuses.includes(String(body.status));
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}; last: ${JSON.stringify(body)} (log: ${gateway?.log})`);
  }
  return body;
}

async function waitForBalance(user: RampUser, expected: bigint): Promise<void> {
  await waitFor(`${user.account.address} to hold ${expected}`, 30_000, async () => {
    return (await chain.account(user.account)).balance === expected;
  });
}

interface Money {
  supply: bigint;
  reserve: bigint;
  /** The issuer's committed nonce: how many mints (purchases and refunds) the chain ever included. */
  mints: bigint;
}

/** Supply (from every shard's `shardpay_getSupply`), the bank's available reserve, the mints so far. */
async function readMoney(): Promise<Money> {
  return {
    supply: await chain.supply(),
    reserve: await bank.reserve(),
    mints: (await chain.account(issuer)).nonce,
  };
}

/**
 * With nothing in flight, every coin is backed: supply equals the reserve as the chain and the bank
 * tell it, and the gateway's own reading (GET /v1/reserves) says they match.
 */
async function assertSupplyEqualsReserve(): Promise<Money> {
  const money = await readMoney();
  assert.equal(money.supply, money.reserve, 'supply (chain) equals the reserve (bank)');
  const reserves = await api.expect(200, 'GET', '/v1/reserves');
  assert.equal(reserves.matches, true, `GET /v1/reserves: ${JSON.stringify(reserves)}`);
  return money;
}

/**
 * A POST sent while the gateway may kill itself: its answer, or none when the process died first
 * (for the steps after the answer, the kill normally comes later; this only keeps a slow answer from
 * failing the test). `retryPastClaim` then finishes it the way a client would.
 */
async function postRacingKill(path: string, options: RequestOptions) {
  const sentAt = Date.now();
  try {
    return { answer: await api.request('POST', path, options), sentAt };
  } catch {
    return { answer: undefined, sentAt };
  }
}

/**
 * Retries a POST with its Idempotency-Key until the gateway stops answering `409
 * idempotency_key_in_use`: a request killed mid-flight leaves its claim `running`, taken over after
 * 60 s (bounded from `sentAt`, when the claim was made at the earliest).
 */
async function retryPastClaim(path: string, options: RequestOptions, sentAt: number): Promise<ApiAnswer> {
  let answer: ApiAnswer = { status: 0, body: {} };
  const bound = Math.max(10_000, claimTakeoverMs + 30_000 - (Date.now() - sentAt));
  await waitFor(`the claim of the killed ${path} to be taken over`, bound, async () => {
    answer = await api.request('POST', path, options);
    return answer.status !== 409;
  });
  return answer;
}

let userCount = 0;
async function newUser(label: string, shard: number): Promise<RampUser> {
  userCount += 1;
  const account = seededAccount(network, `ramp-kill/${seed}/${label}`, shard);
  return createRampUser(api, `ramp-kill-${seed}-${userCount}@example.com`, account);
}

const card = { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' };

/**
 * A succeeded purchase, checked at the chain and the bank: its mint is final and the wallet holds
 * exactly `amount` (a second mint would show), exactly one authorization at the bank, captured once,
 * and one `capture` row in the reserve ledger.
 */
async function assertOnePurchase(user: RampUser, purchase: Record<string, unknown>, amount: bigint) {
  assert.equal(purchase.status, 'succeeded', JSON.stringify(purchase));
  assert.ok(
    ['final', 'credited'].includes(await chain.transactionStatus(issuer.shard, purchase.tx as string)),
    'the mint is final',
  );
  await waitForBalance(user, amount);
  const intents = await bank.withMetadata('/v1/payment_intents', 'purchase', purchase.id as string);
  assert.equal(intents.length, 1, 'exactly one authorization');
  assert.equal(intents[0]!.id, purchase.charge);
  assert.equal(intents[0]!.status, 'succeeded');
  assert.equal(intents[0]!.amount_received, intents[0]!.amount);
  assert.deepEqual(await bank.ledgerRowsOf(purchase.charge as string), [{ type: 'capture', amount }]);
}

describe(`the gateway process killed at every ramp step (seed ${seed})`, { timeout: 300_000 }, () => {
  /** The purchase whose request was killed after the authorization: retried by the last test. */
  let killedRequest: { user: RampUser; request: RequestOptions; sentAt: number } | undefined;

  it('a purchase killed after_authorize: the request dies unanswered and its claim holds', async () => {
    const crashing = await startGateway('after_authorize');
    const user = await newUser('after_authorize', issuer.shard);
    const request = {
      token: user.token,
      body: { wallet: user.walletId, amount: '7.00', card },
      idempotencyKey: `ramp-kill-${seed}-after-authorize`,
    };
    const sent = await postRacingKill('/v1/purchases', request);
    assert.equal(sent.answer, undefined, 'the client gets no answer');
    await assertKilled(crashing, 'after_authorize');
    await startGateway();
    // The claim of the killed request is fresh: a retry now is told to wait, and runs nothing.
    const early = await api.request('POST', '/v1/purchases', request);
    assert.equal(early.status, 409, JSON.stringify(early.body));
    assert.equal((early.body.error as { code: string }).code, 'idempotency_key_in_use');
    killedRequest = { user, request, sentAt: sent.sentAt };
    await assertSupplyEqualsReserve();
  });

  const purchaseSteps: Array<[CrashStep, string]> = [
    ['after_mint_submit', '12.00'],
    ['after_mint_final', '13.50'],
    ['after_capture', '14.25'],
  ];
  for (const [step, amount] of purchaseSteps) {
    it(`a purchase of ${amount} killed ${step}, restarted → one mint, one capture`, async () => {
      const crashing = await startGateway(step);
      const user = await newUser(step, issuer.shard);
      const before = await readMoney();
      const request = {
        token: user.token,
        body: { wallet: user.walletId, amount, card },
        idempotencyKey: `ramp-kill-${seed}-${step}`,
      };
      const sent = await postRacingKill('/v1/purchases', request);
      await assertKilled(crashing, step);
      await startGateway();
      const answer = sent.answer ?? (await retryPastClaim('/v1/purchases', request, sent.sentAt));
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      const created = answer.body;
      const done = await waitForStatus(`/v1/purchases/${created.id}`, user.token, ['succeeded', 'failed']);
      const minor = parseAmount(amount);
      await assertOnePurchase(user, done, minor);
      const afterwards = await assertSupplyEqualsReserve();
      assert.equal(afterwards.mints - before.mints, 1n, 'one mint');
      assert.equal(afterwards.supply - before.supply, minor, 'supply: one mint');
      assert.equal(afterwards.reserve - before.reserve, minor, 'reserve: one capture');
    });
  }

  // Wallets alternate between the shards, so burns happen on both and the refund crosses shards.
  const cashoutCases: Array<[CrashStep, string, string, 'paid' | 'refunded']> = [
    ['after_burn_final', '000123456789', 'an account that pays', 'paid'],
    ['during_payout', '000123456789', 'an account that pays', 'paid'],
    ['after_refund_submit', '000111111113', 'a closed account', 'refunded'],
  ];
  for (const [index, [step, accountNumber, what, outcome]] of cashoutCases.entries()) {
    const result = outcome === 'paid' ? 'one payout' : 'one failed payout and one refund';
    it(`a cash-out to ${what} killed ${step}, restarted → ${result}`, async () => {
      const crashing = await startGateway(step);
      const user = await newUser(`${step}-${accountNumber}`, index % 2);
      await api.expect(201, 'POST', '/v1/faucet', {
        body: { address: user.account.address, amount: '20' },
        idempotencyKey: `ramp-kill-${seed}-faucet-${index}`,
      });
      await waitForBalance(user, 20_000_000n);
      const before = await readMoney();
      const cashout = await api.expect(201, 'POST', '/v1/cashouts', {
        token: user.token,
        body: {
          wallet: user.walletId,
          amount: '8.00',
          bank_account: { routing_number: '110000000', account_number: accountNumber },
        },
        idempotencyKey: `ramp-kill-${seed}-cashout-${index}`,
      });
      const transaction = await chain.signedBurn(
        user.account,
        cashout as { amount: string; payout_reference: string },
      );
      const burnPath = `/v1/cashouts/${cashout.id}/burn`;
      const burnRequest = {
        token: user.token,
        body: { transaction },
        idempotencyKey: `ramp-kill-${seed}-burn-${index}`,
      };
      const sent = await postRacingKill(burnPath, burnRequest);
      await assertKilled(crashing, step);
      await startGateway();
      const burning = sent.answer ?? (await retryPastClaim(burnPath, burnRequest, sent.sentAt));
      assert.equal(burning.status, 200, JSON.stringify(burning.body));
      assert.equal(burning.body.status, 'burning');
      const done = await waitForStatus(`/v1/cashouts/${cashout.id}`, user.token, ['paid', 'refunded']);
      assert.equal(done.status, outcome, JSON.stringify(done));
      assert.equal(
        await chain.transactionStatus(index % 2, done.burn_tx as string),
        'final',
        'the burn is final',
      );

      const payouts = await bank.withMetadata('/v1/payouts', 'cashout', cashout.id as string);
      assert.equal(payouts.length, 1, 'exactly one payout for the burn');
      const [payout] = payouts;
      assert.equal(payout!.id, done.payout);
      assert.equal(payout!.status, outcome === 'paid' ? 'paid' : 'failed');
      const moved = outcome === 'paid' ? 8_000_000n : 0n;
      const rows = await bank.ledgerRowsOf(payout!.id as string);
      const expectedRows =
        outcome === 'paid'
          ? [{ type: 'payout', amount: -8_000_000n }]
          : [
              { type: 'payout', amount: -8_000_000n },
              { type: 'payout_reversal', amount: 8_000_000n },
            ];
      assert.deepEqual(rows, expectedRows, 'the reserve ledger of the payout');
      if (outcome === 'refunded') {
        assert.ok(
          ['final', 'credited'].includes(
            await chain.transactionStatus(issuer.shard, done.refund_tx as string),
          ),
          'the refund mint is final',
        );
      } else {
        assert.equal(done.refund_tx, null);
      }
      await waitForBalance(user, 20_000_000n - moved);
      const afterwards = await assertSupplyEqualsReserve();
      assert.equal(afterwards.mints - before.mints, outcome === 'paid' ? 0n : 1n, 'no mint, or one refund');
      assert.equal(before.supply - afterwards.supply, moved, 'supply: the burn, less one refund');
      assert.equal(before.reserve - afterwards.reserve, moved, 'reserve: one payout, or none');
    });
  }

  it('the purchase killed after_authorize: the retry past the takeover → the same authorization, one mint, one capture', async (t) => {
    if (killedRequest === undefined) {
      t.skip('its first half (the kill) did not run');
      return;
    }
    const { user, request, sentAt } = killedRequest;
    if (gateway?.running() !== true) await startGateway();
    const before = await readMoney();
    const retry = await retryPastClaim('/v1/purchases', request, sentAt);
    assert.ok(Date.now() - sentAt >= claimTakeoverMs, 'not taken over before its time');
    assert.equal(retry.status, 201, JSON.stringify(retry.body));
    const done = await waitForStatus(`/v1/purchases/${retry.body.id}`, user.token, ['succeeded', 'failed']);
    await assertOnePurchase(user, done, 7_000_000n);
    const afterwards = await assertSupplyEqualsReserve();
    assert.equal(afterwards.mints - before.mints, 1n, 'one mint');
    assert.equal(afterwards.supply - before.supply, 7_000_000n, 'supply: one mint');
    assert.equal(afterwards.reserve - before.reserve, 7_000_000n, 'reserve: one capture');
    const audit = await api.expect(200, 'GET', '/v1/audit/verify');
    assert.equal(audit.valid, true, `the audit log of all those kills: ${JSON.stringify(audit)}`);
  });
});
