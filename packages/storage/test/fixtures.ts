/**
 * Deterministic test data for the storage tests: a seeded PRNG and chains of blocks whose every
 * part (transactions, receipts, state writes, statuses) follows from (seed, height), so a test —
 * or a crash-test parent process — can rebuild exactly what any height committed.
 */
import type {
  Block,
  BlockHeader,
  CommitCertificate,
  Hash,
  IncomingReceiptBatch,
  Receipt,
  Transaction,
} from '@shardpay/protocol';
import { headerId, transactionId } from '@shardpay/protocol';
import type { BlockCommit, StateWrite, TxStatusUpdate } from '../src/index.ts';

export const CHAIN_ID = 'shardpay-storage-test';
export const SHARD = 1;
export const OTHER_SHARD = 2;

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(random: () => number, below: number): number {
  return Math.floor(random() * below);
}

export function randomBytes(random: () => number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let index = 0; index < length; index++) bytes[index] = randomInt(random, 256);
  return bytes;
}

const utf8 = new TextEncoder();
export const bytesOf = (text: string): Uint8Array => utf8.encode(text);

/** The genesis hash every fixture chain starts from. */
export function fixtureGenesisHash(seed: number): Hash {
  return randomBytes(createPrng(seed ^ 0x5eed), 32);
}

function makeTransaction(random: () => number, height: bigint, index: number): Transaction {
  return {
    chainId: CHAIN_ID,
    shard: SHARD,
    nonce: BigInt(index),
    fee: 10_000n,
    expiryHeight: height + 100n,
    publicKey: Uint8Array.of(2, ...randomBytes(random, 32)),
    operation:
      index % 2 === 0
        ? {
            type: 'transfer',
            to: randomBytes(random, 20),
            amount: BigInt(1 + randomInt(random, 1_000_000)),
            memo: '',
          }
        : {
            type: 'pay',
            merchant: randomBytes(random, 20),
            amount: 5_000_000n,
            paymentId: `order-${height}-${index}`,
            memo: 'thanks',
          },
    signature: randomBytes(random, 64),
  };
}

function makeReceipt(random: () => number, height: bigint, index: number, txId: Hash): Receipt {
  return {
    chainId: CHAIN_ID,
    sourceShard: SHARD,
    targetShard: OTHER_SHARD,
    sourceHeight: height,
    index,
    kind: 'credit',
    txId,
    operation: 'transfer',
    from: randomBytes(random, 20),
    to: randomBytes(random, 20),
    amount: BigInt(1 + randomInt(random, 1_000_000)),
    paymentId: '',
    memo: '',
    refundOf: null,
  };
}

/** A certificate naming `header`, signed (with random bytes) by validators 0, 1 and 3. */
export function makeCertificate(header: BlockHeader, random: () => number, round = 0): CommitCertificate {
  return {
    chainId: header.chainId,
    shard: header.shard,
    height: header.height,
    round,
    blockHash: headerId(header),
    signatures: [0, 1, 3].map((validatorIndex) => ({ validatorIndex, signature: randomBytes(random, 64) })),
  };
}

/** An incoming batch from another shard (contents are not checked by the store, only stored). */
function makeIncomingBatch(random: () => number, height: bigint): IncomingReceiptBatch {
  const header: BlockHeader = {
    chainId: CHAIN_ID,
    shard: OTHER_SHARD,
    height,
    timestampMs: 1_700_000_000_000n + height,
    parentHash: randomBytes(random, 32),
    proposerIndex: 0,
    txRoot: randomBytes(random, 32),
    incomingRoot: randomBytes(random, 32),
    stateRoot: randomBytes(random, 32),
    receiptsRoot: randomBytes(random, 32),
    lastCommitHash: randomBytes(random, 32),
  };
  const receipt: Receipt = {
    ...makeReceipt(random, height, 0, randomBytes(random, 32)),
    sourceShard: OTHER_SHARD,
    targetShard: SHARD,
  };
  return {
    header,
    certificate: makeCertificate(header, random),
    receipts: [{ receipt, proof: { index: 0, leafCount: 2, siblings: [randomBytes(random, 32)] } }],
  };
}

/** State keys the fixture chain writes: `h/<height>` per block, `latest` always, `acct/<n>` sometimes. */
export function heightStateKey(height: bigint): Uint8Array {
  return bytesOf(`h/${height.toString().padStart(8, '0')}`);
}

/** A block commit whose optional parts are all present, as arrays. */
export interface FixtureCommit extends BlockCommit {
  stateWrites: StateWrite[];
  receipts: Receipt[];
  statusUpdates: TxStatusUpdate[];
}

export interface FixtureChainOptions {
  seed: number;
  length: number;
  /** Heights start here (default 1) and link to `parentHash` (default the fixture genesis). */
  from?: bigint;
  parentHash?: Hash;
}

/**
 * A chain of `length` block commits. Block h has h % 4 transactions, h % 3 receipts, an incoming
 * batch when h % 5 === 0, state writes (`h/<h>`, `latest`, and a delete of `acct/<h-2>`), and a
 * status update for a transaction of block h-1 when it had one.
 */
export function buildFixtureChain(options: FixtureChainOptions): FixtureCommit[] {
  const commits: FixtureCommit[] = [];
  let parentHash = options.parentHash ?? fixtureGenesisHash(options.seed);
  let previousTxIds: Hash[] = [];
  const from = options.from ?? 1n;
  for (let offset = 0; offset < options.length; offset++) {
    const height = from + BigInt(offset);
    const random = createPrng(options.seed * 7919 + Number(height));
    const transactions = Array.from({ length: Number(height % 4n) }, (_, index) =>
      makeTransaction(random, height, index),
    );
    const txIds = transactions.map((tx) => transactionId(tx));
    const receipts = Array.from({ length: Number(height % 3n) }, (_, index) =>
      makeReceipt(random, height, index, txIds[index % Math.max(1, txIds.length)] ?? randomBytes(random, 32)),
    );
    const header: BlockHeader = {
      chainId: CHAIN_ID,
      shard: SHARD,
      height,
      timestampMs: 1_700_000_000_000n + height * 1000n,
      parentHash,
      proposerIndex: Number(height % 4n),
      txRoot: randomBytes(random, 32),
      incomingRoot: randomBytes(random, 32),
      stateRoot: randomBytes(random, 32),
      receiptsRoot: randomBytes(random, 32),
      lastCommitHash: randomBytes(random, 32),
    };
    const block: Block = {
      header,
      transactions,
      incoming: height % 5n === 0n ? [makeIncomingBatch(random, height)] : [],
    };
    const stateWrites: StateWrite[] = [
      [heightStateKey(height), randomBytes(random, 1 + randomInt(random, 40))],
      [bytesOf('latest'), bytesOf(height.toString())],
      [bytesOf(`acct/${height}`), randomBytes(random, 8)],
      [bytesOf(`acct/${height - 2n}`), null],
    ];
    const statusUpdates: TxStatusUpdate[] = previousTxIds.slice(0, 1).map((txId) => ({
      txId,
      stage: height % 2n === 0n ? 'credited' : 'refunded',
      receiptId: randomBytes(random, 32),
    }));
    commits.push({
      block,
      certificate: makeCertificate(header, random),
      stateWrites,
      receipts,
      statusUpdates,
    });
    parentHash = headerId(header);
    previousTxIds = txIds;
  }
  return commits;
}
