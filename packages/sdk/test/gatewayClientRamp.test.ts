import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hexToBytes } from '@shardpay/crypto';
import { decodeTransaction, isTransactionSignatureValid } from '@shardpay/protocol';
import {
  buildCashoutBurn,
  createAccountFromPrivateKey,
  createGatewayClient,
  isCardError,
  isGatewayError,
  waitForCashout,
  waitForPurchase,
} from '../src/index.ts';
import { createTestNetworkConfig, testPrivateKey } from './helpers/testNetwork.ts';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

type Reply = { status: number; body?: unknown } | Error;

/** A fake fetch answering from a list of replies in order; records every request. */
function fakeFetch(replies: Reply[]) {
  const seen: Seen[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    seen.push({
      method: String(init.method),
      url,
      headers: { ...(init.headers as Record<string, string>) },
      body: init.body === undefined ? undefined : JSON.parse(String(init.body)),
    });
    const reply = replies.shift();
    if (reply === undefined) throw new Error(`unexpected request ${init.method} ${url}`);
    if (reply instanceof Error) throw reply;
    return new Response(reply.body === undefined ? '' : JSON.stringify(reply.body), {
      status: reply.status,
      headers: { 'content-type': 'application/json', 'request-id': 'req_test' },
    });
  };
  return { fetch, seen };
}

const apiError = (status: number, type: string, code: string, message = `${code} happened`) => ({
  status,
  body: { error: { type, code, message, param: null, request_id: 'req_abc' } },
});

