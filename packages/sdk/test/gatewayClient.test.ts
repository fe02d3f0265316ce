import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { domainHash, hexToBytes, utf8ToBytes, verifyHash } from '@shardpay/crypto';
import { walletChallengeSigningHash } from '@shardpay/protocol';
import {
  buildTransfer,
  createAccountFromPrivateKey,
  createGatewayClient,
  type GatewayTokens,
  isGatewayError,
  waitForPayment,
} from '../src/index.ts';
import { createTestNetworkConfig, testPrivateKey } from './helpers/testNetwork.ts';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

type Reply = { status: number; body?: unknown; text?: string; headers?: Record<string, string> } | Error;

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
    const text = reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
    return new Response(reply.status === 204 ? null : text, {
      status: reply.status,
      headers: { 'content-type': 'application/json', 'request-id': 'req_test', ...reply.headers },
    });
  };
  return { fetch, seen };
}

const apiError = (status: number, type: string, code: string, param: string | null = null) => ({
  status,
  body: { error: { type, code, message: `${code} happened`, param, request_id: 'req_abc' } },
});

const session = (n: number) => ({
  id: `ses_${n}`,
  object: 'session',
  user_id: 'usr_1',
  token_type: 'Bearer',
  access_token: `access-${n}`,
  expires_at: 1000 + n,
  refresh_token: `rt_${n}`,
  refresh_token_expires_at: 2000 + n,
});

const options = { url: 'http://gateway.test/', retryDelayMs: 1 };

