import type {
  Address,
  Block,
  BlockHeader,
  CommitCertificate,
  Hash,
  MerkleProof,
  NetworkConfig,
  Receipt,
  Transaction,
} from '@shardpay/protocol';

/**
 * What one validator process offers to its RPC server, its metrics and its tests. The node is the
 * composition root (`createValidatorNode`); everything here reads local state or, for
 * cross-shard status, asks the other shard's validators over p2p.
 */
export interface ValidatorNode {
  readonly network: NetworkConfig;
  readonly shard: number;
  readonly validatorIndex: number;

  start(): Promise<void>;
  stop(): Promise<void>;

  /** Checks and admits a transaction into the mempool (and gossips it); throws a coded ShardpayError. */
  /**
   * `encoded`, when given, must be the canonical bytes `tx` was decoded from (they are gossiped and
   * checked by the signature workers as they are, instead of encoding the transaction again).
   */
  submitTransaction(tx: Transaction, encoded?: Uint8Array): Promise<{ txId: Hash }>;

  /** The committed account (zero balance and nonce if it never existed) and, on request, its proof. */
  getAccount(address: Address, options?: { proof?: boolean }): AccountView;

  /**
   * This shard's share of the stablecoin supply at its latest committed height: everything created
   * here (genesis balances and mints) and destroyed here (burns). Money moving between shards is in
   * neither, so the network's supply is the sum over shards of `minted − burned`.
   */
  getSupply(): SupplyView;

  /**
   * A ledger record's committed bytes (an escrow, time lock or multisig account), or undefined: a
   * `RecordSource` for the ledger's `readEscrow`/`readTimelock`/`readMultisig`.
   */
  getRecord(key: Uint8Array): Uint8Array | undefined;

  /** This shard's committed issuer controls: paused, and the next control nonce. */
  getShardControl(): { paused: boolean; controlNonce: bigint };

  /** Whether an account of this shard is frozen (committed state). */
  isFrozen(address: Address): boolean;

  /** Every stage of a transaction known from its original id, asking other shards when needed. */
  getTransactionStatus(txId: Hash): Promise<TransactionStatus>;

  latestHeight(): bigint;
  getBlock(height: bigint): Block | undefined;
  getHeader(height: bigint): BlockHeader | undefined;
  getCertificate(height: bigint): CommitCertificate | undefined;
  /** An outgoing receipt with what proves it: its block header, certificate and Merkle proof. */
  getReceipt(receiptId: Hash): ReceiptWithProof | undefined;
  /**
   * The outgoing receipts a committed block emitted, in the ledger's order (receipt i is leaf i of the
   * header's receipts root); undefined when this node has no block at `height`.
   */
  getBlockReceipts(height: bigint): Receipt[] | undefined;

  /** Chain id, shards, this shard's height and round, committees, peers. */
  networkInfo(): NetworkInfo;

  /** Runs `listener` for every block this node commits; returns an unsubscribe function. */
  onCommittedBlock(listener: (event: CommittedBlockEvent) => void): () => void;

  /** Counters and gauges for `/metrics`. */
  stats(): NodeStats;
}

export interface SupplyView {
  shard: number;
  height: bigint;
  minted: bigint;
  burned: bigint;
}

export interface AccountView {
  address: Address;
  shard: number;
  balance: bigint;
  /** The next nonce the ledger accepts. */
  nonce: bigint;
  /** The next nonce counting this node's mempool (what a wallet should use next). */
  pendingNonce: bigint;
  /** State root and height the balance was read at. */
  height: bigint;
  stateRoot: Hash;
  /** Encoded account proof against `stateRoot` (ledger's `encodeAccountProof`), when requested. */
  proof?: Uint8Array;
}

export type TransactionStage =
  /** In this node's mempool. */
  | { stage: 'pending'; shard: number }
  /** Final on its home shard. */
  | { stage: 'final'; shard: number; height: bigint; index: number }
  /** Its cross-shard receipt was credited on the target shard. */
  | { stage: 'credited'; shard: number; height: bigint; receiptId: Hash }
  /** The target refused the receipt and emitted a refund receipt. */
  | { stage: 'refused'; shard: number; height: bigint; receiptId: Hash }
  /** The refund was credited back on the source shard. */
  | { stage: 'refunded'; shard: number; height: bigint; receiptId: Hash };

export interface TransactionStatus {
  txId: Hash;
  /** `unknown` if no stage was found, otherwise the latest stage reached. */
  status: 'unknown' | TransactionStage['stage'];
  /** Stages reached so far, in order. */
  stages: TransactionStage[];
  /** Set when the transaction emitted a cross-shard receipt. */
  targetShard?: number;
}

export interface ReceiptWithProof {
  receipt: Receipt;
  header: BlockHeader;
  certificate: CommitCertificate;
  proof: MerkleProof;
}

export interface NetworkInfo {
  chainId: string;
  shard: number;
  validatorIndex: number;
  height: bigint;
  round: number;
  shards: Array<{ id: number; validators: number; height?: bigint }>;
  peers: number;
}

export interface CommittedBlockEvent {
  header: BlockHeader;
  hash: Hash;
  transactionIds: Hash[];
  receipts: Receipt[];
}

export interface NodeStats {
  height: bigint;
  round: number;
  /** Milliseconds between the last two commits. */
  lastBlockIntervalMs: number;
  transactionsCommitted: number;
  blocksCommitted: number;
  mempoolSize: number;
  peers: number;
  signatureChecks: number;
  receiptsRelayed: number;
}