const options = { url: 'http://gateway.test', retryDelayMs: 1, accessToken: 'access' };
const card = { number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' };
const purchase = (status: string) => ({
  status: 200,
  body: { id: 'pur_1', object: 'purchase', status, amount: '100.000000' },
});
const cashoutReply = (status: string) => ({
  status: 200,
  body: { id: 'co_1', object: 'cashout', status, amount: '40.000000', payout_reference: 'co_1' },
});

describe('gateway client: purchases, cash-outs, reserves', () => {
  it('createPurchase keeps one Idempotency-Key over its retries, and takes a new one per call', async () => {
    const created = { status: 201, body: { id: 'pur_1', object: 'purchase', status: 'authorized' } };
    const { fetch, seen } = fakeFetch([
      new TypeError('fetch failed'),
      apiError(503, 'api_error', 'service_unavailable'),
      created,
      created,
      created,
    ]);
    const client = createGatewayClient({ ...options, fetch });
    const parameters = { wallet: 'wal_1', amount: '100', card };
    assert.equal((await client.createPurchase(parameters)).id, 'pur_1');
    const keys = seen.map((request) => request.headers['idempotency-key']);
    assert.equal(keys.length, 3);
    assert.ok(keys[0]?.startsWith('sdk_') && keys.every((key) => key === keys[0]), `one key: ${keys}`);
    assert.equal(seen[0]!.url, 'http://gateway.test/v1/purchases');
    assert.equal(seen[0]!.headers.authorization, 'Bearer access');
    assert.deepEqual(seen[0]!.body, parameters);
    await client.createPurchase(parameters);
    assert.notEqual(seen[3]!.headers['idempotency-key'], keys[0]);
    await client.createPurchase(parameters, { idempotencyKey: 'buy-1' });
    assert.equal(seen[4]!.headers['idempotency-key'], 'buy-1');
  });

  it('a decline (402 card_error) is a card error whose code is the decline code, never retried', async () => {
    const { fetch, seen } = fakeFetch([
      apiError(402, 'card_error', 'insufficient_funds', 'Your card has insufficient funds.'),
      apiError(402, 'card_error', 'generic_decline', 'Your card was declined.'),
      apiError(400, 'invalid_request_error', 'parameter_invalid'),
    ]);
    const client = createGatewayClient({ ...options, fetch });
    const caught = async (call: Promise<unknown>) =>
      call.then(
        () => assert.fail('should be refused'),
        (error: unknown) => error,
      );
    const noFunds = await caught(client.createPurchase({ wallet: 'wal_1', amount: '10', card }));
    assert.ok(isCardError(noFunds));
    assert.ok(isGatewayError(noFunds, 'INSUFFICIENT_FUNDS'));
    assert.equal(noFunds.message, 'Your card has insufficient funds.');
    assert.equal(noFunds.meta.status, 402);
    assert.equal(noFunds.meta.type, 'card_error');
    assert.equal(noFunds.meta.declineCode, 'insufficient_funds');
    assert.equal(seen.length, 1, 'a decline is an answer: no retry');
    const generic = await caught(client.confirmPurchase('pur_1'));
    assert.ok(isCardError(generic) && generic.code === 'GENERIC_DECLINE');
    const other = await caught(client.createPurchase({ wallet: 'wal_1', amount: '10', card }));
    assert.equal(isCardError(other), false);
    assert.ok(isGatewayError(other, 'PARAMETER_INVALID'));
    assert.equal(other.meta.declineCode, undefined);
  });

  it('confirms, reads and lists purchases and cash-outs on their paths', async () => {
    const list = { status: 200, body: { object: 'list', data: [], has_more: false } };
    const { fetch, seen } = fakeFetch([
      purchase('authorized'),
      purchase('failed'),
      purchase('minting'),
      list,
      cashoutReply('paid'),
      list,
    ]);
    const client = createGatewayClient({ ...options, fetch });
    await client.confirmPurchase('pur_1');
    await client.confirmPurchase('pur_1', { fail: true });
    await client.getPurchase('pur_1');
    await client.listPurchases({ limit: 3, startingAfter: 'pur_0' });
    await client.getCashout('co_1');
    await client.listCashouts({ endingBefore: 'co_9' });
    assert.deepEqual(
      seen.map((request) => `${request.method} ${request.url.replace('http://gateway.test', '')}`),
      [
        'POST /v1/purchases/pur_1/confirm',
        'POST /v1/purchases/pur_1/confirm',
        'GET /v1/purchases/pur_1',
        'GET /v1/purchases?limit=3&starting_after=pur_0',
        'GET /v1/cashouts/co_1',
        'GET /v1/cashouts?ending_before=co_9',
      ],
    );
    assert.deepEqual(seen[0]!.body, {});
    assert.deepEqual(seen[1]!.body, { fail: true });
    assert.ok(seen.every((request) => request.headers.authorization === 'Bearer access'));
  });

  it('a cash-out: created, then paid for by a burn of its amount naming its id, keys kept on retries', async () => {
    const network = createTestNetworkConfig();
    const account = createAccountFromPrivateKey(testPrivateKey('cash-out'), network);
    const started = {
      id: 'co_AAAAAAAAAAAAAAAAAAAAAA',
      object: 'cashout',
      status: 'awaiting_burn',
      amount: '40.000000',
      payout_reference: 'co_AAAAAAAAAAAAAAAAAAAAAA',
    };
    const { fetch, seen } = fakeFetch([
      { status: 201, body: started },
      apiError(502, 'api_error', 'service_unavailable'),
      { status: 200, body: { ...started, status: 'burning' } },
    ]);
    const client = createGatewayClient({ ...options, fetch });
    const bankAccount = { routing_number: '110000000', account_number: '000123456789' };
    const cashout = await client.createCashout({ wallet: 'wal_1', amount: '40', bank_account: bankAccount });
    assert.deepEqual(seen[0]!.body, { wallet: 'wal_1', amount: '40', bank_account: bankAccount });
    const burn = buildCashoutBurn({ from: account, cashout, nonce: 3n, expiryHeight: 700n });
    assert.equal((await client.submitCashoutBurn(cashout.id, burn)).status, 'burning');
    assert.equal(seen[1]!.url, `http://gateway.test/v1/cashouts/${started.id}/burn`);
    assert.equal(seen[1]!.headers['idempotency-key'], seen[2]!.headers['idempotency-key']);
    assert.notEqual(seen[0]!.headers['idempotency-key'], seen[1]!.headers['idempotency-key']);
    const sent = decodeTransaction(hexToBytes((seen[1]!.body as { transaction: string }).transaction));
    assert.ok(isTransactionSignatureValid(sent));
    assert.deepEqual(sent.operation, {
      type: 'burn',
      amount: 40_000_000n,
      payoutReference: started.id,
    });
    assert.equal(sent.nonce, 3n);
  });

  it('reads the reserves without a login', async () => {
    const reserves = { object: 'reserves', supply: '1.000000', reserve: '1.000000', matches: true };
    const { fetch, seen } = fakeFetch([{ status: 200, body: reserves }]);
    const client = createGatewayClient({ url: 'http://gateway.test', fetch });
    assert.deepEqual(await client.reserves(), reserves);
    assert.equal(seen[0]!.url, 'http://gateway.test/v1/reserves');
    assert.equal(seen[0]!.headers.authorization, undefined);
  });

  it('waitForPurchase stops at succeeded or requires_action; waitForCashout times out with the last status', async () => {
    const { fetch } = fakeFetch([
      purchase('authorized'),
      purchase('minting'),
      purchase('minting'),
      purchase('succeeded'),
      purchase('requires_action'),
      // However slow the machine, every read within the wait says burned.
      cashoutReply('burned'),
      cashoutReply('burned'),
      cashoutReply('burned'),
    ]);
    const client = createGatewayClient({ ...options, fetch });
    const statuses: string[] = [];
    const done = await waitForPurchase(client, 'pur_1', { onStatus: (item) => statuses.push(item.status) });
    assert.equal(done.status, 'succeeded');
    assert.deepEqual(statuses, ['authorized', 'minting', 'succeeded']);
    assert.equal((await waitForPurchase(client, 'pur_1')).status, 'requires_action');
    await assert.rejects(waitForCashout(client, 'co_1', { timeoutMs: 450 }), (error: unknown) => {
      assert.ok(isGatewayError(error, 'WAIT_TIMEOUT'));
      assert.equal(error.meta.lastStatus, 'burned');
      return true;
    });
  });
});
