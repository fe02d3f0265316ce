import { addressFromPublicKey, publicKeyFromPrivateKey, sha256, utf8ToBytes } from '@shardpay/crypto';
import type {
  Address,
  BlockHeader,
  CommitCertificate,
  IncomingReceiptBatch,
  NetworkConfig,
  Operation,
  Receipt,
  Transaction,
  TransactionBody,
} from '@shardpay/protocol';
import { BUCKET_COUNT, headerId, shardOfAddress, signTransaction, signVote } from '@shardpay/protocol';
import {
  type BlockExecution,
  commitStateDiff,
  createGenesisDiff,
  createMemoryShardStore,
  type LedgerState,
  type MemoryShardStore,
  openLedgerState,
  receiptInclusionProof,
} from '../../src/index.ts';

/** A key pair with its address and home shard. */
export interface TestKey {
  privateKey: Uint8Array;
  publicKey: Uint8Array;
  address: Address;
  shard: number;
}

export interface TestNetwork {
  config: NetworkConfig;
  /** Funded users, `usersPerShard` on each shard, ordered by shard. */
  users: TestKey[];
  issuer: TestKey;
  /** validatorKeys[shard][index]. */
  validatorKeys: Uint8Array[][];
}

export const TEST_CHAIN_ID = 'shardpay-test-1';

function keyFromSeed(seed: string): Uint8Array {
  return sha256(utf8ToBytes(seed));
}

function bucketShard(bucket: number, shardCount: number): number {
  return bucket % shardCount;
}

/** The shard of an address under the test bucket map (bucket mod shardCount). */
export function testShardOf(address: Address, shardCount: number): number {
  const bucket = ((address[0] ?? 0) << 4) | ((address[1] ?? 0) >> 4);
  return bucketShard(bucket, shardCount);
}

export function testKey(seed: string, shardCount: number): TestKey {
  const privateKey = keyFromSeed(seed);
  const publicKey = publicKeyFromPrivateKey(privateKey);
  const address = addressFromPublicKey(publicKey);
  return { privateKey, publicKey, address, shard: testShardOf(address, shardCount) };
}

/** An address (without a key) that lives on `shard`. */
export function addressOnShard(seed: string, shard: number, shardCount: number): Address {
  for (let i = 0; ; i++) {
    const address = sha256(utf8ToBytes(`${seed}/${i}`)).slice(0, 20);
    if (testShardOf(address, shardCount) === shard) return address;
  }
}

/** A deterministic network: fixed keys, `usersPerShard` funded users per shard, one issuer. */
export function createTestNetwork(
  options: {
    shardCount?: number;
    usersPerShard?: number;
    flatFee?: bigint;
    balance?: bigint;
    validators?: number;
  } = {},
): TestNetwork {
  const shardCount = options.shardCount ?? 3;
  const usersPerShard = options.usersPerShard ?? 2;
  const balance = options.balance ?? 1_000_000n;
  const validators = options.validators ?? 4;
  const users: TestKey[] = [];
  const perShard = new Array<number>(shardCount).fill(0);
  for (let i = 0; users.length < shardCount * usersPerShard; i++) {
    const key = testKey(`user/${i}`, shardCount);
    if (perShard[key.shard]! < usersPerShard) {
      perShard[key.shard]!++;
      users.push(key);
    }
  }
  users.sort((a, b) => a.shard - b.shard);
  const issuer = testKey('issuer/0', shardCount);
  const validatorKeys = Array.from({ length: shardCount }, (_, shard) =>
    Array.from({ length: validators }, (_, index) => keyFromSeed(`validator/${shard}/${index}`)),
  );
  const config: NetworkConfig = {
    chainId: TEST_CHAIN_ID,
    addressPrefix: 'spd',
    shardCount,
    bucketToShard: Array.from({ length: BUCKET_COUNT }, (_, bucket) => bucketShard(bucket, shardCount)),
    committees: validatorKeys.map((keys, shard) => ({
      shard,
      validators: keys.map((key) => ({ publicKey: publicKeyFromPrivateKey(key), addresses: [] })),
    })),
    issuers: [issuer.address],
    flatFee: options.flatFee ?? 10n,
    feeCollectors: Array.from({ length: shardCount }, (_, shard) =>
      addressOnShard('collector', shard, shardCount),
    ),
    initialBalances: [...users, issuer].map((key) => ({ address: key.address, amount: balance })),
    genesisTimeMs: 0n,
  };
  for (const user of users) {
    if (shardOfAddress(config, user.address) !== user.shard) throw new Error('test bucket map mismatch');
  }
  return { config, users, issuer, validatorKeys };
}

