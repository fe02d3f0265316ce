import assert from 'node:assert/strict';
import { compareBytes } from '@shardpay/crypto';
import type {
  Address,
  Hash,
  IncomingReceiptBatch,
  NetworkConfig,
  Operation,
  Transaction,
  TransactionBody,
} from '@shardpay/protocol';
import { multisigAddress, signAuthorization } from '@shardpay/protocol';
import { type BlockBuild, executeBlock } from '../../src/index.ts';
import {
  commitExecution,
  createTestShard,
  signedTx,
  type TestKey,
  type TestNetwork,
  type TestShard,
  testKey,
  testShardOf,
  unsignedTx,
} from './testNetwork.ts';

/** `count` deterministic keys named `seed/i`, sorted ascending by public key (as a multisig's owners must be). */
export function sortedKeys(seed: string, count: number, shardCount: number): TestKey[] {
  return Array.from({ length: count }, (_, i) => testKey(`${seed}/${i}`, shardCount)).sort((a, b) =>
    compareBytes(a.publicKey, b.publicKey),
  );
}

/** Signatures of `signers` (indices into `owners`, ascending) over `hash`, in the shape operations carry. */
export function ownerSignatures(
  owners: readonly TestKey[],
  signers: readonly number[],
  hash: Hash,
): Array<{ ownerIndex: number; signature: Uint8Array }> {
  return signers.map((ownerIndex) => ({
    ownerIndex,
    signature: signAuthorization(hash, owners[ownerIndex]!.privateKey).signature,
  }));
}

/** The first salt from `start` whose multisig address (created by `creator`) lives on `shard` — or, with `elsewhere`, does not. */
export function saltFor(
  config: NetworkConfig,
  creator: Address,
  shard: number,
  elsewhere = false,
  start = 0n,
): bigint {
  for (let salt = start; ; salt++) {
    const onShard = testShardOf(multisigAddress(config.chainId, creator, salt), config.shardCount) === shard;
    if (onShard !== elsewhere) return salt;
  }
}

/** Block building and refusal checks over one network config (the tests' shards and transactions). */
export interface LedgerHarness {
  config: NetworkConfig;
  freshShards(): TestShard[];
  /** Builds and commits one block of `shard`; asserts nothing was refused unless `allowRefusals`. */
  runBlock(
    shards: TestShard[],
    shard: number,
    transactions: Transaction[],
    incoming?: IncomingReceiptBatch[],
    allowRefusals?: boolean,
  ): BlockBuild;
  /** The refusal code of a single transaction on `shards` (default: fresh), asserting it changed nothing. */
  refusalOf(tx: Transaction, shards?: TestShard[], shard?: number): string;
  tx(sender: TestKey, nonce: bigint, operation: Operation, overrides?: Partial<TransactionBody>): Transaction;
  /** A transaction the codec may not encode: carries a zero signature, refused before it is checked. */
  malformed(sender: TestKey, nonce: bigint, operation: Operation): Transaction;
}

export function createLedgerHarness(
  network: TestNetwork,
  config: NetworkConfig = network.config,
): LedgerHarness {
  const freshShards = () =>
    Array.from({ length: config.shardCount }, (_, shard) => createTestShard(config, shard));
  return {
    config,
    freshShards,
    runBlock(shards, shard, transactions, incoming = [], allowRefusals = false) {
      const target = shards[shard]!;
      const built = executeBlock({
        mode: 'build',
        config,
        shard,
        state: target.state,
        transactions,
        incoming,
      });
      if (!allowRefusals) {
        assert.deepEqual(
          built.refusals.map((r) => r.code),
          [],
          'a transaction or receipt was refused',
        );
      }
      commitExecution({ ...network, config }, target, built, true);
      return built;
    },
    refusalOf(tx, shards = freshShards(), shard = tx.shard) {
      const before = shards[shard]!.store.getMeta()!.stateRoot;
      const built = executeBlock({
        mode: 'build',
        config,
        shard,
        state: shards[shard]!.state,
        transactions: [tx],
        incoming: [],
      });
      assert.equal(built.transactions.length, 0, 'the transaction was accepted');
      assert.equal(built.diff.accounts.length, 0);
      assert.deepEqual(built.stateRoot, before);
      return built.refusals[0]!.code;
    },
    tx: (sender, nonce, operation, overrides = {}) => signedTx(config, sender, nonce, operation, overrides),
    malformed: (sender, nonce, operation) => unsignedTx(config, sender, nonce, operation),
  };
}
