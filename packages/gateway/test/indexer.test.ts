import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addressFromPublicKey, bytesToHex, encodeAddress, isShardpayError } from '@shardpay/crypto';
import type { Database } from '@shardpay/database';
import {
  type Block,
  BUCKET_COUNT,
  blockHeaderToJson,
  blockToJson,
  headerId,
  type NetworkConfig,
  shardOfAddress,
  signTransaction,
  type Transaction,
  transactionId,
} from '@shardpay/protocol';
import type { ChainClient } from '../src/chain/createChainClient.ts';
import { createIndexer } from '../src/indexer/createIndexer.ts';
import { testDatabaseTargets, testKey } from './helpers/testGateway.ts';

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
const zeroHash = new Uint8Array(32);

/** A key living on `shard`, found by trying labels in order (deterministic). */
function keyOnShard(shard: number, label: string) {
  for (let i = 0; ; i += 1) {
    const key = testKey(`${label}/${i}`);
    if (shardOfAddress(network, addressFromPublicKey(key.publicKey)) === shard) return key;
  }
}

/** Two shards of blocks the test appends to, served through a ChainClient double. */
function createFakeChain() {
  const blocks = new Map<number, Block[]>([
    [0, []],
    [1, []],
  ]);
  const nonces = new Map<string, bigint>();
  let failBlock: { shard: number; height: bigint } | undefined;
  const client: ChainClient = {
    async call<Result>(shard: number, method: string, params: Record<string, unknown> = {}) {
      const chain = blocks.get(shard)!;
      if (method === 'shardpay_getHeader') {
        const last = chain.at(-1);
        return (last === undefined ? null : blockHeaderToJson(last.header)) as Result;
      }
      if (method === 'shardpay_getBlock') {
        const height = BigInt(String(params.height));
        if (failBlock !== undefined && failBlock.shard === shard && failBlock.height === height) {
          failBlock = undefined;
          throw new Error('connection reset');
        }
        const block = chain[Number(height) - 1];
        return (block === undefined ? null : blockToJson(block, { addressPrefix: 'spd' })) as Result;
      }
      throw new Error(`unexpected ${method}`);
    },
    nodeStates: () => [],
    checkHealth: async () => undefined,
    start: () => undefined,
    stop: () => undefined,
  };

  function transfer(shard: number, label: string, amount: bigint): Transaction {
    const from = keyOnShard(shard, `indexer/${label}`);
    const nonce = nonces.get(label) ?? 0n;
    nonces.set(label, nonce + 1n);
    return signTransaction(
      {
        chainId: network.chainId,
        shard,
        nonce,
        fee: 0n,
        expiryHeight: 1000n,
        publicKey: from.publicKey,
        operation: {
          type: 'transfer',
          to: addressFromPublicKey(testKey(`to/${label}`).publicKey),
          amount,
          memo: '',
        },
      },
      from.privateKey,
    );
  }

  return {
    client,
    /** Appends a block with `count` transfers to `shard`; returns its transaction ids. */
    addBlock(shard: number, count: number, parentOverride?: Uint8Array): string[] {
      const chain = blocks.get(shard)!;
      const parent = chain.at(-1);
      const height = BigInt(chain.length + 1);
      const transactions = Array.from({ length: count }, (_, i) =>
        transfer(shard, `s${shard}-${i}`, height * 10n + BigInt(i)),
      );
      chain.push({
        header: {
          chainId: network.chainId,
          shard,
          height,
          timestampMs: 1_000n * height,
          parentHash: parentOverride ?? (parent === undefined ? zeroHash : headerId(parent.header)),
          proposerIndex: 0,
          txRoot: zeroHash,
          incomingRoot: zeroHash,
          stateRoot: zeroHash,
          receiptsRoot: zeroHash,
          lastCommitHash: zeroHash,
        },
        transactions,
        incoming: [],
      });
      return transactions.map((tx) => bytesToHex(transactionId(tx)));
    },
    failBlockOnce(shard: number, height: bigint) {
      failBlock = { shard, height };
    },
  };
}

