import type {
  BlockHeaderJson,
  CommitCertificateJson,
  MerkleProofJson,
  ReceiptJson,
} from '@shardpay/protocol';
import type { GatewayList, GatewayTransaction } from '../gateway/gatewayTypes.ts';

/** One block as the gateway's explorer lists it (`GET /v1/shards/:shard/blocks`). */
export interface GatewayBlockSummary {
  object: 'block';
  shard: number;
  height: string;
  /** The header's id, 64 hex. */
  hash: string;
  /** ISO 8601. */
  time: string;
  /** The proposer as the header names it (a committee index) or an address. */
  proposer: number | string;
  tx_count: number;
  /** Outgoing cross-shard receipts the block emitted. */
  receipt_count: number;
}

/** A transaction of a block, as the explorer shows it. */
export interface GatewayBlockTransaction {
  tx_id: string;
  op: string;
  from: string;
  to: string | null;
  amount: string | null;
  payment_id: string | null;
}

/** An outgoing receipt of a block. */
export interface GatewayBlockReceipt {
  receipt_id: string;
  to: string;
  amount: string;
  target_shard: number;
}

/** One block with its contents, header and commit certificate (`GET /v1/shards/:shard/blocks/:height`). */
export interface GatewayBlock extends GatewayBlockSummary {
  parent_hash: string;
  state_root: string;
  transactions: GatewayBlockTransaction[];
  receipts: GatewayBlockReceipt[];
  header: BlockHeaderJson;
  certificate: CommitCertificateJson;
}

export type GatewayBlockList = GatewayList<GatewayBlockSummary>;

/** `GET /v1/accounts/:address/proof`: an account's state with what proves it to a light client. */
export interface GatewayAccountProof {
  object: 'account_proof';
  address: string;
  shard: number;
  /** Decimal, 6 decimals. */
  balance: string;
  nonce: string;
  height: string;
  /** Hex of the encoded account proof, against `header.stateRoot`. */
  proof: string;
  header: BlockHeaderJson;
  certificate: CommitCertificateJson;
}

/** `GET /v1/receipts/:shard/:receipt_id`: a cross-shard receipt with its inclusion proof. */
export interface GatewayReceiptProof {
  object: 'receipt_proof';
  /** The source shard (the one that emitted it). */
  shard: number;
  receipt_id: string;
  height: string;
  receipt: ReceiptJson;
  proof: MerkleProofJson;
  header: BlockHeaderJson;
  certificate: CommitCertificateJson;
}

/** A transaction's stages, with the id of its receipt when it crossed shards. */
export interface GatewayExplorerTransaction extends GatewayTransaction {
  /** Null for an intra-shard transaction (and from gateways that predate the field). */
  receipt_id?: string | null;
}

/** One recent block in the network statistics. */
export interface GatewayStatsBlock {
  height: string;
  time: string;
  tx_count: number;
  /** Milliseconds since the previous block (null for the first one known). */
  interval_ms: number | null;
}

/** `GET /v1/network/stats`: finalized throughput and block intervals per shard. */
export interface GatewayNetworkStats {
  object: 'network_stats';
  window_seconds: number;
  shards: Array<{
    id: number;
    height: string;
    /** Decimal string: finalized transactions per second over the window. */
    tx_per_second: string;
    /** The latest (at most 30), newest first. */
    blocks: GatewayStatsBlock[];
  }>;
}
