import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addressFromPublicKey, bytesToHex, ShardpayError } from '@shardpay/crypto';
import type { Database } from '@shardpay/database';
import {
  BUCKET_COUNT,
  encodeTransaction,
  type NetworkConfig,
  type Operation,
  shardOfAddress,
  signTransaction,
  transactionId,
} from '@shardpay/protocol';
import { buildGatewayApp } from '../src/buildGatewayApp.ts';
import type { ChainClient, ChainNodeState } from '../src/chain/createChainClient.ts';
import { resolveGatewayConfig } from '../src/config.ts';
import {
  createLogCapture,
  createTestClock,
  errorOf,
  registerWallet,
  signUpAndLogIn,
  testDatabaseTargets,
  testKey,
} from './helpers/testGateway.ts';

// Two shards, split at the middle bucket.
const network: NetworkConfig = {
  chainId: 'shardpay-test',
  addressPrefix: 'spd',
  shardCount: 2,
  bucketToShard: Array.from({ length: BUCKET_COUNT }, (_, bucket) => (bucket < BUCKET_COUNT / 2 ? 0 : 1)),
  committees: [],
  issuers: [],
  flatFee: 0n,
  feeCollectors: [],
  initialBalances: [],
  genesisTimeMs: 0n,
};

/** A chain client double: records calls, answers statuses from a table, refuses when told. */
function createFakeChain() {
  const calls: Array<{ shard: number; method: string; params: Record<string, unknown> }> = [];
  const statuses = new Map<string, string>();
  let failNext: Error | undefined;
  const client: ChainClient = {
    async call<Result>(shard: number, method: string, params: Record<string, unknown> = {}) {
      calls.push({ shard, method, params });
      const failure = failNext;
      failNext = undefined;
      if (failure !== undefined) throw failure;
      if (method === 'shardpay_submitTransaction') return { txId: 'ignored' } as Result;
      if (method === 'shardpay_getAccount') {
        return {
          address: params.address,
          shard,
          balance: '5.250000',
          nonce: '3',
          pendingNonce: '3',
          height: '42',
        } as Result;
      }
      if (method === 'shardpay_getTransactionStatus') {
        return {
          txId: params.txId,
          status: statuses.get(String(params.txId)) ?? 'pending',
          stages: [],
        } as Result;
      }
      throw new Error(`unexpected method ${method}`);
    },
    nodeStates: (): ChainNodeState[] => [],
    checkHealth: async () => undefined,
    start: () => undefined,
    stop: () => undefined,
  };
  return {
    client,
    calls,
    statuses,
    failNextWith(error: Error) {
      failNext = error;
    },
  };
}

function signedTransaction(
  key: ReturnType<typeof testKey>,
  operation: Operation,
  overrides: { shard?: number; chainId?: string } = {},
) {
  const tx = signTransaction(
    {
      chainId: overrides.chainId ?? network.chainId,
      shard: overrides.shard ?? shardOfAddress(network, addressOf(key)),
      nonce: 0n,
      fee: 0n,
      expiryHeight: 1000n,
      publicKey: key.publicKey,
      operation,
    },
    key.privateKey,
  );
  return { tx, hex: bytesToHex(encodeTransaction(tx)), txId: bytesToHex(transactionId(tx)) };
}

function addressOf(key: ReturnType<typeof testKey>): Uint8Array {
  return addressFromPublicKey(key.publicKey);
}