describe('gateway client', () => {
  it('maps an API error to a GatewayError with the code upper-cased and its meta', async () => {
    const { fetch, seen } = fakeFetch([apiError(400, 'invalid_request_error', 'address_invalid', 'address')]);
    const client = createGatewayClient({ ...options, fetch });
    const error = await client.account('spd1nope').then(
      () => assert.fail('should refuse'),
      (caught: unknown) => caught,
    );
    assert.ok(isGatewayError(error, 'ADDRESS_INVALID'));
    assert.deepEqual(
      {
        status: error.meta.status,
        type: error.meta.type,
        param: error.meta.param,
        requestId: error.meta.requestId,
      },
      { status: 400, type: 'invalid_request_error', param: 'address', requestId: 'req_abc' },
    );
    assert.equal(error.message, 'address_invalid happened');
    assert.equal(seen[0]!.url, 'http://gateway.test/v1/accounts/spd1nope');
    assert.equal(seen[0]!.headers.authorization, undefined, 'public endpoints carry no token');
  });

  it('says GATEWAY_UNREACHABLE when nothing answers, after its retries', async () => {
    const refused = () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const { fetch, seen } = fakeFetch([refused(), refused(), refused()]);
    const client = createGatewayClient({ ...options, fetch });
    await assert.rejects(client.network(), (error: unknown) => {
      assert.ok(isGatewayError(error, 'GATEWAY_UNREACHABLE'));
      assert.match(error.message, /ECONNREFUSED/);
      assert.equal(error.meta.status, 0);
      return true;
    });
    assert.equal(seen.length, 3);
  });

  it('refuses a 2xx answer that is not JSON with GATEWAY_RESPONSE_INVALID', async () => {
    const { fetch } = fakeFetch([{ status: 200, text: '<html>' }]);
    const client = createGatewayClient({ ...options, fetch });
    await assert.rejects(client.network(), { code: 'GATEWAY_RESPONSE_INVALID' });
  });

  it('keeps the session tokens at log-in, refreshes once on token_expired and tells onTokens', async () => {
    const told: Array<GatewayTokens | null> = [];
    const { fetch, seen } = fakeFetch([
      { status: 201, body: session(1) },
      apiError(401, 'authentication_error', 'token_expired'),
      { status: 201, body: session(2) },
      { status: 200, body: { id: 'usr_1', object: 'user', email: 'a@b.co', created: 1 } },
      { status: 204 },
    ]);
    const client = createGatewayClient({ ...options, fetch, onTokens: (tokens) => told.push(tokens) });
    await client.logIn({ email: 'a@b.co', password: 'long enough password' });
    const user = await client.me();
    assert.equal(user.email, 'a@b.co');
    assert.deepEqual(
      seen.map((request) => `${request.method} ${new URL(request.url).pathname}`),
      ['POST /v1/sessions', 'GET /v1/me', 'POST /v1/sessions/refresh', 'GET /v1/me'],
    );
    assert.equal(seen[1]!.headers.authorization, 'Bearer access-1');
    assert.deepEqual(seen[2]!.body, { refresh_token: 'rt_1' });
    assert.equal(seen[3]!.headers.authorization, 'Bearer access-2');
    assert.deepEqual(
      told.map((tokens) => tokens?.accessToken),
      ['access-1', 'access-2'],
    );
    await client.logOut();
    assert.equal(seen[4]!.method, 'DELETE');
    assert.equal(told.at(-1), null);
    assert.equal(client.tokens(), null);
  });

  it('refreshes at most once per call: a second token_expired is thrown', async () => {
    const { fetch, seen } = fakeFetch([
      apiError(401, 'authentication_error', 'token_expired'),
      { status: 201, body: session(3) },
      apiError(401, 'authentication_error', 'token_expired'),
    ]);
    const client = createGatewayClient({ ...options, fetch, accessToken: 'old', refreshToken: 'rt_old' });
    await assert.rejects(client.listWallets(), { code: 'TOKEN_EXPIRED' });
    assert.equal(seen.length, 3);
  });

  it('ends the session when the gateway refuses the refresh token, and tells onTokens', async () => {
    const told: Array<GatewayTokens | null> = [];
    const { fetch, seen } = fakeFetch([
      apiError(401, 'authentication_error', 'token_expired'),
      apiError(401, 'authentication_error', 'refresh_token_invalid'),
    ]);
    const client = createGatewayClient({
      ...options,
      fetch,
      accessToken: 'old',
      refreshToken: 'rt_used',
      onTokens: (tokens) => told.push(tokens),
    });
    await assert.rejects(client.listWallets(), { code: 'REFRESH_TOKEN_INVALID' });
    assert.equal(seen.length, 2);
    assert.equal(client.tokens(), null);
    assert.deepEqual(told, [null]);
  });

  it('keeps the tokens when the refresh fails because the gateway is unreachable', async () => {
    const refused = () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const told: Array<GatewayTokens | null> = [];
    const { fetch } = fakeFetch([apiError(401, 'authentication_error', 'token_expired'), refused()]);
    const client = createGatewayClient({
      ...options,
      fetch,
      accessToken: 'old',
      refreshToken: 'rt_1',
      onTokens: (tokens) => told.push(tokens),
    });
    await assert.rejects(client.listWallets(), { code: 'GATEWAY_UNREACHABLE' });
    assert.equal(client.tokens()?.refreshToken, 'rt_1');
    assert.deepEqual(told, []);
  });

  it('without a refresh token, token_expired is thrown at once', async () => {
    const { fetch, seen } = fakeFetch([apiError(401, 'authentication_error', 'token_expired')]);
    const client = createGatewayClient({ ...options, fetch, accessToken: 'old' });
    await assert.rejects(client.listPayments(), { code: 'TOKEN_EXPIRED' });
    assert.equal(seen.length, 1);
  });

  it('reuses one Idempotency-Key on the retries of a call, and uses a new one per call', async () => {
    const network = createTestNetworkConfig();
    const account = createAccountFromPrivateKey(testPrivateKey('gateway client'), network);
    const tx = buildTransfer({
      from: account,
      to: account.address,
      amount: '1.5',
      nonce: 0n,
      expiryHeight: 100n,
    });
    const payment = { id: 'pay_1', object: 'payment', status: 'pending' };
    const { fetch, seen } = fakeFetch([
      new TypeError('fetch failed'),
      apiError(503, 'api_error', 'chain_unavailable'),
      apiError(409, 'idempotency_error', 'idempotency_key_in_use'),
      { status: 201, body: payment },
      { status: 201, body: payment },
    ]);
    const client = createGatewayClient({ ...options, fetch, accessToken: 'a', retries: 3 });
    assert.deepEqual(await client.submitPayment(tx), payment);
    const keys = seen.map((request) => request.headers['idempotency-key']);
    assert.equal(keys.length, 4);
    assert.ok(keys[0] && keys.every((key) => key === keys[0]), `one key for every attempt: ${keys}`);
    assert.match(String((seen[0]!.body as { transaction: string }).transaction), /^[0-9a-f]+$/);
    await client.submitPayment(tx);
    assert.notEqual(seen[4]!.headers['idempotency-key'], keys[0]);
  });

  it('does not retry a refusal, and never retries a refresh', async () => {
    const { fetch, seen } = fakeFetch([
      apiError(400, 'invalid_request_error', 'insufficient_funds', 'transaction'),
      new TypeError('fetch failed'),
    ]);
    const client = createGatewayClient({ ...options, fetch, accessToken: 'a', refreshToken: 'rt_1' });
    await assert.rejects(client.submitPayment('00'), { code: 'INSUFFICIENT_FUNDS' });
    await assert.rejects(client.refresh(), { code: 'GATEWAY_UNREACHABLE' });
    assert.equal(seen.length, 2);
  });

  it('registers a wallet with a signature over the challenge hash, never sending a secret', async () => {
    const network = createTestNetworkConfig();
    const account = createAccountFromPrivateKey(testPrivateKey('register'), network);
    const message = 'Shardpay wallet registration\nchallenge: wch_x\nuser: usr_1\nnonce: 00';
    const { fetch, seen } = fakeFetch([
      {
        status: 201,
        body: { id: 'wch_abcdefghijklmnopqrstuv', object: 'wallet_challenge', message, expires_at: 1 },
      },
      { status: 201, body: { id: 'wal_1', object: 'wallet', address: account.address } },
    ]);
    const client = createGatewayClient({ ...options, fetch, accessToken: 'a' });
    const wallet = await client.registerWallet({ account, label: 'main' });
    assert.equal(wallet.id, 'wal_1');
    const body = seen[1]!.body as Record<string, string>;
    assert.deepEqual(Object.keys(body).sort(), [
      'address',
      'challenge_id',
      'label',
      'public_key',
      'signature',
    ]);
    const hash = walletChallengeSigningHash(message);
    assert.deepEqual(hash, domainHash('shardpay/gateway/wallet-registration/v1', utf8ToBytes(message)));
    assert.ok(verifyHash(hexToBytes(body.signature!), hash, account.publicKey));
    assert.ok(seen.every((request) => request.headers['idempotency-key']?.startsWith('sdk_')));
  });

  it('builds list queries and faucet calls as the API names them', async () => {
    const list = { object: 'list', data: [], has_more: false };
    const { fetch, seen } = fakeFetch([
      { status: 200, body: list },
      { status: 201, body: { object: 'faucet_transfer', tx_id: 'ab' } },
    ]);
    const client = createGatewayClient({ ...options, fetch });
    await client.accountTransactions('spd1x', { limit: 5, startingAfter: 'ff' });
    await client.faucet({ address: 'spd1x', amount: '10' }, { idempotencyKey: 'mine' });
    assert.equal(
      seen[0]!.url,
      'http://gateway.test/v1/accounts/spd1x/transactions?limit=5&starting_after=ff',
    );
    assert.equal(seen[1]!.headers['idempotency-key'], 'mine');
    assert.deepEqual(seen[1]!.body, { address: 'spd1x', amount: '10' });
  });

  it('waitForPayment polls until a wanted or terminal status, and times out with WAIT_TIMEOUT', async () => {
    const pay = (status: string) => ({ status: 200, body: { id: 'pay_1', object: 'payment', status } });
    const { fetch } = fakeFetch([
      pay('pending'),
      pay('final'),
      pay('credited'),
      pay('pending'),
      pay('pending'),
    ]);
    const client = createGatewayClient({ ...options, fetch, accessToken: 'a' });
    const statuses: string[] = [];
    const done = await waitForPayment(client, 'pay_1', ['credited'], {
      onStatus: (p) => statuses.push(p.status),
    });
    assert.equal(done.status, 'credited');
    assert.deepEqual(statuses, ['pending', 'final', 'credited']);
    await assert.rejects(waitForPayment(client, 'pay_1', ['final'], { timeoutMs: 300 }), (error: unknown) => {
      assert.ok(isGatewayError(error, 'WAIT_TIMEOUT'));
      assert.equal(error.meta.lastStatus, 'pending');
      return true;
    });
  });

  it('refuses a URL that is not http(s)', () => {
    assert.throws(() => createGatewayClient({ url: 'ftp://x' }), { code: 'PARAMETER_INVALID' });
  });
});
