/**
 * Typed readers for the node's JSON-RPC results (docs/devnet.md): heights and nonces become bigints,
 * balances bigint minor units. A result of the wrong shape is RPC_ERROR with `meta.path`, so a buggy
 * or hostile node cannot hand the caller half-parsed data.
 */
import { ShardpayError } from '@shardpay/crypto';
import {
  type BlockHeader,
  blockHeaderFromJson,
  type CommitCertificate,
  commitCertificateFromJson,
  MAX_U64,
  type MerkleProof,
  merkleProofFromJson,
  parseAmount,
  type Receipt,
  receiptFromJson,
} from '@shardpay/protocol';

/** An account as a node of its shard sees it. */
export interface AccountState {
  address: string;
  shard: number;
  /** Minor units. */
  balance: bigint;
  /** The next nonce the ledger accepts. */
  nonce: bigint;
  /** The next nonce counting the node's mempool: use it for the next transaction. */
  pendingNonce: bigint;
  /** The height the account was read at, and that height's state root (hex). */
  height: bigint;
  stateRoot: string;
  /** Hex of the account proof against `stateRoot`, when asked for. */
  proof?: string;
}

export type TransactionStageName = 'pending' | 'final' | 'credited' | 'refused' | 'refunded';

export type TransactionStage =
  | { stage: 'pending'; shard: number }
  | { stage: 'final'; shard: number; height: bigint; index: number }
  | { stage: 'credited' | 'refused' | 'refunded'; shard: number; height: bigint; receiptId: string };

/** Every stage of a transaction known from its id: pending → final → credited (or refused → refunded). */
export interface TransactionStatus {
  txId: string;
  status: 'unknown' | TransactionStageName;
  stages: TransactionStage[];
  /** Set when the transaction emitted a cross-shard receipt. */
  targetShard?: number;
}

export interface NetworkInfo {
  chainId: string;
  addressPrefix: string;
  shard: number;
  validatorIndex: number;
  height: bigint;
  round: number;
  shards: Array<{ id: number; validators: number; height?: bigint }>;
  peers: number;
}

/** An outgoing receipt with what proves it (verify it against the source committee to trust it). */
export interface ReceiptWithProof {
  receiptId: string;
  receipt: Receipt;
  header: BlockHeader;
  certificate: CommitCertificate;
  proof: MerkleProof;
}

export function malformed(path: string, reason: string): ShardpayError {
  return new ShardpayError('RPC_ERROR', `the node's result is malformed at '${path}': ${reason}`, {
    meta: { reason: 'malformed_result', path },
  });
}

export function asObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw malformed(path, 'not an object');
  return value as Record<string, unknown>;
}

export function asString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw malformed(path, 'not a string');
  return value;
}

export function asInteger(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw malformed(path, 'not a non-negative integer');
  }
  return value;
}

export function asU64(value: unknown, path: string): bigint {
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]{0,19})$/.test(value) || BigInt(value) > MAX_U64) {
    throw malformed(path, 'not a u64 decimal string');
  }
  return BigInt(value);
}

export function asHex(value: unknown, path: string, bytes?: number): string {
  if (
    typeof value !== 'string' ||
    !/^([0-9a-f]{2})*$/.test(value) ||
    (bytes !== undefined && value.length !== bytes * 2)
  ) {
    throw malformed(path, bytes === undefined ? 'not hex' : `not hex of ${bytes} bytes`);
  }
  return value;
}

export function asAmount(value: unknown, path: string): bigint {
  try {
    return parseAmount(asString(value, path), { allowZero: true });
  } catch {
    throw malformed(path, 'not an amount');
  }
}

/** Runs a protocol `fromJson`, turning its JSON_INVALID into RPC_ERROR under `path`. */
export function fromProtocolJson<T>(read: () => T, path: string): T {
  try {
    return read();
  } catch (error) {
    throw new ShardpayError('RPC_ERROR', `the node's result is malformed at '${path}'`, {
      meta: { reason: 'malformed_result', path },
      cause: error,
    });
  }
}