for (const target of testDatabaseTargets()) {
  describe(`payments (${target.name})`, { skip: target.skip }, () => {
    let database: Database;
    before(async () => {
      database = await target.open();
    });
    after(async () => {
      await database.close();
    });

    function createPaymentsGateway() {
      const chain = createFakeChain();
      const clock = createTestClock();
      const config = resolveGatewayConfig({ passwordScryptN: 2 ** 10, rateLimit: false });
      const app = buildGatewayApp(config, {
        database,
        now: clock.now,
        logStream: createLogCapture(),
        chain: { client: chain.client, network },
      });
      return { app, chain };
    }

    let keyCounter = 0;
    const freshKey = () => {
      keyCounter += 1;
      return testKey(`payments/${target.name}/${process.pid}/${Date.now()}/${keyCounter}`);
    };
    const send = (
      app: ReturnType<typeof createPaymentsGateway>['app'],
      auth: object,
      hex: string,
      key?: string,
    ) =>
      app.inject({
        method: 'POST',
        url: '/v1/payments',
        headers: { ...auth, ...(key === undefined ? {} : { 'idempotency-key': key }) },
        payload: { transaction: hex },
      });

    it("routes a signed transfer to the sender's shard and follows its status to credited", async () => {
      const { app, chain } = createPaymentsGateway();
      const { auth } = await signUpAndLogIn(app);
      const sender = freshKey();
      const walletId = await registerWallet(app, auth, sender);
      const recipient = freshKey();
      const { hex, txId } = signedTransaction(sender, {
        type: 'transfer',
        to: addressOf(recipient),
        amount: 12_500_000n,
        memo: '',
      });
      const response = await send(app, auth, hex, `send-${txId}`);
      assert.equal(response.statusCode, 201, response.body);
      const payment = response.json() as Record<string, unknown>;
      assert.match(String(payment.id), /^pay_/);
      assert.deepEqual(
        { ...payment, id: undefined, created: undefined },
        {
          id: undefined,
          object: 'payment',
          wallet: walletId,
          tx_id: txId,
          shard: shardOfAddress(network, addressOf(sender)),
          operation: 'transfer',
          from: sender.address,
          to: recipient.address,
          amount: '12.500000',
          fee: '0.000000',
          currency: 'usd',
          status: 'pending',
          created: undefined,
        },
      );
      assert.deepEqual(chain.calls[0], {
        shard: shardOfAddress(network, addressOf(sender)),
        method: 'shardpay_submitTransaction',
        params: { tx: hex },
      });
      const get = async () =>
        (await app.inject({ method: 'GET', url: `/v1/payments/${payment.id}`, headers: auth })).json() as {
          status: string;
        };
      chain.statuses.set(txId, 'final');
      assert.equal((await get()).status, 'final');
      chain.statuses.set(txId, 'credited');
      assert.equal((await get()).status, 'credited');
      const callsAtCredited = chain.calls.length;
      chain.statuses.set(txId, 'pending'); // a lagging node must not move a terminal status back
      assert.equal((await get()).status, 'credited');
      assert.equal(chain.calls.length, callsAtCredited, 'terminal statuses are not asked again');
    });

    it('requires an Idempotency-Key and replays a retried send without submitting twice', async () => {
      const { app, chain } = createPaymentsGateway();
      const { auth } = await signUpAndLogIn(app);
      const sender = freshKey();
      await registerWallet(app, auth, sender);
      const { hex } = signedTransaction(sender, {
        type: 'burn',
        amount: 1_000_000n,
        payoutReference: 'po_1',
      });
      const missing = await send(app, auth, hex);
      assert.equal(errorOf(missing).code, 'idempotency_key_required');
      const first = await send(app, auth, hex, 'burn-once');
      const second = await send(app, auth, hex, 'burn-once');
      assert.equal(first.statusCode, 201, first.body);
      assert.equal(second.body, first.body);
      assert.equal((first.json() as { to: unknown }).to, null);
      assert.equal(chain.calls.filter((call) => call.method === 'shardpay_submitTransaction').length, 1);
    });

    it('refuses what it must not send, naming the transaction', async () => {
      const { app, chain } = createPaymentsGateway();
      const { auth } = await signUpAndLogIn(app);
      const sender = freshKey();
      await registerWallet(app, auth, sender);
      const transfer: Operation = { type: 'transfer', to: addressOf(freshKey()), amount: 1n, memo: '' };
      const cases: Array<[string, string, string]> = [];
      const unregistered = signedTransaction(freshKey(), transfer);
      cases.push(['unregistered', unregistered.hex, 'wallet_not_registered']);
      const good = signedTransaction(sender, transfer);
      const tampered = `${good.hex.slice(0, -2)}${good.hex.endsWith('00') ? '01' : '00'}`;
      cases.push(['tampered signature', tampered, 'signature_invalid']);
      const home = shardOfAddress(network, addressOf(sender));
      cases.push([
        'wrong shard',
        signedTransaction(sender, transfer, { shard: 1 - home }).hex,
        'wrong_shard',
      ]);
      cases.push([
        'other chain',
        signedTransaction(sender, transfer, { chainId: 'elsewhere' }).hex,
        'transaction_invalid',
      ]);
      cases.push([
        'mint',
        signedTransaction(sender, { type: 'mint', to: addressOf(sender), amount: 5n, reference: 'ch_x' }).hex,
        'operation_not_allowed',
      ]);
      cases.push([
        'escrow lock (not a payment)',
        signedTransaction(sender, {
          type: 'escrow_lock',
          merchant: addressOf(freshKey()),
          amount: 5n,
          orderId: 'o',
          deadlineMs: 1n,
          arbiter: null,
          oracle: null,
          memo: '',
        }).hex,
        'operation_not_allowed',
      ]);
      cases.push(['garbage', 'abcd', 'transaction_invalid']);
      for (const [name, hex, code] of cases) {
        const response = await send(app, auth, hex, `refuse-${name.replaceAll(' ', '-')}`);
        assert.equal(response.statusCode, 400, name);
        assert.equal(errorOf(response).code, code, name);
        assert.equal(errorOf(response).param, 'transaction', name);
      }
      assert.equal(chain.calls.length, 0, 'nothing refused reached the chain');
    });

    it("passes a node's refusal on as a 400 and an unreachable chain as a 503, storing no payment", async () => {
      const { app, chain } = createPaymentsGateway();
      const { auth } = await signUpAndLogIn(app);
      const sender = freshKey();
      const walletId = await registerWallet(app, auth, sender);
      const transfer: Operation = { type: 'transfer', to: addressOf(freshKey()), amount: 2n, memo: '' };
      chain.failNextWith(
        new ShardpayError('BAD_NONCE', 'nonce 4 expected, got 0', { meta: { rpcCode: -32000 } }),
      );
      const refused = await send(app, auth, signedTransaction(sender, transfer).hex, 'refused-by-node');
      assert.equal(refused.statusCode, 400);
      assert.equal(errorOf(refused).type, 'invalid_request_error');
      assert.equal(errorOf(refused).code, 'bad_nonce');
      chain.failNextWith(new ShardpayError('CHAIN_UNAVAILABLE', 'no node of shard 0 answered'));
      const unavailable = await send(
        app,
        auth,
        signedTransaction(sender, { ...transfer, amount: 3n }).hex,
        'chain-down',
      );
      assert.equal(unavailable.statusCode, 503);
      assert.equal(errorOf(unavailable).type, 'api_error');
      const stored = await database.query('SELECT 1 FROM payments WHERE wallet_id = $1', [walletId]);
      assert.equal(stored.rowCount, 0);
    });

    it('answers with the stored status when the chain cannot be asked, and only to its owner', async () => {
      const { app, chain } = createPaymentsGateway();
      const { auth } = await signUpAndLogIn(app);
      const other = await signUpAndLogIn(app);
      const sender = freshKey();
      await registerWallet(app, auth, sender);
      const { hex } = signedTransaction(sender, {
        type: 'transfer',
        to: addressOf(freshKey()),
        amount: 9n,
        memo: '',
      });
      const payment = (await send(app, auth, hex, 'status-owner')).json() as { id: string };
      chain.failNextWith(new ShardpayError('CHAIN_UNAVAILABLE', 'down'));
      const response = await app.inject({ method: 'GET', url: `/v1/payments/${payment.id}`, headers: auth });
      assert.equal(response.statusCode, 200);
      assert.equal((response.json() as { status: string }).status, 'pending');
      const foreign = await app.inject({
        method: 'GET',
        url: `/v1/payments/${payment.id}`,
        headers: other.auth,
      });
      assert.equal(foreign.statusCode, 404);
    });

    it('lists payments newest first with cursors, and reads a wallet balance from its home shard', async () => {
      const { app, chain } = createPaymentsGateway();
      const { auth } = await signUpAndLogIn(app);
      const sender = freshKey();
      const walletId = await registerWallet(app, auth, sender);
      const ids: string[] = [];
      for (let amount = 1n; amount <= 3n; amount += 1n) {
        const { hex } = signedTransaction(sender, {
          type: 'transfer',
          to: addressOf(freshKey()),
          amount,
          memo: '',
        });
        ids.push(((await send(app, auth, hex, `list-${amount}`)).json() as { id: string }).id);
      }
      const list = async (query: string) =>
        (await app.inject({ method: 'GET', url: `/v1/payments${query}`, headers: auth })).json() as {
          object: string;
          data: Array<{ id: string; amount: string }>;
          has_more: boolean;
        };
      const first = await list('?limit=2');
      assert.equal(first.object, 'list');
      assert.deepEqual(
        first.data.map((payment) => payment.id),
        [ids[2], ids[1]],
      );
      assert.equal(first.has_more, true);
      const rest = await list(`?limit=2&starting_after=${ids[1]}`);
      assert.deepEqual(
        rest.data.map((payment) => payment.amount),
        ['0.000001'],
      );
      assert.equal(rest.has_more, false);
      const balance = await app.inject({
        method: 'GET',
        url: `/v1/wallets/${walletId}/balance`,
        headers: auth,
      });
      assert.equal(balance.statusCode, 200, balance.body);
      assert.deepEqual(balance.json(), {
        object: 'balance',
        wallet: walletId,
        address: sender.address,
        shard: shardOfAddress(network, addressOf(sender)),
        available: '5.250000',
        currency: 'usd',
        nonce: '3',
        height: '42',
      });
      assert.deepEqual(chain.calls.at(-1), {
        shard: shardOfAddress(network, addressOf(sender)),
        method: 'shardpay_getAccount',
        params: { address: sender.address },
      });
    });

    it("lists a wallet's indexed history, sent and received, newest first", async () => {
      const { app } = createPaymentsGateway();
      const { auth } = await signUpAndLogIn(app);
      const other = await signUpAndLogIn(app);
      const mine = freshKey();
      const theirs = freshKey();
      const walletId = await registerWallet(app, auth, mine);
      // Unique per run (a PostgreSQL test database outlives runs); shard 7 is no shard the indexer
      // test touches, as both may share that database at once.
      const unique = `${Date.now().toString(16)}${process.pid.toString(16)}${keyCounter}`;
      const rows: Array<[string, string, string, bigint]> = [
        [`${unique}a`.padStart(64, '0'), mine.address, theirs.address, 1_000_000n],
        [`${unique}b`.padStart(64, '0'), theirs.address, mine.address, 2_000_000n],
        [`${unique}c`.padStart(64, '0'), mine.address, mine.address, 3_000_000n],
      ];
      const baseHeight = BigInt(Date.now()) * 10n;
      for (const [position, [txId, sender, recipient, amount]] of rows.entries()) {
        await database.query(
          `INSERT INTO chain_transactions (tx_id, shard, height, position, timestamp_ms, operation, sender, recipient,
                                           amount, fee)
           VALUES ($1, 7, $2, 0, $3, 'transfer', $4, $5, $6, 0)`,
          [
            txId,
            (baseHeight + BigInt(position)).toString(),
            1_700_000_000_000 + position,
            sender,
            recipient,
            amount.toString(),
          ],
        );
      }
      const history = async (query: string, headers = auth) =>
        app.inject({ method: 'GET', url: `/v1/wallets/${walletId}/transactions${query}`, headers });
      const first = (await history('?limit=2')).json() as {
        data: Array<{ tx_id: string; direction: string; amount: string }>;
        has_more: boolean;
      };
      assert.deepEqual(
        first.data.map((tx) => [tx.tx_id, tx.direction, tx.amount]),
        [
          [rows[2]![0], 'self', '3.000000'],
          [rows[1]![0], 'received', '2.000000'],
        ],
      );
      assert.equal(first.has_more, true);
      const rest = (await history(`?limit=2&starting_after=${rows[1]![0]}`)).json() as {
        data: Array<{ tx_id: string; direction: string }>;
        has_more: boolean;
      };
      assert.deepEqual(
        rest.data.map((tx) => [tx.tx_id, tx.direction]),
        [[rows[0]![0], 'sent']],
      );
      assert.equal(rest.has_more, false);
      assert.equal((await history('', other.auth)).statusCode, 404);
    });
  });
}
