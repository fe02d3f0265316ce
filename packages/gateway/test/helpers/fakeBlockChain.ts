import { addressFromPublicKey, bytesToHex, encodeAddress, ShardpayError } from '@shardpay/crypto';
import {
  type Block,
  type BlockHeader,
  BUCKET_COUNT,
  blockHeaderToJson,
  blockToJson,
  encodeTransaction,
  headerId,
  type NetworkConfig,
  type Operation,
  type Receipt,
  shardOfAddress,
  signTransaction,
  type Transaction,
  transactionId,
  transactionSender,
} from '@shardpay/protocol';
import type { ChainClient, ChainNodeState } from '../../src/chain/createChainClient.ts';
import { testKey } from './testGateway.ts';

/**
 * A network whose accounts all live on the two shards `[low, high]` (half the buckets each). Each
 * suite indexes shards no other suite touches (indexer.test.ts: 0 and 1; payments.test.ts writes 7;
 * indexerEvents: 4 and 5; replicas: 8 and 9), so suites can share one PostgreSQL test database at
 * the same time.
 */
export function createFakeNetwork(shards: readonly [number, number]): NetworkConfig {
  return {
    chainId: 'shardpay-test',
    addressPrefix: 'spd',
    shardCount: shards[1] + 1,
    bucketToShard: Array.from({ length: BUCKET_COUNT }, (_, bucket) =>
      bucket < BUCKET_COUNT / 2 ? shards[0] : shards[1],
    ),
    committees: [],
    issuers: [],
    flatFee: 0n,
    feeCollectors: [],
    initialBalances: [],
    genesisTimeMs: 0n,
  };
}

/** Shards 4 and 5. */
export const fakeNetwork = createFakeNetwork([4, 5]);
const zeroHash = new Uint8Array(32);

export type TestKey = ReturnType<typeof testKey>;

/** A key whose address lives on `shard`, found by trying labels in order (deterministic per label). */
export function keyOnShard(shard: number, label: string, network = fakeNetwork): TestKey {
  for (let i = 0; ; i += 1) {
    const key = testKey(`${label}/${i}`);
    if (shardOfAddress(network, addressFromPublicKey(key.publicKey)) === shard) return key;
  }
}

/** A signed transaction from `key` on its home shard, its hex encoding and its id. */
export function signedTransaction(key: TestKey, operation: Operation, nonce = 0n, network = fakeNetwork) {
  const tx = signTransaction(
    {
      chainId: network.chainId,
      shard: shardOfAddress(network, addressFromPublicKey(key.publicKey)),
      nonce,
      fee: 1_000n,
      expiryHeight: 1000n,
      publicKey: key.publicKey,
      operation,
    },
    key.privateKey,
  );
  return { tx, hex: bytesToHex(encodeTransaction(tx)), txId: bytesToHex(transactionId(tx)) };
}

/** The receipt a cross-shard `tx` emits (a credit), or the refund answering `refused`. */
export function creditReceiptOf(
  tx: Transaction,
  sourceHeight: bigint,
  index = 0,
  network = fakeNetwork,
): Receipt {
  const operation = tx.operation;
  if (operation.type !== 'transfer' && operation.type !== 'pay' && operation.type !== 'mint') {
    throw new Error(`this fake emits receipts of transfers, payments and mints, not of a ${operation.type}`);
  }
  const to = operation.type === 'pay' ? operation.merchant : operation.to;
  return {
    chainId: network.chainId,
    sourceShard: tx.shard,
    targetShard: shardOfAddress(network, to),
    sourceHeight,
    index,
    kind: 'credit',
    txId: transactionId(tx),
    operation: operation.type,
    from: transactionSender(tx),
    to,
    amount: operation.amount,
    paymentId: operation.type === 'pay' ? operation.paymentId : '',
    memo: '',
    refundOf: null,
  };
}

/** The refund a target shard emits for a credit it refused (back to the sender's shard). */
export function refundReceiptOf(credit: Receipt, refusedId: Uint8Array, sourceHeight: bigint): Receipt {
  return {
    ...credit,
    sourceShard: credit.targetShard,
    targetShard: credit.sourceShard,
    sourceHeight,
    index: 0,
    kind: 'refund',
    to: credit.from,
    refundOf: refusedId,
  };
}