/** `shardpay_getAccount`'s result. */
export function readAccountState(value: unknown): AccountState {
  const o = asObject(value, '');
  return {
    address: asString(o.address, 'address'),
    shard: asInteger(o.shard, 'shard'),
    balance: asAmount(o.balance, 'balance'),
    nonce: asU64(o.nonce, 'nonce'),
    pendingNonce: asU64(o.pendingNonce, 'pendingNonce'),
    height: asU64(o.height, 'height'),
    stateRoot: asHex(o.stateRoot, 'stateRoot', 32),
    ...(o.proof === undefined ? {} : { proof: asHex(o.proof, 'proof') }),
  };
}

const stageNames: ReadonlySet<string> = new Set(['pending', 'final', 'credited', 'refused', 'refunded']);

function readStage(value: unknown, path: string): TransactionStage {
  const o = asObject(value, path);
  const stage = asString(o.stage, `${path}.stage`);
  const shard = asInteger(o.shard, `${path}.shard`);
  switch (stage) {
    case 'pending':
      return { stage, shard };
    case 'final':
      return {
        stage,
        shard,
        height: asU64(o.height, `${path}.height`),
        index: asInteger(o.index, `${path}.index`),
      };
    case 'credited':
    case 'refused':
    case 'refunded':
      return {
        stage,
        shard,
        height: asU64(o.height, `${path}.height`),
        receiptId: asHex(o.receiptId, `${path}.receiptId`, 32),
      };
    default:
      throw malformed(`${path}.stage`, 'unknown stage');
  }
}

/** `shardpay_getTransactionStatus`'s result. */
export function readTransactionStatus(value: unknown): TransactionStatus {
  const o = asObject(value, '');
  const status = asString(o.status, 'status');
  if (status !== 'unknown' && !stageNames.has(status)) throw malformed('status', 'unknown status');
  if (!Array.isArray(o.stages)) throw malformed('stages', 'not an array');
  return {
    txId: asHex(o.txId, 'txId', 32),
    status: status as TransactionStatus['status'],
    stages: o.stages.map((stage, index) => readStage(stage, `stages[${index}]`)),
    ...(o.targetShard === undefined ? {} : { targetShard: asInteger(o.targetShard, 'targetShard') }),
  };
}

/** `shardpay_networkInfo`'s result. */
export function readNetworkInfo(value: unknown): NetworkInfo {
  const o = asObject(value, '');
  if (!Array.isArray(o.shards)) throw malformed('shards', 'not an array');
  return {
    chainId: asString(o.chainId, 'chainId'),
    addressPrefix: asString(o.addressPrefix, 'addressPrefix'),
    shard: asInteger(o.shard, 'shard'),
    validatorIndex: asInteger(o.validatorIndex, 'validatorIndex'),
    height: asU64(o.height, 'height'),
    round: asInteger(o.round, 'round'),
    shards: o.shards.map((entry, index) => {
      const s = asObject(entry, `shards[${index}]`);
      return {
        id: asInteger(s.id, `shards[${index}].id`),
        validators: asInteger(s.validators, `shards[${index}].validators`),
        ...(s.height === undefined ? {} : { height: asU64(s.height, `shards[${index}].height`) }),
      };
    }),
    peers: asInteger(o.peers, 'peers'),
  };
}

/** `shardpay_getReceipt`'s result (non-null). */
export function readReceiptWithProof(value: unknown, addressPrefix: string): ReceiptWithProof {
  const o = asObject(value, '');
  return {
    receiptId: asHex(o.receiptId, 'receiptId', 32),
    receipt: fromProtocolJson(() => receiptFromJson(o.receipt, { addressPrefix }), 'receipt'),
    header: fromProtocolJson(() => blockHeaderFromJson(o.header), 'header'),
    certificate: fromProtocolJson(() => commitCertificateFromJson(o.certificate), 'certificate'),
    proof: fromProtocolJson(() => merkleProofFromJson(o.proof), 'proof'),
  };
}
