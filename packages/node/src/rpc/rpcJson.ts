/**
 * JSON forms of what the node's RPC returns beyond the protocol's own forms: heights and nonces as
 * decimal strings, money with `formatAmount`, bytes as lowercase hex, addresses as bech32m.
 */
import { bytesToHex, encodeAddress } from '@shardpay/crypto';
import type { EscrowRecord, MultisigRecord, TimelockRecord } from '@shardpay/ledger';
import {
  type BlockHeaderJson,
  blockHeaderToJson,
  type CommitCertificateJson,
  commitCertificateToJson,
  formatAmount,
  type MerkleProofJson,
  merkleProofToJson,
  type ReceiptJson,
  receiptToJson,
} from '@shardpay/protocol';
import type {
  AccountView,
  CommittedBlockEvent,
  NetworkInfo,
  ReceiptWithProof,
  SupplyView,
  TransactionStage,
  TransactionStatus,
} from '../ValidatorNode.ts';

export interface AccountViewJson {
  address: string;
  shard: number;
  /** Dollars with 6 decimals. */
  balance: string;
  nonce: string;
  pendingNonce: string;
  height: string;
  stateRoot: string;
  /** Hex of ledger's `encodeAccountProof`, when asked for. */
  proof?: string;
}

/** One stage, heights as decimal strings. */
export type TransactionStageJson =
  | { stage: 'pending'; shard: number }
  | { stage: 'final'; shard: number; height: string; index: number }
  | { stage: 'credited' | 'refused' | 'refunded'; shard: number; height: string; receiptId: string };

export interface TransactionStatusJson {
  txId: string;
  status: TransactionStatus['status'];
  stages: TransactionStageJson[];
  targetShard?: number;
}

export interface ReceiptWithProofJson {
  receiptId: string;
  receipt: ReceiptJson;
  header: BlockHeaderJson;
  certificate: CommitCertificateJson;
  proof: MerkleProofJson;
}

export interface NetworkInfoJson {
  chainId: string;
  addressPrefix: string;
  shard: number;
  validatorIndex: number;
  height: string;
  round: number;
  shards: Array<{ id: number; validators: number; height?: string }>;
  peers: number;
}

/** What a `newHeads` subscription pushes for each committed block. */
export interface NewHeadJson {
  hash: string;
  header: BlockHeaderJson;
  transactionCount: number;
  receiptCount: number;
}

/** The JSON form of an account read. */
export function accountViewToJson(view: AccountView, addressPrefix: string): AccountViewJson {
  return {
    address: encodeAddress(view.address, addressPrefix),
    shard: view.shard,
    balance: formatAmount(view.balance),
    nonce: view.nonce.toString(),
    pendingNonce: view.pendingNonce.toString(),
    height: view.height.toString(),
    stateRoot: bytesToHex(view.stateRoot),
    ...(view.proof === undefined ? {} : { proof: bytesToHex(view.proof) }),
  };
}

export interface SupplyViewJson {
  shard: number;
  height: string;
  minted: string;
  burned: string;
  /** minted − burned (may be negative on a shard whose holders burned coins minted elsewhere). */
  outstanding: string;
}

export function supplyViewToJson(view: SupplyView): SupplyViewJson {
  const outstanding = view.minted - view.burned;
  return {
    shard: view.shard,
    height: view.height.toString(),
    minted: formatAmount(view.minted),
    burned: formatAmount(view.burned),
    outstanding: outstanding < 0n ? `-${formatAmount(-outstanding)}` : formatAmount(outstanding),
  };
}

/** The JSON form of one transaction stage. */
export function transactionStageToJson(stage: TransactionStage): TransactionStageJson {
  switch (stage.stage) {
    case 'pending':
      return { stage: 'pending', shard: stage.shard };
    case 'final':
      return { stage: 'final', shard: stage.shard, height: stage.height.toString(), index: stage.index };
    default:
      return {
        stage: stage.stage,
        shard: stage.shard,
        height: stage.height.toString(),
        receiptId: bytesToHex(stage.receiptId),
      };
  }
}

/** The JSON form of a transaction's status. */
export function transactionStatusToJson(status: TransactionStatus): TransactionStatusJson {
  return {
    txId: bytesToHex(status.txId),
    status: status.status,
    stages: status.stages.map(transactionStageToJson),
    ...(status.targetShard === undefined ? {} : { targetShard: status.targetShard }),
  };
}

