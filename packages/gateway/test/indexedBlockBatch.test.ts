import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addressFromPublicKey, bytesToHex } from '@shardpay/crypto';
import type { Database, Queryable } from '@shardpay/database';
import {
  type Block,
  blockHeaderToJson,
  blockToJson,
  type Operation,
  type Receipt,
  receiptId,
  type Transaction,
  transactionId,
} from '@shardpay/protocol';
import type { ChainClient, ChainNodeState } from '../src/chain/createChainClient.ts';
import { lockEventOrder } from '../src/events/writeEvent.ts';
import { createIndexer } from '../src/indexer/createIndexer.ts';
import {
  addressOf,
  creditReceiptOf,
  fakeHeader,
  fakeNetwork,
  keyOnShard,
  refundReceiptOf,
  signedTransaction,
  type TestKey,
} from './helpers/fakeBlockChain.ts';
import { writeIndexedBlockSequentially } from './helpers/sequentialIndexedBlock.ts';
import { testDatabaseTargets } from './helpers/testGateway.ts';

// The batched block writer against the sequential one it replaced (kept in helpers as the oracle):
// the same blocks, indexed into two fresh databases, must leave the same rows in the same order and
// the same events in the same seq order — over a block with hundreds of receipts and transactions,
// refusals of repeated payment ids (earlier blocks, earlier in the block, never the block's own
// transactions), payments in every status, and one payment moved twice by one block.

const seed = Number(process.env.SHARDPAY_TEST_SEED ?? 20_260_601);
const shardA = 4; // the other shard: senders of the credits, targets of outgoing transfers
const shardB = 5; // the indexed shard
const at = new Date('2026-06-01T12:00:00.000Z');
const statuses = ['pending', 'final', 'refused', 'credited', 'refunded'] as const;
type Status = (typeof statuses)[number];

/** mulberry32: a small seeded generator, so a failing seed replays. */
function createRandom(start: number) {
  let state = start >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
}

interface WalletSeed {
  id: string;
  userId: string;
  key: TestKey;
}

interface PaymentSeed {
  id: string;
  userId: string;
  walletId: string;
  tx: Transaction;
  status: Status;
}