/**
 * Blocks that a test appends to the shards of `network`, served through a ChainClient double
 * (getHeader, getBlock), which also accepts submissions and answers statuses from a table.
 */
/** A header of `shard` at `height` linked to `parent` (none for the first), with zero roots: the fakes do not execute. */
export function fakeHeader(
  network: NetworkConfig,
  shard: number,
  height: bigint,
  parent?: Block,
): BlockHeader {
  return {
    chainId: network.chainId,
    shard,
    height,
    timestampMs: 1_700_000_000_000n + 1_000n * height,
    parentHash: parent === undefined ? zeroHash : headerId(parent.header),
    proposerIndex: 0,
    txRoot: zeroHash,
    incomingRoot: zeroHash,
    stateRoot: zeroHash,
    receiptsRoot: zeroHash,
    lastCommitHash: zeroHash,
  };
}

export function createFakeBlockChain(network = fakeNetwork) {
  const blocks = new Map<number, Block[]>(
    Array.from({ length: network.shardCount }, (_, shard): [number, Block[]] => [shard, []]),
  );
  const statuses = new Map<string, string>();
  const submitted: string[] = [];
  // `shardpay_getEscrow` answers from here (escrow id hex → the node's JSON record); else ESCROW_NOT_FOUND.
  const escrows = new Map<string, Record<string, unknown>>();
  const client: ChainClient = {
    async call<Result>(shard: number, method: string, params: Record<string, unknown> = {}) {
      const chain = blocks.get(shard) ?? [];
      if (method === 'shardpay_getHeader') {
        const last = chain.at(-1);
        return (last === undefined ? null : blockHeaderToJson(last.header)) as Result;
      }
      if (method === 'shardpay_getBlock') {
        const block = chain[Number(params.height) - 1];
        return (block === undefined ? null : blockToJson(block, { addressPrefix: 'spd' })) as Result;
      }
      if (method === 'shardpay_submitTransaction') {
        submitted.push(String(params.tx));
        return { txId: 'ignored' } as Result;
      }
      if (method === 'shardpay_getEscrow') {
        const escrow = escrows.get(String(params.escrowId));
        if (escrow === undefined || escrow.shard !== shard) {
          throw new ShardpayError(
            'ESCROW_NOT_FOUND',
            `no escrow ${String(params.escrowId)} on shard ${shard}`,
            {
              meta: { rpcCode: -32000 },
            },
          );
        }
        return { ...escrow } as Result;
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
    statuses,
    submitted,
    escrows,
    /** Appends a block to `shard` consuming `receipts` (one incoming batch), then running `transactions`. */
    addBlock(shard: number, contents: { transactions?: Transaction[]; receipts?: Receipt[] }): bigint {
      const chain = blocks.get(shard)!;
      const parent = chain.at(-1);
      const height = BigInt(chain.length + 1);
      const receipts = contents.receipts ?? [];
      const header = fakeHeader(network, shard, height, parent);
      const sourceShard = receipts[0]?.sourceShard ?? shard;
      chain.push({
        header,
        transactions: contents.transactions ?? [],
        incoming:
          receipts.length === 0
            ? []
            : [
                {
                  // The indexer trusts the node for proofs: a placeholder batch header and certificate.
                  header: { ...header, shard: sourceShard, parentHash: zeroHash },
                  certificate: {
                    chainId: network.chainId,
                    shard: sourceShard,
                    height,
                    round: 0,
                    blockHash: zeroHash,
                    signatures: [],
                  },
                  receipts: receipts.map((receipt, index) => ({
                    receipt,
                    proof: { index, leafCount: receipts.length, siblings: [] },
                  })),
                },
              ],
      });
      return height;
    },
  };
}

/** `key`'s address text. */
export function addressOf(key: TestKey): string {
  return encodeAddress(addressFromPublicKey(key.publicKey), 'spd');
}
