/**
 * The whole user path through the gateway's HTTP API against a real multi-process devnet (2 shards ×
 * 4 validators, started by `startDevnet` exactly as `shardpay devnet` does): sign up, create wallets
 * in the SDK (keys never leave this process), register them, fund from the devnet faucet, send within
 * and across shards, and check balances, history, statuses and the live event stream on both sides.
 *
 * The same flow runs against the devnet's own gateway process (PGlite) and against two gateway
 * replicas sharing one PostgreSQL server, with every step sent to the other replica than the last
 * (the PostgreSQL run is skipped, saying why, unless SHARDPAY_TEST_DATABASE_URL is set; CI sets it).
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findFreeDevnetPort, type RunningDevnet, startDevnet } from '@shardpay/cli';
import { bytesToHex, signHash } from '@shardpay/crypto';
import { createGatewayServer, type GatewayServer, resolveGatewayConfig } from '@shardpay/gateway';
import {
  encodeTransaction,
  type NetworkConfig,
  networkConfigFromJson,
  walletChallengeSigningHash,
} from '@shardpay/protocol';
import { buildTransfer, createWallet, type WalletAccount } from '@shardpay/sdk';
import { createScratchPostgres } from '../../packages/gateway/test/helpers/scratchPostgres.ts';
import { waitFor } from '../../packages/node/test/helpers/waitFor.ts';

const root = mkdtempSync(join(tmpdir(), 'shardpay-gateway-e2e-'));
let devnet: RunningDevnet;
let network: NetworkConfig;

before(async () => {
  const port = await findFreeDevnetPort(2, 4);
  devnet = await startDevnet({
    dir: join(root, 'devnet'),
    shards: 2,
    validators: 4,
    port,
    readyTimeoutMs: 120_000,
  });
  const response = await fetch(`${devnet.gateway}/v1/network`);
  assert.equal(response.status, 200, await response.clone().text());
  network = networkConfigFromJson(((await response.json()) as { network_config: unknown }).network_config);
});

after(async () => {
  await devnet?.stop();
  rmSync(root, { recursive: true, force: true });
});

interface ApiAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/**
 * The API as a client sees it, over one or more gateway URLs: `next()` picks the replica for each
 * request in turn, so consecutive steps of a flow land on different replicas.
 */
function apiOver(urls: string[]) {
  let turn = 0;
  async function request(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; idempotencyKey?: string; url?: string } = {},
  ): Promise<ApiAnswer> {
    const base = options.url ?? urls[turn++ % urls.length]!;
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text === '' ? {} : JSON.parse(text) };
  }
  return { request, urls };
}

type Api = ReturnType<typeof apiOver>;

function expectStatus(answer: ApiAnswer, status: number, what: string): Record<string, unknown> {
  assert.equal(answer.status, status, `${what}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Signs up and logs in a new user; returns its access token. */
async function newUser(api: Api): Promise<string> {
  const email = `e2e-${randomUUID()}@example.com`;
  const password = 'correct horse battery staple';
  expectStatus(await api.request('POST', '/v1/users', { body: { email, password } }), 201, 'sign-up');
  const session = expectStatus(
    await api.request('POST', '/v1/sessions', { body: { email, password } }),
    201,
    'login',
  );
  return session.access_token as string;
}

/** Registers `account` for the user: a challenge signed by the account's key (the key stays here). */
async function registerWallet(api: Api, token: string, account: WalletAccount): Promise<string> {
  const challenge = expectStatus(
    await api.request('POST', '/v1/wallet_challenges', { token, body: {} }),
    201,
    'wallet challenge',
  );
  const signature = signHash(
    walletChallengeSigningHash(challenge.message as string),
    account.exportPrivateKey(),
  );
  const wallet = expectStatus(
    await api.request('POST', '/v1/wallets', {
      token,
      body: {
        address: account.address,
        public_key: bytesToHex(account.publicKey),
        challenge_id: challenge.id,
        signature: bytesToHex(signature),
      },
    }),
    201,
    'wallet registration',
  );
  return wallet.id as string;
}

/** The first accounts of a new wallet that live on shard 0 and on shard 1. */
function accountsOnEachShard(): [WalletAccount, WalletAccount] {
  const wallet = createWallet({ network });
  const accounts = wallet.accounts(64);
  const onShard = (shard: number) => {
    const account = accounts.find((candidate) => candidate.shard === shard);
    assert.ok(account, `no account on shard ${shard} among the first 64`);
    return account;
  };
  return [onShard(0), onShard(1)];
}

async function balanceOf(api: Api, address: string): Promise<string> {
  const account = expectStatus(await api.request('GET', `/v1/accounts/${address}`), 200, 'account');
  return account.balance as string;
}

/** Signs a transfer with the sender's next nonce (read through the API) and returns its hex encoding. */
async function signedTransfer(api: Api, from: WalletAccount, to: string, amount: string): Promise<string> {
  const account = expectStatus(await api.request('GET', `/v1/accounts/${from.address}`), 200, 'account');
  const tx = buildTransfer({
    from,
    to,
    amount,
    nonce: BigInt(account.pending_nonce as string),
    expiryHeight: BigInt(account.height as string) + 600n,
  });
  return bytesToHex(encodeTransaction(tx));
}

async function waitForPaymentStatus(api: Api, token: string, id: string, status: string): Promise<void> {
  await waitFor(`payment ${id} to become ${status}`, 60_000, async () => {
    const payment = expectStatus(await api.request('GET', `/v1/payments/${id}`, { token }), 200, 'payment');
    return payment.status === status;
  });
}

/** Collects a user's events from the WebSocket stream of one replica. */
function openEventStream(url: string, token: string) {
  const events: Array<{ id: string; type: string; data: Record<string, unknown> }> = [];
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/events/stream`);
  const ready = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'auth', access_token: token })));
    socket.addEventListener('message', (message) => {
      const frame = JSON.parse(String(message.data)) as { type: string; event?: (typeof events)[number] };
      if (frame.type === 'ready') resolve();
      else if (frame.type === 'event' && frame.event) events.push(frame.event);
      else if (frame.type === 'error') reject(new Error(`event stream refused: ${String(message.data)}`));
    });
    socket.addEventListener('error', () => reject(new Error('event stream failed')));
  });
  return { events, ready, close: () => socket.close() };
}

