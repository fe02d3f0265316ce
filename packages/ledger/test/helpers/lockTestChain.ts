import assert from 'node:assert/strict';
import type {
  Hash,
  IncomingReceiptBatch,
  IssuerControlAction,
  NetworkConfig,
  Operation,
  Transaction,
} from '@shardpay/protocol';
import { issuerControlSigningHash, shardOfAddress, signAuthorization } from '@shardpay/protocol';
import { executeBlock, readAccount } from '../../src/index.ts';
import {
  commitExecution,
  createTestNetwork,
  createTestShard,
  signedTx,
  type TestKey,
  type TestNetwork,
  type TestShard,
  testKey,
} from './testNetwork.ts';

/**
 * A three-shard test chain for the escrow and time lock tests: signed blocks at chosen times, refusals
 * checked to change nothing, nonces tracked per sender, and an issuer control group of one key (so
 * tests can freeze and pause through the real `issuer_control` operation).
 */
export interface LockTestChain {
  network: TestNetwork;
  config: NetworkConfig;
  shards: TestShard[];
  /** The single member of the issuer control group. */
  controlKey: TestKey;
  /** A signed transaction of `sender` with its next nonce (the nonce is consumed). */
  tx(sender: TestKey, operation: Operation): Transaction;
  /** Builds and commits one block of `shard` at block time `timestampMs` (default: its height); all must be accepted. */
  run(
    shard: number,
    transactions: Transaction[],
    options?: { incoming?: IncomingReceiptBatch[]; timestampMs?: bigint },
  ): ReturnType<typeof executeBlock>;
  /** The refusal code of `tx` on its shard at `timestampMs`, asserting it changed nothing (its nonce is given back). */
  refusal(tx: Transaction, timestampMs?: bigint): string;
  balance(key: TestKey | Uint8Array): bigint;
  /** Runs empty blocks on `shard` until its next block has `height`. */
  advanceTo(shard: number, height: bigint): void;
  /** Freezes, unfreezes, pauses or unpauses on `shard` through a signed issuer_control, sent by `sender`. */
  control(shard: number, sender: TestKey, action: IssuerControlAction, target?: Uint8Array): void;
}

export function createLockTestChain(): LockTestChain {
  const network = createTestNetwork();
  const controlKey = testKey('issuer-control/0', 3);
  const config: NetworkConfig = {
    ...network.config,
    issuerControl: { owners: [controlKey.publicKey], threshold: 1 },
  };
  const shards = [0, 1, 2].map((shard) => createTestShard(config, shard));
  const nonces = new Map<string, bigint>();
  const controlNonces = [0n, 0n, 0n];
  const keyOf = (key: TestKey) => Buffer.from(key.publicKey).toString('hex');

  const chain: LockTestChain = {
    network,
    config,
    shards,
    controlKey,
    tx(sender, operation) {
      const nonce = nonces.get(keyOf(sender)) ?? 0n;
      nonces.set(keyOf(sender), nonce + 1n);
      return signedTx(config, sender, nonce, operation);
    },
    run(shard, transactions, options = {}) {
      const target = shards[shard]!;
      const built = executeBlock({
        mode: 'build',
        config,
        shard,
        state: target.state,
        transactions,
        incoming: options.incoming ?? [],
        ...(options.timestampMs === undefined ? {} : { timestampMs: options.timestampMs }),
      });
      assert.deepEqual(
        built.refusals.map((refusal) => refusal.code),
        [],
        'every candidate of the block is accepted',
      );
      commitExecution(network, target, built, true);
      return built;
    },
    refusal(tx, timestampMs) {
      const target = shards[tx.shard]!;
      const before = target.store.getMeta()!.stateRoot;
      const built = executeBlock({
        mode: 'build',
        config,
        shard: tx.shard,
        state: target.state,
        transactions: [tx],
        incoming: [],
        ...(timestampMs === undefined ? {} : { timestampMs }),
      });
      assert.equal(built.transactions.length, 0, 'the transaction was accepted');
      assert.equal(built.diff.accounts.length, 0);
      assert.equal(built.outgoingReceipts.length, 0);
      assert.deepEqual(built.stateRoot, before, 'a refusal changed the state root');
      const sender = [...network.users, network.issuer, controlKey].find(
        (key) => Buffer.compare(key.publicKey, tx.publicKey) === 0,
      );
      if (sender !== undefined && nonces.get(keyOf(sender)) === tx.nonce + 1n)
        nonces.set(keyOf(sender), tx.nonce);
      return built.refusals[0]!.code;
    },
    balance(key) {
      const address = key instanceof Uint8Array ? key : key.address;
      return readAccount(shards[shardOfAddress(config, address)]!.state, address).balance;
    },
    advanceTo(shard, height) {
      while (shards[shard]!.store.getMeta()!.height + 1n < height) chain.run(shard, []);
    },
    control(shard, sender, action, target) {
      const controlNonce = controlNonces[shard]!;
      controlNonces[shard] = controlNonce + 1n;
      const hash = issuerControlSigningHash(config.chainId, shard, controlNonce, action, target ?? null);
      const { signature } = signAuthorization(hash, controlKey.privateKey);
      chain.run(shard, [
        chain.tx(sender, {
          type: 'issuer_control',
          action,
          target: target ?? null,
          controlNonce,
          signatures: [{ ownerIndex: 0, signature }],
        }),
      ]);
    },
  };
  return chain;
}

/** The id of the escrow or time lock a committed block's first transaction created. */
export function createdId(built: { transactionIds: Hash[] }): Hash {
  return built.transactionIds[0]!;
}
