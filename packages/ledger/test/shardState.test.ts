import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bytesToHex, hexToBytes, isShardpayError } from '@shardpay/crypto';
import type { NetworkConfig, Transaction } from '@shardpay/protocol';
import { MAX_AMOUNT } from '@shardpay/protocol';
import {
  accountProof,
  commitStateDiff,
  createGenesisDiff,
  createMemoryShardStore,
  createStateEntryReader,
  decodeAccountRecord,
  decodeShardMeta,
  encodeAccountRecord,
  encodeShardMeta,
  executeBlock,
  type LedgerState,
  openLedgerState,
  type ShardStateReader,
  type StateDiff,
  StateKeyPrefix,
  stateDiffToWrites,
  verifyAccountProof,
} from '../src/index.ts';
import { addressOnShard, createTestNetwork, signedTx, trustingChecks } from './helpers/testNetwork.ts';

/** A sorted key/value store with the two reads of storage's ChainStore, standing in for LMDB. */
function createSortedEntries() {
  // Lowercase hex sorts like the bytes it encodes, so string order is key order.
  const entries = new Map<string, Uint8Array>();
  return {
    write(writes: Iterable<readonly [Uint8Array, Uint8Array]>) {
      for (const [key, value] of writes) entries.set(bytesToHex(key), value.slice());
    },
    getState: (key: Uint8Array) => entries.get(bytesToHex(key))?.slice(),
    scanState(prefix: Uint8Array, options: { startAfter?: Uint8Array; limit?: number } = {}) {
      const prefixHex = bytesToHex(prefix);
      const afterHex = options.startAfter === undefined ? undefined : bytesToHex(options.startAfter);
      const keys = [...entries.keys()]
        .filter((key) => key.startsWith(prefixHex) && (afterHex === undefined || key > afterHex))
        .sort()
        .slice(0, options.limit ?? Number.POSITIVE_INFINITY);
      return keys.map((key) => ({ key: hexToBytes(key), value: entries.get(key)!.slice() }));
    },
    size: () => entries.size,
  };
}

interface StoreUnderTest {
  reader: ShardStateReader;
  persist: (diff: StateDiff) => void;
}

const implementations: Array<[string, () => StoreUnderTest]> = [
  [
    'memory store',
    () => {
      const store = createMemoryShardStore();
      return { reader: store, persist: store.applyDiff };
    },
  ],
  [
    'key/value entries',
    () => {
      const entries = createSortedEntries();
      return {
        reader: createStateEntryReader(entries),
        persist: (diff) => entries.write(stateDiffToWrites(diff)),
      };
    },
  ],
];

const network = createTestNetwork();
const { config } = network;
const [alice, bob] = network.users as [(typeof network.users)[0], (typeof network.users)[0]];
const merchant = addressOnShard('merchant', 0, config.shardCount);
const remote = network.users.find((user) => user.shard === 1)!;

function history(): Transaction[][] {
  return [
    [
      signedTx(config, alice, 0n, { type: 'transfer', to: bob.address, amount: 10n, memo: '' }),
      signedTx(config, alice, 1n, { type: 'pay', merchant, amount: 20n, paymentId: 'order-1', memo: '' }),
    ],
    [signedTx(config, bob, 0n, { type: 'transfer', to: remote.address, amount: 7n, memo: '' })],
    [signedTx(config, alice, 2n, { type: 'burn', amount: 5n, payoutReference: 'po' })],
  ];
}

function runHistory(target: StoreUnderTest): LedgerState {
  const state = openLedgerState(target.reader);
  commitStateDiff(state, createGenesisDiff(config, 0), target.persist);
  for (const transactions of history()) {
    const built = executeBlock({
      mode: 'build',
      config,
      shard: 0,
      state,
      transactions,
      incoming: [],
      checks: trustingChecks,
    });
    assert.equal(built.refusals.length, 0);
    commitStateDiff(state, built.diff, target.persist);
  }
  return state;
}

describe('every state store gives the same state', () => {
  const results = implementations.map(([name, create]) => {
    const target = create();
    return { name, target, state: runHistory(target) };
  });

  for (const { name, target, state } of results) {
    test(`${name}: reads, proofs and a reopen agree with the roots`, () => {
      const meta = target.reader.getMeta()!;
      assert.equal(meta.height, 3n);
      assert.deepEqual(meta.stateRoot, results[0]!.target.reader.getMeta()!.stateRoot);
      assert.ok(target.reader.isPaymentIdUsed(merchant, 'order-1'));
      assert.ok(!target.reader.isPaymentIdUsed(merchant, 'order-2'));
      assert.ok(!target.reader.isMintReferenceUsed(alice.address, 'order-1'));
      assert.equal(target.reader.getAccount(merchant)!.balance, 20n);
      const proven = accountProof(state, alice.address)!;
      assert.ok(verifyAccountProof(meta.stateRoot, alice.address, proven.account, proven.proof));
      // A node restart: rebuild the tree from the stored accounts and check it against the stored roots.
      const reopened = openLedgerState(target.reader);
      assert.deepEqual(reopened.accountTree.root, state.accountTree.root);
      let accounts = 0;
      target.reader.forEachAccount(() => accounts++);
      assert.equal(accounts, meta.accountCount);
    });
  }
});