/** The user path of issue 5, against the gateway(s) behind `api`. */
async function runUserPath(api: Api): Promise<void> {
  const aliceToken = await newUser(api);
  const bobToken = await newUser(api);
  const [alice0] = accountsOnEachShard();
  const [bob0, bob1] = accountsOnEachShard();
  const aliceWallet = await registerWallet(api, aliceToken, alice0);
  const bob0Wallet = await registerWallet(api, bobToken, bob0);
  const bob1Wallet = await registerWallet(api, bobToken, bob1);
  // Bob listens on the last replica; the money moves through the others.
  const stream = openEventStream(api.urls.at(-1)!, bobToken);
  await stream.ready;

  // Fund Alice from the devnet faucet.
  const faucet = expectStatus(
    await api.request('POST', '/v1/faucet', {
      body: { address: alice0.address, amount: '100' },
      idempotencyKey: randomUUID(),
    }),
    201,
    'faucet',
  );
  assert.equal(faucet.amount, '100.000000');
  await waitFor(
    'the faucet credit',
    60_000,
    async () => (await balanceOf(api, alice0.address)) === '100.000000',
  );

  // Within shard 0: the same POST three times with one key moves money once.
  const sameShard = await signedTransfer(api, alice0, bob0.address, '10.5');
  const key = randomUUID();
  const first = await api.request('POST', '/v1/payments', {
    token: aliceToken,
    body: { transaction: sameShard },
    idempotencyKey: key,
  });
  const payment = expectStatus(first, 201, 'payment within shard 0');
  for (let retry = 0; retry < 2; retry++) {
    const again = await api.request('POST', '/v1/payments', {
      token: aliceToken,
      body: { transaction: sameShard },
      idempotencyKey: key,
    });
    assert.equal(again.status, 201);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(again.body, payment);
  }
  assert.equal(payment.amount, '10.500000');
  await waitForPaymentStatus(api, aliceToken, payment.id as string, 'final');

  // Concurrent duplicates of a new payment: one runs, the others are told it is in progress (409) or,
  // if it already finished, get its stored answer. The money moves once.
  const second = await signedTransfer(api, alice0, bob0.address, '1');
  const secondKey = randomUUID();
  const answers = await Promise.all(
    Array.from({ length: 4 }, () =>
      api.request('POST', '/v1/payments', {
        token: aliceToken,
        body: { transaction: second },
        idempotencyKey: secondKey,
      }),
    ),
  );
  const originals = answers.filter(
    (a) => a.status === 201 && a.headers.get('idempotent-replayed') !== 'true',
  );
  assert.equal(originals.length, 1, JSON.stringify(answers.map((a) => [a.status, a.body])));
  for (const answer of answers) {
    if (answer.status === 409)
      assert.equal((answer.body.error as { code: string }).code, 'idempotency_key_in_use');
    else assert.deepEqual(answer.body, originals[0]!.body);
  }
  await waitForPaymentStatus(api, aliceToken, originals[0]!.body.id as string, 'final');

  // Across shards: shard 0 → shard 1, followed to credited.
  const crossShard = await signedTransfer(api, alice0, bob1.address, '25');
  const cross = expectStatus(
    await api.request('POST', '/v1/payments', {
      token: aliceToken,
      body: { transaction: crossShard },
      idempotencyKey: randomUUID(),
    }),
    201,
    'payment across shards',
  );
  await waitForPaymentStatus(api, aliceToken, cross.id as string, 'credited');

  // Balances on both sides: each transfer counted once.
  await waitFor(
    'the cross-shard credit',
    30_000,
    async () => (await balanceOf(api, bob1.address)) === '25.000000',
  );
  assert.equal(await balanceOf(api, bob0.address), '11.500000');
  assert.equal(await balanceOf(api, alice0.address), '63.500000');
  const walletBalance = expectStatus(
    await api.request('GET', `/v1/wallets/${bob1Wallet}/balance`, { token: bobToken }),
    200,
    'wallet balance',
  );
  assert.equal(walletBalance.available, '25.000000');

  // History on both sides, from the indexer.
  const history = async (token: string, wallet: string, count: number) => {
    let page: Record<string, unknown> = {};
    await waitFor(`${count} entries in the history of ${wallet}`, 30_000, async () => {
      page = expectStatus(
        await api.request('GET', `/v1/wallets/${wallet}/transactions`, { token }),
        200,
        'history',
      );
      return (page.data as unknown[]).length >= count;
    });
    return page.data as Array<Record<string, unknown>>;
  };
  const aliceHistory = await history(aliceToken, aliceWallet, 4);
  assert.deepEqual(
    aliceHistory.map((entry) => [entry.direction, entry.amount]),
    [
      ['sent', '25.000000'],
      ['sent', '1.000000'],
      ['sent', '10.500000'],
      ['received', '100.000000'],
    ],
  );
  const [bobCredit] = await history(bobToken, bob1Wallet, 1);
  assert.equal(bobCredit!.direction, 'received');
  assert.equal(bobCredit!.amount, '25.000000');
  assert.equal(bobCredit!.status, 'credited');
  assert.equal(bobCredit!.tx_id, cross.tx_id);
  const bobLocal = await history(bobToken, bob0Wallet, 2);
  assert.deepEqual(
    bobLocal.map((entry) => entry.tx_id),
    [originals[0]!.body.tx_id, payment.tx_id],
  );

  // The payments list shows both, final and credited.
  const payments = expectStatus(
    await api.request('GET', '/v1/payments', { token: aliceToken }),
    200,
    'payments',
  );
  assert.deepEqual(
    (payments.data as Array<Record<string, unknown>>).map((entry) => [entry.id, entry.status]),
    [
      [cross.id, 'credited'],
      [originals[0]!.body.id, 'final'],
      [payment.id, 'final'],
    ],
  );

  // Bob was told of every incoming transfer, once each, live.
  await waitFor(
    'three transfer.received events on the stream',
    30_000,
    () => stream.events.filter((event) => event.type === 'transfer.received').length >= 3,
  );
  const received = stream.events.filter((event) => event.type === 'transfer.received');
  assert.deepEqual(
    received.map((event) => event.data.tx_id).sort(),
    [payment.tx_id, originals[0]!.body.tx_id, cross.tx_id].sort(),
  );
  assert.equal(new Set(stream.events.map((event) => event.id)).size, stream.events.length, 'no event twice');
  stream.close();
}

