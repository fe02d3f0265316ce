import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addressFromPublicKey } from '@shardpay/crypto';
import type { Database } from '@shardpay/database';
import { receiptId } from '@shardpay/protocol';
import type { FastifyInstance } from 'fastify';
import { buildGatewayApp } from '../src/buildGatewayApp.ts';
import { resolveGatewayConfig } from '../src/config.ts';
import { createIndexer } from '../src/indexer/createIndexer.ts';
import {
  addressOf,
  createFakeBlockChain,
  creditReceiptOf,
  fakeNetwork,
  keyOnShard,
  refundReceiptOf,
  signedTransaction,
  type TestKey,
} from './helpers/fakeBlockChain.ts';
import {
  createLogCapture,
  createTestClock,
  registerWallet,
  signUpAndLogIn,
  testDatabaseTargets,
} from './helpers/testGateway.ts';

/** Unique per run: a PostgreSQL test database outlives runs, and payments.tx_id is unique. */
const runLabel = `indexer-events/${process.pid}/${Date.now()}`;

for (const target of testDatabaseTargets()) {
  describe(`indexer statuses, credits and events (${target.name})`, { skip: target.skip }, () => {
    let database: Database;
    before(async () => {
      database = await target.open();
    });
    after(async () => {
      await database.close();
    });

    let counter = 0;
    const key = (shard: number) => {
      counter += 1;
      return keyOnShard(shard, `${runLabel}/${target.name}/${counter}`);
    };

    /** A gateway and a fake chain on shards 4 and 5, whose index starts empty. */
    async function setUp() {
      await database.query('DELETE FROM chain_transactions WHERE shard IN (4, 5)');
      await database.query('DELETE FROM chain_credits WHERE target_shard IN (4, 5)');
      await database.query('DELETE FROM indexer_cursors WHERE shard IN (4, 5)');
      const chain = createFakeBlockChain();
      const app = buildGatewayApp(resolveGatewayConfig({ passwordScryptN: 2 ** 10, rateLimit: false }), {
        database,
        now: createTestClock().now,
        logStream: createLogCapture(),
        chain: { client: chain.client, network: fakeNetwork },
      });
      return { chain, app };
    }

    async function user(app: FastifyInstance, ...keys: TestKey[]) {
      const { auth, session } = await signUpAndLogIn(app);
      const wallets: string[] = [];
      for (const k of keys) wallets.push(await registerWallet(app, auth, k));
      return { auth, userId: session.user_id, wallets };
    }

    async function pay(app: FastifyInstance, auth: Record<string, string>, hex: string) {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/payments',
        headers: { ...auth, 'idempotency-key': `pay-${hex.slice(-16)}` },
        payload: { transaction: hex },
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json() as { id: string; status: string };
    }

    async function status(app: FastifyInstance, auth: Record<string, string>, id: string) {
      // The fake node says "pending" for everything: only the indexer moves these statuses.
      const response = await app.inject({ method: 'GET', url: `/v1/payments/${id}`, headers: auth });
      return (response.json() as { status: string }).status;
    }

    /** The user's events, oldest first, as [type, payment status or incoming wallet + amount]. */
    async function eventsOf(userId: string) {
      const rows = await database.query<{ type: string; data: Record<string, unknown> }>(
        'SELECT type, data FROM events WHERE user_id = $1 ORDER BY seq',
        [userId],
      );
      return rows.rows.map(({ type, data }) =>
        type === 'transfer.received'
          ? [type, data.wallet, data.amount, data.shard]
          : [type, data.tx_id, data.status],
      );
    }

    async function history(app: FastifyInstance, path: string, auth: Record<string, string> = {}) {
      const response = await app.inject({ method: 'GET', url: path, headers: auth });
      assert.equal(response.statusCode, 200, response.body);
      return (response.json() as { data: Array<Record<string, unknown>> }).data;
    }

    it('moves payments to final on their block and to credited on the target, announcing what arrives', async () => {
      const { chain, app } = await setUp();
      const sender = key(4);
      const near = key(4);
      const far = key(5);
      const alice = await user(app, sender);
      const bob = await user(app, near, far);
      const intra = signedTransaction(sender, {
        type: 'transfer',
        to: addressFromPublicKey(near.publicKey),
        amount: 1_500_000n,
        memo: '',
      });
      const cross = signedTransaction(
        sender,
        { type: 'transfer', to: addressFromPublicKey(far.publicKey), amount: 2_000_000n, memo: '' },
        1n,
      );
      const intraPayment = await pay(app, alice.auth, intra.hex);
      const crossPayment = await pay(app, alice.auth, cross.hex);
      const indexer = createIndexer({}, { database, chain: chain.client, network: fakeNetwork });

      const sourceHeight = chain.addBlock(4, { transactions: [intra.tx, cross.tx] });
      await indexer.syncOnce();
      assert.equal(await status(app, alice.auth, intraPayment.id), 'final');
      assert.equal(await status(app, alice.auth, crossPayment.id), 'final');
      assert.deepEqual(await history(app, `/v1/wallets/${bob.wallets[1]}/transactions`, bob.auth), []);
      const sent = await history(app, `/v1/wallets/${alice.wallets[0]}/transactions`, alice.auth);
      assert.deepEqual(
        sent.map((item) => [item.tx_id, item.direction, item.status, item.target_shard, item.position]),
        [
          [cross.txId, 'sent', 'pending_credit', 5, 1],
          [intra.txId, 'sent', 'final', null, 0],
        ],
      );

      chain.addBlock(5, { receipts: [creditReceiptOf(cross.tx, sourceHeight)] });
      await indexer.syncOnce();
      assert.equal(await status(app, alice.auth, crossPayment.id), 'credited');
      const received = await history(app, `/v1/accounts/${addressOf(far)}/transactions`);
      assert.deepEqual(received, [
        {
          object: 'chain_transaction',
          tx_id: cross.txId,
          shard: 5,
          height: '1',
          position: 0,
          timestamp: 1_700_000_001,
          operation: 'transfer',
          direction: 'received',
          from: addressOf(sender),
          to: addressOf(far),
          amount: '2.000000',
          fee: '0.001000',
          currency: 'usd',
          status: 'credited',
          target_shard: 5,
        },
      ]);
      assert.equal(
        (await history(app, `/v1/wallets/${alice.wallets[0]}/transactions`, alice.auth))[0]!.status,
        'credited',
      );
      assert.deepEqual(await eventsOf(alice.userId), [
        ['payment.created', intra.txId, 'pending'],
        ['payment.created', cross.txId, 'pending'],
        ['payment.updated', intra.txId, 'final'],
        ['payment.updated', cross.txId, 'final'],
        ['payment.updated', cross.txId, 'credited'],
      ]);
      assert.deepEqual(await eventsOf(bob.userId), [
        ['transfer.received', bob.wallets[0], '1.500000', 4],
        ['transfer.received', bob.wallets[1], '2.000000', 5],
      ]);
    });

    it('refuses a second credit of one payment id like the ledger, then follows the refund', async () => {
      const { chain, app } = await setUp();
      const payer = key(4);
      const merchant = key(5);
      const alice = await user(app, payer);
      const shop = await user(app, merchant);
      const payOnce = (nonce: bigint) =>
        signedTransaction(
          payer,
          {
            type: 'pay',
            merchant: addressFromPublicKey(merchant.publicKey),
            amount: 3_000_000n,
            paymentId: 'inv_1',
            memo: '',
          },
          nonce,
        );
      const first = payOnce(0n);
      const second = payOnce(1n);
      const firstPayment = await pay(app, alice.auth, first.hex);
      const secondPayment = await pay(app, alice.auth, second.hex);
      const indexer = createIndexer({}, { database, chain: chain.client, network: fakeNetwork });
      const sourceHeight = chain.addBlock(4, { transactions: [first.tx, second.tx] });
      // Source first: shards are indexed in parallel, and a target indexed first skips 'final'.
      await indexer.syncOnce();
      const firstCredit = creditReceiptOf(first.tx, sourceHeight, 0);
      const secondCredit = creditReceiptOf(second.tx, sourceHeight, 1);
      const creditHeight = chain.addBlock(5, { receipts: [firstCredit, secondCredit] });
      await indexer.syncOnce();
      assert.equal(await status(app, alice.auth, firstPayment.id), 'credited');
      assert.equal(await status(app, alice.auth, secondPayment.id), 'refused');
      chain.addBlock(4, { receipts: [refundReceiptOf(secondCredit, receiptId(secondCredit), creditHeight)] });
      await indexer.syncOnce();
      assert.equal(await status(app, alice.auth, secondPayment.id), 'refunded');
      const sent = await history(app, `/v1/wallets/${alice.wallets[0]}/transactions`, alice.auth);
      assert.deepEqual(
        sent.map((item) => [item.tx_id, item.status]),
        [
          [second.txId, 'refunded'],
          [first.txId, 'credited'],
        ],
      );
      const paid = await history(app, `/v1/wallets/${shop.wallets[0]}/transactions`, shop.auth);
      assert.deepEqual(
        paid.map((item) => [item.tx_id, item.direction]),
        [[first.txId, 'received']],
        'the refused credit never reached the merchant',
      );
      assert.deepEqual(await eventsOf(shop.userId), [['transfer.received', shop.wallets[0], '3.000000', 5]]);
      assert.deepEqual(
        (await eventsOf(alice.userId)).filter((event) => event[1] === second.txId).map((event) => event[2]),
        ['pending', 'final', 'refused', 'refunded'],
      );
    });

    it('moves a payment whose credit is indexed before its source block straight on, never back', async () => {
      const { chain, app } = await setUp();
      const sender = key(4);
      const alice = await user(app, sender);
      const transfer = signedTransaction(sender, {
        type: 'transfer',
        to: addressFromPublicKey(key(5).publicKey),
        amount: 4_000_000n,
        memo: '',
      });
      const payment = await pay(app, alice.auth, transfer.hex);
      const indexer = createIndexer({}, { database, chain: chain.client, network: fakeNetwork });
      chain.addBlock(5, { receipts: [creditReceiptOf(transfer.tx, 1n)] });
      await indexer.syncOnce();
      assert.equal(await status(app, alice.auth, payment.id), 'credited');
      chain.addBlock(4, { transactions: [transfer.tx] });
      await indexer.syncOnce();
      assert.equal(await status(app, alice.auth, payment.id), 'credited');
      assert.deepEqual(await eventsOf(alice.userId), [
        ['payment.created', transfer.txId, 'pending'],
        ['payment.updated', transfer.txId, 'credited'],
      ]);
      const sent = await history(app, `/v1/wallets/${alice.wallets[0]}/transactions`, alice.auth);
      assert.deepEqual(
        sent.map((item) => [item.direction, item.status]),
        [['sent', 'credited']],
      );
    });

    it('writes every event once when a block is re-read after a crash and when two indexers race', async () => {
      const { chain, app } = await setUp();
      const sender = key(4);
      const far = key(5);
      const alice = await user(app, sender);
      const bob = await user(app, far);
      const transfers = [0n, 1n, 2n].map((nonce) =>
        signedTransaction(
          sender,
          { type: 'transfer', to: addressFromPublicKey(far.publicKey), amount: 1_000_000n + nonce, memo: '' },
          nonce,
        ),
      );
      for (const transfer of transfers) await pay(app, alice.auth, transfer.hex);
      const sourceHeight = chain.addBlock(4, { transactions: transfers.map((transfer) => transfer.tx) });
      chain.addBlock(5, {
        receipts: transfers.map((transfer, index) => creditReceiptOf(transfer.tx, sourceHeight, index)),
      });

      // The first write of the credits block dies after writing its receipts: the whole block rolls back.
      let crashes = 1;
      const crashing: Database = {
        ...database,
        kind: database.kind,
        query: (sql, params) => database.query(sql, params),
        exec: (sql) => database.exec(sql),
        close: () => database.close(),
        transaction: (work) =>
          database.transaction(async (tx) => {
            const result = await work(tx);
            const credits = await tx.query('SELECT 1 FROM chain_credits WHERE target_shard = 5');
            if (credits.rowCount > 0 && crashes > 0) {
              crashes -= 1;
              throw new Error('the replica died before committing');
            }
            return result;
          }),
      };
      const errors: unknown[] = [];
      const crashed = createIndexer(
        {},
        {
          database: crashing,
          chain: chain.client,
          network: fakeNetwork,
          onError: (error) => errors.push(error),
        },
      );
      await crashed.syncOnce();
      assert.equal(errors.length, 1);
      // Two indexers (two replicas) then race over the re-read block.
      const a = createIndexer(
        {},
        { database, chain: chain.client, network: fakeNetwork, onError: () => undefined },
      );
      const b = createIndexer(
        {},
        { database, chain: chain.client, network: fakeNetwork, onError: () => undefined },
      );
      await Promise.all([a.syncOnce(), b.syncOnce()]);
      await a.syncOnce();
      const statuses = (await eventsOf(alice.userId)).map((event) => `${event[1]}:${event[2]}`).sort();
      const expected = transfers
        .flatMap((transfer) => ['pending', 'final', 'credited'].map((step) => `${transfer.txId}:${step}`))
        .sort();
      assert.deepEqual(statuses, expected);
      assert.equal((await eventsOf(bob.userId)).length, 3);
      const credits = await database.query('SELECT 1 FROM chain_credits WHERE target_shard = 5');
      assert.equal(credits.rowCount, 3);
    });

    it('writes payment.updated when a GET refresh from the node moves a status, and only then', async () => {
      const { chain, app } = await setUp();
      const sender = key(4);
      const alice = await user(app, sender);
      const transfer = signedTransaction(sender, {
        type: 'transfer',
        to: addressFromPublicKey(key(4).publicKey),
        amount: 7n,
        memo: '',
      });
      const payment = await pay(app, alice.auth, transfer.hex);
      assert.equal(await status(app, alice.auth, payment.id), 'pending');
      chain.statuses.set(transfer.txId, 'final');
      assert.equal(await status(app, alice.auth, payment.id), 'final');
      assert.equal(await status(app, alice.auth, payment.id), 'final');
      chain.statuses.set(transfer.txId, 'pending');
      assert.equal(
        await status(app, alice.auth, payment.id),
        'final',
        'a lagging node does not move it back',
      );
      assert.deepEqual(await eventsOf(alice.userId), [
        ['payment.created', transfer.txId, 'pending'],
        ['payment.updated', transfer.txId, 'final'],
      ]);
    });

    it('starts a payment written after its block was indexed from the indexed status', async () => {
      const { chain, app } = await setUp();
      const sender = key(4);
      const alice = await user(app, sender);
      const transfer = signedTransaction(sender, {
        type: 'transfer',
        to: addressFromPublicKey(key(4).publicKey),
        amount: 8n,
        memo: '',
      });
      // The first attempt reached the chain, then the replica died before its commit.
      chain.addBlock(4, { transactions: [transfer.tx] });
      await createIndexer({}, { database, chain: chain.client, network: fakeNetwork }).syncOnce();
      const payment = await pay(app, alice.auth, transfer.hex);
      assert.equal(payment.status, 'final');
      assert.deepEqual(await eventsOf(alice.userId), [
        ['payment.created', transfer.txId, 'pending'],
        ['payment.updated', transfer.txId, 'final'],
      ]);
    });

    it('refuses a bad address and a foreign cursor in the public history', async () => {
      const { app } = await setUp();
      const bad = await app.inject({ method: 'GET', url: '/v1/accounts/spd1nothing/transactions' });
      assert.equal(bad.statusCode, 400);
      assert.equal((bad.json() as { error: { code: string; param: string } }).error.code, 'address_invalid');
      const foreign = await app.inject({
        method: 'GET',
        url: `/v1/accounts/${addressOf(key(5))}/transactions?starting_after=${'ab'.repeat(32)}`,
      });
      assert.equal(foreign.statusCode, 404);
      assert.equal((foreign.json() as { error: { param: string } }).error.param, 'starting_after');
    });
  });
}
