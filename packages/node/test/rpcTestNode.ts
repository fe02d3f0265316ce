/**
 * An in-memory ValidatorNode for the RPC, metrics and CLI tests: real network config, real signed
 * transactions and real id computations, but blocks are "committed" by the test (`commitBlock`)
 * instead of by consensus.
 */
import { bytesToHex, ShardpayError, sha256, utf8ToBytes } from '@shardpay/crypto';
import {
  type Block,
  type BlockHeader,
  type CommitCertificate,
  headerId,
  isTransactionSignatureValid,
  type NetworkConfig,
  type Receipt,
  receiptId,
  shardOfAddress,
  type Transaction,
  transactionId,
  transactionSender,
} from '@shardpay/protocol';
import { createDevnetGenesis, type DevnetGenesis } from '../src/genesis/createDevnetGenesis.ts';
import type {
  AccountView,
  CommittedBlockEvent,
  NetworkInfo,
  NodeStats,
  ReceiptWithProof,
  TransactionStatus,
  ValidatorNode,
} from '../src/ValidatorNode.ts';

export interface TestNode extends ValidatorNode {
  /** Sets a committed account. */
  setAccount(address: Uint8Array, balance: bigint, nonce: bigint): void;
  /** Commits a block holding every submitted transaction (and `receipts`); fires onCommittedBlock. */
  commitBlock(receipts?: Receipt[]): CommittedBlockEvent;
  /** Sets a committed ledger record (key as the ledger's `escrowKey` etc. give it). */
  setRecord(key: Uint8Array, value: Uint8Array): void;
  /** Sets the shard's issuer controls. */
  setShardControl(control: { paused: boolean; controlNonce: bigint }): void;
  /** Freezes or unfreezes an account. */
  setFrozen(address: Uint8Array, frozen: boolean): void;
  /** Overrides the status of a transaction id (for cross-shard stages). */
  setStatus(status: TransactionStatus): void;
  /** Makes the next `getTransactionStatus` calls fail, as a p2p query to another shard might. */
  failStatusQueries(fail: boolean): void;
  listenerCount(): number;
  readonly submitted: Transaction[];
  statsValue: NodeStats;
}

/** A two-shard, four-validator devnet genesis (fresh random keys) for tests. */
export function createTestNetwork(): DevnetGenesis {
  return createDevnetGenesis({
    chainId: 'shardpay-test',
    shards: 2,
    validatorsPerShard: 4,
    p2pPort: (shardId, index) => 40_000 + shardId * 4 + index,
    faucetBalance: '1000',
    genesisTimeMs: 1_767_225_600_000n,
  });
}

function hashOf(label: string): Uint8Array {
  return sha256(utf8ToBytes(label));
}