describe('the user path through the gateway API against a devnet', { timeout: 300_000 }, () => {
  it("on the devnet's own gateway process (PGlite)", async () => {
    assert.ok(devnet.gateway, 'the devnet started a gateway');
    await runUserPath(apiOver([devnet.gateway]));
  });

  const databaseUrl = process.env.SHARDPAY_TEST_DATABASE_URL;
  it('on two gateway replicas sharing one PostgreSQL server, each step on the other replica', {
    skip:
      databaseUrl === undefined || databaseUrl === ''
        ? 'SHARDPAY_TEST_DATABASE_URL is unset: set it to a postgres:// URL to run the replica flow'
        : false,
  }, async () => {
    const chainNodes = Object.fromEntries(devnet.shards.map((shard) => [shard.id, shard.rpc]));
    const secret = new Uint8Array(randomBytes(32)); // every replica signs and checks tokens with it
    const replicas: GatewayServer[] = [];
    // A database of this run's own on the shared server: it indexes this devnet from height 0.
    const scratch = await createScratchPostgres(databaseUrl as string);
    try {
      for (let i = 0; i < 2; i++) {
        const config = resolveGatewayConfig({
          mode: 'devnet',
          port: 0,
          databaseUrl: scratch.url,
          chainNodes,
          jwtSecret: secret,
          passwordScryptN: 2 ** 10,
          rateLimit: false,
          logLevel: 'warn',
          faucetKeysDir: join(devnet.dir, 'keys'),
        });
        replicas.push(await createGatewayServer(config));
      }
      await runUserPath(apiOver(replicas.map((replica) => replica.url)));
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
      await scratch.drop();
    }
  });
});