/** Users, wallets, payments and the blocks of shard B (heights 1 and 2) that the test indexes. */
function buildScenario(randomSeed: number) {
  const random = createRandom(randomSeed);
  const users = ['usr_1', 'usr_2', 'usr_3'];
  let keyCount = 0;
  const key = (shard: number) => {
    keyCount += 1;
    return keyOnShard(shard, `batch/${keyCount}`);
  };
  const wallets: WalletSeed[] = [];
  // One user per address: wallets.address is unique, so a paid address has at most one wallet.
  const register = (k: TestKey, userId: string) => {
    wallets.push({ id: `wal_${wallets.length + 1}`, userId, key: k });
    return k;
  };
  const merchant = register(key(shardB), 'usr_1');
  const merchant2 = register(key(shardB), 'usr_2');
  const registeredB = Array.from({ length: 8 }, (_, i) => register(key(shardB), users[i % 3]!));
  const unregisteredB = Array.from({ length: 6 }, () => key(shardB));
  const sendersA = Array.from({ length: 6 }, (_, i) => register(key(shardA), users[i % 3]!));
  const unregisteredA = key(shardA);
  const everyoneB = [...registeredB, ...unregisteredB, merchant, merchant2];

  const nonces = new Map<TestKey, bigint>();
  const send = (from: TestKey, operation: Operation) => {
    const nonce = nonces.get(from) ?? 0n;
    nonces.set(from, nonce + 1n);
    return signedTransaction(from, operation, nonce).tx;
  };
  const to = (k: TestKey) => addressFromPublicKey(k.publicKey);
  const transfer = (from: TestKey, recipient: TestKey, amount: bigint) =>
    send(from, { type: 'transfer', to: to(recipient), amount, memo: '' });
  const pay = (from: TestKey, recipient: TestKey, paymentId: string) =>
    send(from, { type: 'pay', merchant: to(recipient), amount: 2_500_000n, paymentId, memo: '' });

  const payments: PaymentSeed[] = [];
  const payment = (tx: Transaction, status: Status) => {
    const wallet = random.pick(wallets);
    payments.push({
      id: `pay_${payments.length + 1}`,
      userId: wallet.userId,
      walletId: wallet.id,
      tx,
      status,
    });
    return tx;
  };
  const credit = (tx: Transaction, index: number) => creditReceiptOf(tx, 7n, index);

  // Block 1: merchant received 'early-intra' by an intra-shard pay and 'early-credit' by a credit.
  const earlyIntra = payment(pay(registeredB[0]!, merchant, 'early-intra'), 'pending');
  const earlyCredit = payment(pay(sendersA[0]!, merchant, 'early-credit'), 'final');
  const block1 = { transactions: [earlyIntra], batches: [[credit(earlyCredit, 0)]] };

  // Block 2, batch 1: repeats of earlier blocks, then a payment id the block itself repeats.
  const tricky = 'a,"b"{c}\\ NULL ü\'';
  const batch1: Receipt[] = [
    credit(payment(pay(sendersA[1]!, merchant, 'early-intra'), 'final'), 0), // refused: block 1's pay
    credit(payment(pay(sendersA[2]!, merchant, 'early-credit'), 'pending'), 1), // refused: block 1's credit
    credit(payment(pay(sendersA[3]!, merchant, 'dup'), 'final'), 2), // credited
  ];
  // Batch 2: 'dup' again (refused, in-block), to another merchant (credited), an id that only this
  // block's own transactions use (credited: transactions run after receipts), odd text.
  const moveTwice = payment(pay(sendersA[4]!, merchant, 'dup'), 'final');
  const refusedBefore = payment(transfer(sendersA[5]!, registeredB[1]!, 10n), 'refused');
  const creditedBefore = payment(transfer(sendersA[5]!, registeredB[2]!, 11n), 'credited');
  const batch2: Receipt[] = [
    credit(payment(pay(sendersA[4]!, merchant, 'dup'), 'pending'), 0), // refused
    credit(payment(pay(sendersA[4]!, merchant2, 'dup'), 'pending'), 1), // credited
    credit(payment(pay(sendersA[1]!, merchant, 'own-block'), 'final'), 2), // credited
    credit(payment(pay(sendersA[2]!, merchant, tricky), 'final'), 3), // credited
    credit(pay(sendersA[2]!, merchant, tricky), 4), // refused, no payment row
    credit(moveTwice, 5), // refused (final → refused) …
    refundReceiptOf(credit(moveTwice, 5), new Uint8Array(32).fill(1), 8n), // … then refunded
    refundReceiptOf(credit(refusedBefore, 6), new Uint8Array(32).fill(2), 9n), // refused → refunded
    refundReceiptOf(credit(creditedBefore, 7), new Uint8Array(32).fill(3), 10n), // credited stays
    credit(payment(transfer(sendersA[0]!, registeredB[3]!, 12n), 'refunded'), 8), // refunded stays
    credit(send(sendersA[0]!, { type: 'mint', to: to(registeredB[4]!), amount: 13n, reference: 'm-1' }), 9),
  ];
  for (let index = 10; index < 160; index += 1) {
    const tx = transfer(
      random.pick(sendersA),
      random.pick(everyoneB),
      BigInt(1 + Math.floor(random.next() * 1e9)),
    );
    batch2.push(credit(random.next() < 0.5 ? payment(tx, random.pick(statuses)) : tx, index));
  }

  // Block 2's transactions: the pay whose id a credit above used first, a self-transfer, a burn,
  // transfers and a pay leaving for shard A, then hundreds of transfers within B.
  const transactions: Transaction[] = [
    payment(pay(registeredB[5]!, merchant, 'own-block'), 'pending'),
    payment(transfer(registeredB[6]!, registeredB[6]!, 14n), 'pending'),
    payment(send(registeredB[7]!, { type: 'burn', amount: 15n, payoutReference: 'po-1' }), 'pending'),
    payment(transfer(registeredB[0]!, unregisteredA, 16n), 'pending'),
    payment(pay(registeredB[1]!, sendersA[0]!, 'to-a'), 'credited'),
  ];
  for (let index = 0; index < 300; index += 1) {
    const tx = transfer(
      random.pick(everyoneB),
      random.pick(everyoneB),
      BigInt(1 + Math.floor(random.next() * 1e9)),
    );
    transactions.push(random.next() < 0.5 ? payment(tx, random.pick(statuses)) : tx);
  }
  const block2 = { transactions, batches: [batch1, batch2] };
  return { users, wallets, payments, blocks: [block1, block2], moveTwice, tricky };
}