/** True when no later stage can follow: credited, refunded, or final without a cross-shard receipt. */
export function isTerminalStatus(status: TransactionStatus): boolean {
  return (
    status.status === 'credited' ||
    status.status === 'refunded' ||
    (status.status === 'final' && status.targetShard === undefined)
  );
}

/** The JSON form of a receipt with its proof. */
export function receiptWithProofToJson(
  receiptId: Uint8Array,
  value: ReceiptWithProof,
  addressPrefix: string,
): ReceiptWithProofJson {
  return {
    receiptId: bytesToHex(receiptId),
    receipt: receiptToJson(value.receipt, { addressPrefix }),
    header: blockHeaderToJson(value.header),
    certificate: commitCertificateToJson(value.certificate),
    proof: merkleProofToJson(value.proof),
  };
}

/** The JSON form of `networkInfo()`. */
export function networkInfoToJson(info: NetworkInfo, addressPrefix: string): NetworkInfoJson {
  return {
    chainId: info.chainId,
    addressPrefix,
    shard: info.shard,
    validatorIndex: info.validatorIndex,
    height: info.height.toString(),
    round: info.round,
    shards: info.shards.map((shard) => ({
      id: shard.id,
      validators: shard.validators,
      ...(shard.height === undefined ? {} : { height: shard.height.toString() }),
    })),
    peers: info.peers,
  };
}

/** What `newHeads` pushes for a committed block. */
export function newHeadToJson(event: CommittedBlockEvent): NewHeadJson {
  return {
    hash: bytesToHex(event.hash),
    header: blockHeaderToJson(event.header),
    transactionCount: event.transactionIds.length,
    receiptCount: event.receipts.length,
  };
}

export interface EscrowJson {
  escrowId: string;
  shard: number;
  buyer: string;
  merchant: string;
  amount: string;
  orderId: string;
  deadlineMs: string;
  arbiter: string | null;
  oracle: string | null;
  status: EscrowRecord['status'];
  lockedHeight: string;
  closedHeight: string | null;
  /** The height it was read at. */
  height: string;
}

/** The JSON form of an escrow read at `height`. */
export function escrowRecordToJson(
  escrowId: Uint8Array,
  record: EscrowRecord,
  where: { shard: number; height: bigint; addressPrefix: string },
): EscrowJson {
  const address = (bytes: Uint8Array) => encodeAddress(bytes, where.addressPrefix);
  return {
    escrowId: bytesToHex(escrowId),
    shard: where.shard,
    buyer: address(record.buyer),
    merchant: address(record.merchant),
    amount: formatAmount(record.amount),
    orderId: record.orderId,
    deadlineMs: record.deadlineMs.toString(),
    arbiter: record.arbiter === null ? null : address(record.arbiter),
    oracle: record.oracle === null ? null : address(record.oracle),
    status: record.status,
    lockedHeight: record.lockedHeight.toString(),
    closedHeight: record.closedHeight === null ? null : record.closedHeight.toString(),
    height: where.height.toString(),
  };
}

export interface TimelockJson {
  timelockId: string;
  shard: number;
  from: string;
  to: string;
  amount: string;
  unlockHeight: string;
  status: TimelockRecord['status'];
  createdHeight: string;
  height: string;
}

/** The JSON form of a time lock read at `height`. */
export function timelockRecordToJson(
  timelockId: Uint8Array,
  record: TimelockRecord,
  where: { shard: number; height: bigint; addressPrefix: string },
): TimelockJson {
  return {
    timelockId: bytesToHex(timelockId),
    shard: where.shard,
    from: encodeAddress(record.from, where.addressPrefix),
    to: encodeAddress(record.to, where.addressPrefix),
    amount: formatAmount(record.amount),
    unlockHeight: record.unlockHeight.toString(),
    status: record.status,
    createdHeight: record.createdHeight.toString(),
    height: where.height.toString(),
  };
}

export interface MultisigJson {
  address: string;
  shard: number;
  /** Compressed public keys (hex), ascending: an owner's index is its position. */
  owners: string[];
  threshold: number;
  /** The `accountNonce` the next `multisig_execute` must carry. */
  nonce: string;
  height: string;
}

/** The JSON form of a multisig account read at `height`. */
export function multisigRecordToJson(
  address: Uint8Array,
  record: MultisigRecord,
  where: { shard: number; height: bigint; addressPrefix: string },
): MultisigJson {
  return {
    address: encodeAddress(address, where.addressPrefix),
    shard: where.shard,
    owners: record.owners.map((owner) => bytesToHex(owner)),
    threshold: record.threshold,
    nonce: record.nonce.toString(),
    height: where.height.toString(),
  };
}