test('opening state whose accounts do not match the root fails', () => {
  const entries = createSortedEntries();
  const reader = createStateEntryReader(entries);
  runHistory({ reader, persist: (diff) => entries.write(stateDiffToWrites(diff)) });
  const record = reader.getAccount(bob.address)!;
  entries.write([
    [
      Uint8Array.of(StateKeyPrefix.account, ...bob.address),
      encodeAccountRecord({ ...record, balance: record.balance + 1n }),
    ],
  ]);
  assert.throws(
    () => openLedgerState(reader),
    (error) => isShardpayError(error, 'LEDGER_STATE_INVALID') && error.meta.reason === 'corrupt',
  );
});

test('state entries round-trip and reject malformed bytes', () => {
  const record = { balance: MAX_AMOUNT, nonce: 9n, leafIndex: 2 ** 32 - 1 };
  assert.deepEqual(decodeAccountRecord(encodeAccountRecord(record)), record);
  const meta = createGenesisDiff(config, 0).meta;
  assert.deepEqual(decodeShardMeta(encodeShardMeta(meta)), meta);
  assert.throws(
    () => decodeAccountRecord(new Uint8Array(19)),
    (error) => isShardpayError(error, 'LEDGER_STATE_INVALID'),
  );
  assert.throws(
    () => decodeShardMeta(new Uint8Array(129)),
    (error) => isShardpayError(error, 'LEDGER_STATE_INVALID'),
  );
});

test('the tree rebuild pages through more accounts than one scan returns', () => {
  const addresses = Array.from({ length: 1_000 }, (_, i) => {
    const address = new Uint8Array(20);
    new DataView(address.buffer).setUint32(16, i);
    return address;
  });
  const big: NetworkConfig = {
    ...createTestNetwork({ shardCount: 1 }).config,
    initialBalances: addresses.map((address) => ({ address, amount: 1n })),
  };
  const entries = createSortedEntries();
  let scans = 0;
  const reader = createStateEntryReader(
    {
      getState: entries.getState,
      scanState: (prefix, options) => {
        scans++;
        return entries.scanState(prefix, options);
      },
    },
    { scanPageSize: 64 },
  );
  const state = openLedgerState(reader);
  commitStateDiff(state, createGenesisDiff(big, 0), (diff) => entries.write(stateDiffToWrites(diff)));
  assert.equal(entries.size(), 1_001);
  scans = 0;
  assert.deepEqual(openLedgerState(reader).accountTree.root, state.accountTree.root);
  assert.equal(scans, Math.ceil(1_000 / 64));
});

describe('genesis', () => {
  test('funds the shard’s addresses in config order and counts them as minted', () => {
    const diff = createGenesisDiff(config, 0);
    const local = config.initialBalances.filter((entry) =>
      network.users.some((u) => u.shard === 0 && u.address === entry.address),
    );
    assert.equal(diff.meta.height, 0n);
    assert.equal(diff.meta.accountCount, local.length);
    assert.equal(
      diff.meta.minted,
      local.reduce((sum, entry) => sum + entry.amount, 0n),
    );
    assert.deepEqual(
      diff.accounts.map((entry) => entry.account.leafIndex),
      local.map((_, i) => i),
    );
  });

  test('refuses unusable configs', () => {
    const refuse = (changed: NetworkConfig, shard: number, code: string) =>
      assert.throws(
        () => createGenesisDiff(changed, shard),
        (error) => isShardpayError(error, code),
      );
    refuse(config, 3, 'NETWORK_CONFIG_INVALID');
    refuse(
      { ...config, feeCollectors: [config.feeCollectors[1]!, ...config.feeCollectors.slice(1)] },
      0,
      'NETWORK_CONFIG_INVALID',
    );
    refuse(
      { ...config, initialBalances: [...config.initialBalances, config.initialBalances[0]!] },
      0,
      'NETWORK_CONFIG_INVALID',
    );
    refuse(
      { ...config, initialBalances: [{ address: alice.address, amount: MAX_AMOUNT }] },
      0,
      'SUPPLY_OVERFLOW',
    );
    refuse({ ...config, initialBalances: [{ address: alice.address, amount: 0n }] }, 0, 'AMOUNT_INVALID');
  });

  test('execution needs a committed genesis', () => {
    const state = openLedgerState(createMemoryShardStore());
    assert.throws(
      () => executeBlock({ mode: 'build', config, shard: 0, state, transactions: [], incoming: [] }),
      (error) => isShardpayError(error, 'LEDGER_STATE_INVALID') && error.meta.reason === 'no_genesis',
    );
  });
});