/** Blocks of shard B in chain order, with headers linking them. */
function chainOf(contents: Array<{ transactions: Transaction[]; batches: Receipt[][] }>): Block[] {
  const blocks: Block[] = [];
  const zeroHash = new Uint8Array(32);
  for (const [index, { transactions, batches }] of contents.entries()) {
    const height = BigInt(index + 1);
    const parent = blocks.at(-1);
    const header = fakeHeader(fakeNetwork, shardB, height, parent);
    const incoming = batches.map((receipts) => ({
      header: { ...header, shard: shardA, parentHash: zeroHash },
      certificate: {
        chainId: fakeNetwork.chainId,
        shard: shardA,
        height,
        round: 0,
        blockHash: zeroHash,
        signatures: [],
      },
      receipts: receipts.map((receipt, i) => ({
        receipt,
        proof: { index: i, leafCount: receipts.length, siblings: [] },
      })),
    }));
    blocks.push({ header, transactions, incoming });
  }
  return blocks;
}

/** A ChainClient serving `blocks` on shard B (shard A has none). */
function chainClientOf(blocks: Block[]): ChainClient {
  return {
    async call<Result>(shard: number, method: string, params: Record<string, unknown> = {}) {
      const chain = shard === shardB ? blocks : [];
      if (method === 'shardpay_getHeader') {
        const last = chain.at(-1);
        return (last === undefined ? null : blockHeaderToJson(last.header)) as Result;
      }
      if (method === 'shardpay_getBlock') {
        const block = chain[Number(params.height) - 1];
        return (block === undefined ? null : blockToJson(block, { addressPrefix: 'spd' })) as Result;
      }
      throw new Error(`unexpected method ${method}`);
    },
    nodeStates: (): ChainNodeState[] => [],
    checkHealth: async () => undefined,
    start: () => undefined,
    stop: () => undefined,
  };
}