for (const target of testDatabaseTargets()) {
  describe(`indexer (${target.name})`, { skip: target.skip }, () => {
    let database: Database;
    before(async () => {
      database = await target.open();
    });
    after(async () => {
      await database.close();
    });

    const reset = async () => {
      // Only the shards this suite indexes: other suites may share a PostgreSQL test database.
      await database.query('DELETE FROM chain_transactions WHERE shard IN (0, 1)');
      await database.query('DELETE FROM indexer_cursors WHERE shard IN (0, 1)');
    };
    const indexedIds = async () =>
      (
        await database.query<{ tx_id: string }>(
          'SELECT tx_id FROM chain_transactions WHERE shard IN (0, 1) ORDER BY shard, height, position',
        )
      ).rows.map((row) => row.tx_id);

    it('indexes every shard, and a restarted indexer resumes where the last one stopped', async () => {
      await reset();
      const chain = createFakeChain();
      const expected = [...chain.addBlock(0, 2), ...chain.addBlock(0, 0), ...chain.addBlock(0, 3)];
      const onShard1 = chain.addBlock(1, 1);
      const first = createIndexer({}, { database, chain: chain.client, network });
      assert.deepEqual(
        await first.syncOnce(),
        new Map([
          [0, 3n],
          [1, 1n],
        ]),
      );
      assert.deepEqual(await indexedIds(), [...expected, ...onShard1]);
      const later = [...chain.addBlock(0, 1), ...chain.addBlock(0, 2)];
      const restarted = createIndexer({}, { database, chain: chain.client, network });
      assert.equal((await restarted.syncOnce()).get(0), 5n);
      assert.deepEqual(await indexedIds(), [...expected, ...later, ...onShard1]);
      assert.equal((await restarted.syncOnce()).get(0), 5n, 'nothing new: nothing written');
      assert.equal((await indexedIds()).length, 9);
    });

    it('stores who sent what to whom as addresses and minor units', async () => {
      await reset();
      const chain = createFakeChain();
      const [txId] = chain.addBlock(1, 1);
      await createIndexer({}, { database, chain: chain.client, network }).syncOnce();
      const row = (
        await database.query<{
          sender: string;
          recipient: string;
          amount: bigint;
          operation: string;
          height: bigint;
        }>('SELECT sender, recipient, amount, operation, height FROM chain_transactions WHERE tx_id = $1', [
          txId,
        ])
      ).rows[0];
      assert.deepEqual(
        { ...row, amount: BigInt(row!.amount), height: BigInt(row!.height) },
        {
          sender: keyOnShard(1, 'indexer/s1-0').address,
          recipient: encodeAddress(addressFromPublicKey(testKey('to/s1-0').publicKey), 'spd'),
          amount: 10n,
          operation: 'transfer',
          height: 1n,
        },
      );
    });

    it('leaves no gap and no duplicate when a fetch fails half way', async () => {
      await reset();
      const chain = createFakeChain();
      const all = [
        ...chain.addBlock(0, 1),
        ...chain.addBlock(0, 1),
        ...chain.addBlock(0, 1),
        ...chain.addBlock(0, 1),
      ];
      chain.failBlockOnce(0, 3n);
      const errors: unknown[] = [];
      const indexer = createIndexer(
        {},
        { database, chain: chain.client, network, onError: (error) => errors.push(error) },
      );
      const reached = await indexer.syncOnce();
      assert.equal(reached.has(0), false);
      assert.equal(errors.length, 1);
      assert.deepEqual(await indexedIds(), all.slice(0, 2));
      assert.equal((await indexer.syncOnce()).get(0), 4n);
      assert.deepEqual(await indexedIds(), all);
    });

    it('writes each block once when two indexers run at the same time', async () => {
      await reset();
      const chain = createFakeChain();
      const all: string[] = [];
      for (let i = 0; i < 6; i += 1) all.push(...chain.addBlock(0, 2));
      const a = createIndexer({}, { database, chain: chain.client, network });
      const b = createIndexer({}, { database, chain: chain.client, network });
      await Promise.all([a.syncOnce(), b.syncOnce()]);
      await a.syncOnce();
      assert.deepEqual(await indexedIds(), all);
    });

    it('refuses a block that does not follow the indexed one', async () => {
      await reset();
      const chain = createFakeChain();
      chain.addBlock(0, 1);
      const indexer = createIndexer({}, { database, chain: chain.client, network, onError: () => undefined });
      await indexer.syncOnce();
      chain.addBlock(0, 1, new Uint8Array(32).fill(9));
      const errors: unknown[] = [];
      const strict = createIndexer(
        {},
        { database, chain: chain.client, network, onError: (error) => errors.push(error) },
      );
      await strict.syncOnce();
      assert.ok(isShardpayError(errors[0], 'INDEXER_CHAIN_MISMATCH'));
      assert.equal((await indexedIds()).length, 1);
    });

    it('runs in the background until stopped', async () => {
      await reset();
      const chain = createFakeChain();
      const ids = chain.addBlock(1, 2);
      const indexer = createIndexer({ pollIntervalMs: 10 }, { database, chain: chain.client, network });
      indexer.start();
      const deadline = Date.now() + 5000;
      while ((await indexedIds()).length < 2 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      await indexer.stop();
      assert.deepEqual(await indexedIds(), ids);
    });
  });
}
