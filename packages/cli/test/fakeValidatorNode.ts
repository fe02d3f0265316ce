/** A minimal ValidatorNode for the CLI tests: it only counts blocks; reads find nothing. */
import { sha256, utf8ToBytes } from '@shardpay/crypto';
import type { CommittedBlockEvent, ValidatorNode } from '@shardpay/node';
import type { BlockHeader, NetworkConfig } from '@shardpay/protocol';

export interface FakeValidatorNode extends ValidatorNode {
  commitEmptyBlock(): void;
}

export function createFakeValidatorNode(
  network: NetworkConfig,
  shard: number,
  validatorIndex: number,
): FakeValidatorNode {
  let height = 0n;
  const listeners = new Set<(event: CommittedBlockEvent) => void>();
  const zero = new Uint8Array(32);
  return {
    network,
    shard,
    validatorIndex,
    async start() {},
    async stop() {},
    async submitTransaction() {
      throw new Error('the fake node takes no transactions');
    },
    getSupply: () => ({ shard, height, minted: 0n, burned: 0n }),
    getAccount: (address) => ({
      address,
      shard,
      balance: 0n,
      nonce: 0n,
      pendingNonce: 0n,
      height,
      stateRoot: zero,
    }),
    getRecord: () => undefined,
    getShardControl: () => ({ paused: false, controlNonce: 0n }),
    isFrozen: () => false,
    getTransactionStatus: async (txId) => ({ txId, status: 'unknown', stages: [] }),
    latestHeight: () => height,
    getBlock: () => undefined,
    getHeader: () => undefined,
    getCertificate: () => undefined,
    getReceipt: () => undefined,
    getBlockReceipts: () => undefined,
    networkInfo: () => ({
      chainId: network.chainId,
      shard,
      validatorIndex,
      height,
      round: 0,
      shards: network.committees.map((c) => ({ id: c.shard, validators: c.validators.length })),
      peers: 0,
    }),
    onCommittedBlock(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stats: () => ({
      height,
      round: 0,
      lastBlockIntervalMs: 100,
      transactionsCommitted: 0,
      blocksCommitted: Number(height),
      mempoolSize: 0,
      peers: 0,
      signatureChecks: 0,
      receiptsRelayed: 0,
    }),
    commitEmptyBlock() {
      height += 1n;
      const header: BlockHeader = {
        chainId: network.chainId,
        shard,
        height,
        timestampMs: network.genesisTimeMs + height,
        parentHash: zero,
        proposerIndex: 0,
        txRoot: zero,
        incomingRoot: zero,
        stateRoot: zero,
        receiptsRoot: zero,
        lastCommitHash: zero,
      };
      const event = {
        header,
        hash: sha256(utf8ToBytes(`block ${height}`)),
        transactionIds: [],
        receipts: [],
      };
      for (const listener of listeners) listener(event);
    },
  };
}