async function seedRows(database: Database, scenario: ReturnType<typeof buildScenario>): Promise<void> {
  const created = new Date('2026-05-01T00:00:00.000Z').toISOString();
  for (const id of scenario.users) {
    await database.query('INSERT INTO users (id, email, password_hash, created_at) VALUES ($1, $2, $3, $4)', [
      id,
      `${id}@example.test`,
      'unused',
      created,
    ]);
  }
  for (const wallet of scenario.wallets) {
    await database.query(
      `INSERT INTO wallets (id, user_id, address, public_key, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [wallet.id, wallet.userId, addressOf(wallet.key), bytesToHex(wallet.key.publicKey), created],
    );
  }
  for (const payment of scenario.payments) {
    const operation = payment.tx.operation;
    await database.query(
      `INSERT INTO payments (id, user_id, wallet_id, tx_id, shard, operation, from_address, to_address, amount,
                             fee, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'spd-from', $7, $8, $9, $10, $11, $11)`,
      [
        payment.id,
        payment.userId,
        payment.walletId,
        bytesToHex(transactionId(payment.tx)),
        payment.tx.shard,
        operation.type,
        operation.type === 'burn' ? null : 'spd-to',
        ('amount' in operation ? operation.amount : 0n).toString(),
        payment.tx.fee.toString(),
        payment.status,
        created,
      ],
    );
  }
}

/** Everything the indexer writes, in the order it wrote it (seq values left out: they are not shared). */
async function snapshot(database: Queryable) {
  const rows = async (sql: string) => (await database.query<Record<string, unknown>>(sql)).rows;
  return {
    credits: await rows(
      `SELECT receipt_id, tx_id, kind, operation, source_shard, source_height, target_shard, height, position,
              timestamp_ms, sender, recipient, amount, payment_id, outcome, refund_of FROM chain_credits ORDER BY seq`,
    ),
    transactions: await rows(
      `SELECT tx_id, shard, height, position, timestamp_ms, operation, sender, recipient, amount, fee, target_shard,
              payment_id FROM chain_transactions ORDER BY seq`,
    ),
    indexingOrder: await rows(
      `SELECT id FROM (SELECT seq, receipt_id AS id FROM chain_credits UNION ALL
                       SELECT seq, tx_id FROM chain_transactions) u ORDER BY seq`,
    ),
    payments: await rows('SELECT id, status, updated_at FROM payments ORDER BY id'),
    events: await rows('SELECT user_id, type, data, created_at FROM events ORDER BY seq'),
  };
}

/** `database`, counting every statement sent through it or its transactions. */
function countingDatabase(database: Database) {
  const counter = { statements: 0 };
  const counted = (target: Queryable): Queryable => ({
    query: (sql, params) => {
      counter.statements += 1;
      return target.query(sql, params);
    },
    exec: (sql) => target.exec(sql),
  });
  const wrapped: Database = {
    ...database,
    kind: database.kind,
    query: (sql, params) => counted(database).query(sql, params),
    transaction: (work) => database.transaction((tx) => work(counted(tx))),
    close: () => database.close(),
  };
  return { database: wrapped as Database, counter };
}

for (const target of testDatabaseTargets()) {
  describe(`batched block writer (${target.name})`, { skip: target.skip }, () => {
    let reference: Database;
    let batched: Database;
    before(async () => {
      [reference, batched] = await Promise.all([target.open(), target.open()]);
    });
    after(async () => {
      await Promise.all([reference?.close(), batched?.close()]);
    });

    it(`writes the rows and events the sequential writer wrote, in a constant number of statements (seed ${seed})`, async () => {
      const scenario = buildScenario(seed);
      const blocks = chainOf(scenario.blocks);
      await seedRows(reference, scenario);
      await seedRows(batched, scenario);

      for (const block of blocks) {
        await reference.transaction(async (tx) => {
          await lockEventOrder(tx);
          await writeIndexedBlockSequentially(tx, fakeNetwork, shardB, block, at);
        });
      }
      const { database, counter } = countingDatabase(batched);
      const indexer = createIndexer(
        {},
        { database, chain: chainClientOf(blocks), network: fakeNetwork, now: () => at },
      );
      const reached = await indexer.syncOnce();
      assert.equal(reached.get(shardB), 2n);

      const expected = await snapshot(reference);
      const actual = await snapshot(batched);
      const block2 = blocks[1]!;
      const receiptCount = block2.incoming.reduce((sum, batch) => sum + batch.receipts.length, 0);
      assert.equal(expected.credits.length, 1 + receiptCount);
      assert.equal(expected.transactions.length, 1 + block2.transactions.length);
      assert.ok(expected.events.length > 300, `only ${expected.events.length} events`);
      assert.deepEqual(actual.credits, expected.credits);
      assert.deepEqual(actual.transactions, expected.transactions);
      assert.deepEqual(actual.indexingOrder, expected.indexingOrder);
      assert.deepEqual(actual.payments, expected.payments);
      assert.deepEqual(actual.events, expected.events);

      // What the oracle itself must say, so that both agreeing on a mistake fails too.
      const outcomes = actual.credits.slice(1, 13).map((row) => [row.payment_id, row.kind, row.outcome]);
      assert.deepEqual(outcomes, [
        ['early-intra', 'credit', 'refused'],
        ['early-credit', 'credit', 'refused'],
        ['dup', 'credit', 'credited'],
        ['dup', 'credit', 'refused'],
        ['dup', 'credit', 'credited'],
        ['own-block', 'credit', 'credited'],
        [scenario.tricky, 'credit', 'credited'],
        [scenario.tricky, 'credit', 'refused'],
        ['dup', 'credit', 'refused'],
        ['dup', 'refund', 'credited'],
        ['', 'refund', 'credited'],
        ['', 'refund', 'credited'],
      ]);
      const moveTwiceId = bytesToHex(transactionId(scenario.moveTwice));
      const movedTwice = actual.events.filter(
        (event) =>
          event.type === 'payment.updated' && (event.data as { tx_id: string }).tx_id === moveTwiceId,
      );
      assert.deepEqual(
        movedTwice.map((event) => (event.data as { status: string }).status),
        ['refused', 'refunded'],
      );

      // Per block: 2 reads before the lock, then lock, cursor, 2 inserts, payments select + update,
      // events insert; plus 2 cursor reads per shard. Hundreds of rows, yet a handful of statements.
      const bound = 2 * fakeNetwork.shardCount + 9 * blocks.length;
      assert.ok(counter.statements <= bound, `${counter.statements} statements, more than ${bound}`);
    });

    it('writes a block of 5,000 transactions and 5,000 receipts (array parameters: no 65,535 limit)', async () => {
      const sender = keyOnShard(shardB, 'batch-large/sender');
      const payee = keyOnShard(shardB, 'batch-large/payee');
      const remote = keyOnShard(shardA, 'batch-large/remote');
      // Signatures are not checked by the indexer: one signed transaction, renumbered.
      const template = signedTransaction(sender, {
        type: 'pay',
        merchant: addressFromPublicKey(payee.publicKey),
        amount: 1n,
        paymentId: 'large',
        memo: '',
      }).tx;
      const transactions = Array.from({ length: 5000 }, (_, i) => ({ ...template, nonce: BigInt(i) }));
      const remoteTemplate = signedTransaction(remote, {
        type: 'pay',
        merchant: addressFromPublicKey(payee.publicKey),
        amount: 1n,
        paymentId: 'large-remote',
        memo: '',
      }).tx;
      const receipts = Array.from({ length: 5000 }, (_, i) =>
        creditReceiptOf({ ...remoteTemplate, nonce: BigInt(i) }, 1n, i),
      );
      const blocks = chainOf([{ transactions, batches: [receipts] }]);
      const indexer = createIndexer(
        {},
        { database: batched, chain: chainClientOf(blocks), network: fakeNetwork },
      );
      await batched.query('DELETE FROM indexer_cursors');
      await batched.query('DELETE FROM chain_credits');
      await batched.query('DELETE FROM chain_transactions');
      assert.equal((await indexer.syncOnce()).get(shardB), 1n);

      const counts = await batched.query<{ credited: string; refused: string; txs: string; last: number }>(
        `SELECT (SELECT count(*) FROM chain_credits WHERE outcome = 'credited') AS credited,
                (SELECT count(*) FROM chain_credits WHERE outcome = 'refused') AS refused,
                (SELECT count(*) FROM chain_transactions) AS txs,
                (SELECT position FROM chain_transactions ORDER BY seq DESC LIMIT 1) AS last`,
      );
      // One payment id to one merchant: the first credit is credited, the 4,999 others refused.
      assert.deepEqual(
        {
          ...counts.rows[0],
          credited: Number(counts.rows[0]!.credited),
          refused: Number(counts.rows[0]!.refused),
          txs: Number(counts.rows[0]!.txs),
        },
        { credited: 1, refused: 4999, txs: 5000, last: 4999 },
      );
      const firstReceipt = bytesToHex(receiptId(receipts[0]!));
      const first = await batched.query<{ receipt_id: string }>(
        'SELECT receipt_id FROM chain_credits ORDER BY seq LIMIT 1',
      );
      assert.equal(first.rows[0]!.receipt_id, firstReceipt);
    });
  });
}