/** One shard of a test network: its store, ledger state and history of headers and receipts. */
export interface TestShard {
  shard: number;
  store: MemoryShardStore;
  state: LedgerState;
  headers: BlockHeader[];
  /** receipts[height] = outgoing receipts of that block. */
  receipts: Receipt[][];
  certificates: CommitCertificate[];
}

/** Opens a shard's state at genesis. */
export function createTestShard(config: NetworkConfig, shard: number): TestShard {
  const store = createMemoryShardStore();
  const state = openLedgerState(store);
  commitStateDiff(state, createGenesisDiff(config, shard), store.applyDiff);
  return { shard, store, state, headers: [], receipts: [[]], certificates: [] };
}

/** A header carrying an execution's roots (the fields the ledger does not own are filler). */
export function headerFor(config: NetworkConfig, shard: number, execution: BlockExecution): BlockHeader {
  return {
    chainId: config.chainId,
    shard,
    height: execution.height,
    timestampMs: execution.timestampMs,
    parentHash: new Uint8Array(32),
    proposerIndex: 0,
    txRoot: execution.txRoot,
    incomingRoot: execution.incomingRoot,
    stateRoot: execution.stateRoot,
    receiptsRoot: execution.receiptsRoot,
    lastCommitHash: new Uint8Array(32),
  };
}

/** A commit certificate signed by a quorum of the shard's validators (or an unsigned stand-in). */
export function certify(network: TestNetwork, header: BlockHeader, signed: boolean): CommitCertificate {
  const blockHash = headerId(header);
  const keys = network.validatorKeys[header.shard]!;
  const quorum = Math.floor((2 * keys.length) / 3) + 1;
  const signatures = keys.slice(0, quorum).map((key, validatorIndex) => ({
    validatorIndex,
    signature: signed
      ? signVote(
          {
            chainId: header.chainId,
            shard: header.shard,
            height: header.height,
            round: 0,
            type: 'precommit',
            blockHash,
            validatorIndex,
          },
          key,
        ).signature
      : new Uint8Array(64),
  }));
  return {
    chainId: header.chainId,
    shard: header.shard,
    height: header.height,
    round: 0,
    blockHash,
    signatures,
  };
}

/** Commits an execution to a test shard, recording its header, certificate and receipts. */
export function commitExecution(
  network: TestNetwork,
  testShard: TestShard,
  execution: BlockExecution,
  signed = false,
): BlockHeader {
  const header = headerFor(network.config, testShard.shard, execution);
  commitStateDiff(testShard.state, execution.diff, testShard.store.applyDiff);
  testShard.headers.push(header);
  testShard.certificates.push(certify(network, header, signed));
  testShard.receipts.push(execution.outgoingReceipts);
  return header;
}

/** An incoming batch carrying the chosen receipts (by index) of a committed block of `source`. */
export function batchFrom(
  source: TestShard,
  height: bigint,
  indices: readonly number[],
): IncomingReceiptBatch {
  const receipts = source.receipts[Number(height)]!;
  return {
    header: source.headers[Number(height) - 1]!,
    certificate: source.certificates[Number(height) - 1]!,
    receipts: indices.map((index) => ({
      receipt: receipts[index]!,
      proof: receiptInclusionProof(receipts, index),
    })),
  };
}

/** A transaction body with the network's defaults. */
export function txBody(
  config: NetworkConfig,
  sender: TestKey,
  nonce: bigint,
  operation: Operation,
  overrides: Partial<TransactionBody> = {},
): TransactionBody {
  return {
    chainId: config.chainId,
    shard: sender.shard,
    nonce,
    fee: config.flatFee,
    expiryHeight: 1_000_000n,
    publicKey: sender.publicKey,
    operation,
    ...overrides,
  };
}

/** A signed transaction. */
export function signedTx(
  config: NetworkConfig,
  sender: TestKey,
  nonce: bigint,
  operation: Operation,
  overrides: Partial<TransactionBody> = {},
): Transaction {
  return signTransaction(txBody(config, sender, nonce, operation, overrides), sender.privateKey);
}

/** A transaction with a zero signature, for runs that inject "every signature is valid". */
export function unsignedTx(
  config: NetworkConfig,
  sender: TestKey,
  nonce: bigint,
  operation: Operation,
  overrides: Partial<TransactionBody> = {},
): Transaction {
  return { ...txBody(config, sender, nonce, operation, overrides), signature: new Uint8Array(64) };
}

/** Checks that trust every signature and certificate (for property runs; real checks have their own tests). */
export const trustingChecks = {
  isTransactionSignatureValid: () => true,
  assertCommitCertificateValid: () => {},
};