/** A test double of one validator of `shard` in `network`. */
export function createTestNode(network: NetworkConfig, shard: number, validatorIndex = 0): TestNode {
  const accounts = new Map<string, { balance: bigint; nonce: bigint }>();
  const blocks: Array<{
    block: Block;
    certificate: CommitCertificate;
    hash: Uint8Array;
    emitted: Receipt[];
  }> = [];
  const receipts = new Map<string, ReceiptWithProof>();
  const statuses = new Map<string, TransactionStatus>();
  const listeners = new Set<(event: CommittedBlockEvent) => void>();
  const mempool: Transaction[] = [];
  const submitted: Transaction[] = [];
  let failQueries = false;
  const records = new Map<string, Uint8Array>();
  const frozen = new Set<string>();
  let shardControl = { paused: false, controlNonce: 0n };
  const stateRoot = hashOf('state root');

  const node: TestNode = {
    network,
    shard,
    validatorIndex,
    submitted,
    statsValue: {
      height: 0n,
      round: 0,
      lastBlockIntervalMs: 0,
      transactionsCommitted: 0,
      blocksCommitted: 0,
      mempoolSize: 0,
      peers: 0,
      signatureChecks: 0,
      receiptsRelayed: 0,
    },
    async start() {},
    async stop() {},

    async submitTransaction(tx) {
      node.statsValue.signatureChecks += 1;
      if (!isTransactionSignatureValid(tx))
        throw new ShardpayError('BAD_SIGNATURE', 'the signature does not verify');
      if (tx.chainId !== network.chainId) throw new ShardpayError('WRONG_CHAIN', 'another chain');
      if (tx.shard !== shard)
        throw new ShardpayError('WRONG_SHARD', 'another shard', { meta: { shard: tx.shard } });
      const txId = transactionId(tx);
      if (statuses.has(bytesToHex(txId))) throw new ShardpayError('TX_ALREADY_KNOWN', 'already known');
      mempool.push(tx);
      submitted.push(tx);
      statuses.set(bytesToHex(txId), { txId, status: 'pending', stages: [{ stage: 'pending', shard }] });
      return { txId };
    },

    getAccount(address, options = {}): AccountView {
      const account = accounts.get(bytesToHex(address)) ?? { balance: 0n, nonce: 0n };
      const pending = mempool.filter(
        (tx) => bytesToHex(transactionSender(tx)) === bytesToHex(address),
      ).length;
      return {
        address,
        shard: shardOfAddress(network, address),
        balance: account.balance,
        nonce: account.nonce,
        pendingNonce: account.nonce + BigInt(pending),
        height: node.latestHeight(),
        stateRoot,
        ...(options.proof ? { proof: new Uint8Array([1, 2, 3]) } : {}),
      };
    },

    setRecord(key, value) {
      records.set(bytesToHex(key), value);
    },

    getRecord: (key) => records.get(bytesToHex(key)),

    setShardControl(control) {
      shardControl = { ...control };
    },

    getShardControl: () => ({ ...shardControl }),

    setFrozen(address, isFrozen) {
      if (isFrozen) frozen.add(bytesToHex(address));
      else frozen.delete(bytesToHex(address));
    },

    isFrozen: (address) => frozen.has(bytesToHex(address)),

    async getTransactionStatus(txId) {
      if (failQueries) throw new Error('peer shard did not answer');
      return statuses.get(bytesToHex(txId)) ?? { txId, status: 'unknown', stages: [] };
    },

    getSupply() {
      let minted = 0n;
      for (const account of accounts.values()) minted += account.balance;
      return { shard, height: node.latestHeight(), minted, burned: 0n };
    },
    latestHeight: () => BigInt(blocks.length),
    getBlock: (height) => (height >= 1n ? blocks[Number(height) - 1]?.block : undefined),
    getHeader: (height) => (height >= 1n ? blocks[Number(height) - 1]?.block.header : undefined),
    getCertificate: (height) => (height >= 1n ? blocks[Number(height) - 1]?.certificate : undefined),
    getReceipt: (id) => receipts.get(bytesToHex(id)),
    getBlockReceipts: (height) => (height >= 1n ? blocks[Number(height) - 1]?.emitted : undefined),

    networkInfo(): NetworkInfo {
      return {
        chainId: network.chainId,
        shard,
        validatorIndex,
        height: node.latestHeight(),
        round: 0,
        shards: network.committees.map((committee) => ({
          id: committee.shard,
          validators: committee.validators.length,
          ...(committee.shard === shard ? { height: node.latestHeight() } : {}),
        })),
        peers: 3,
      };
    },

    onCommittedBlock(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    stats: () => ({ ...node.statsValue, height: node.latestHeight() }),

    setAccount(address, balance, nonce) {
      accounts.set(bytesToHex(address), { balance, nonce });
    },

    commitBlock(emitted = []) {
      const height = BigInt(blocks.length + 1);
      const transactions = mempool.splice(0);
      const header: BlockHeader = {
        chainId: network.chainId,
        shard,
        height,
        timestampMs: network.genesisTimeMs + height * 1000n,
        parentHash: blocks.at(-1)?.hash ?? hashOf('genesis'),
        proposerIndex: 0,
        txRoot: hashOf(`tx root ${height}`),
        incomingRoot: hashOf(`incoming root ${height}`),
        stateRoot,
        receiptsRoot: hashOf(`receipts root ${height}`),
        lastCommitHash: height === 1n ? new Uint8Array(32) : hashOf(`last commit ${height}`),
      };
      const hash = headerId(header);
      const certificate: CommitCertificate = {
        chainId: network.chainId,
        shard,
        height,
        round: 0,
        blockHash: hash,
        signatures: [0, 1, 2].map((validatorIndex) => ({
          validatorIndex,
          signature: new Uint8Array(64).fill(7),
        })),
      };
      blocks.push({ block: { header, transactions, incoming: [] }, certificate, hash, emitted });
      transactions.forEach((tx, index) => {
        const txId = transactionId(tx);
        statuses.set(bytesToHex(txId), {
          txId,
          status: 'final',
          stages: [{ stage: 'final', shard, height, index }],
        });
      });
      emitted.forEach((receipt, index) => {
        receipts.set(bytesToHex(receiptId(receipt)), {
          receipt,
          header,
          certificate,
          proof: { index, leafCount: emitted.length, siblings: [hashOf(`sibling ${index}`)] },
        });
      });
      node.statsValue.blocksCommitted += 1;
      node.statsValue.transactionsCommitted += transactions.length;
      const event: CommittedBlockEvent = {
        header,
        hash,
        transactionIds: transactions.map(transactionId),
        receipts: emitted,
      };
      for (const listener of [...listeners]) listener(event);
      return event;
    },

    setStatus(status) {
      statuses.set(bytesToHex(status.txId), status);
    },

    failStatusQueries(fail) {
      failQueries = fail;
    },

    listenerCount: () => listeners.size,
  };
  return node;
}
