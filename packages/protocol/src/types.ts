import type { MerkleProof } from '@shardpay/crypto';

/**
 * Shardpay's domain types. Every type here that is signed or hashed has exactly one canonical
 * byte encoding (see `codec/`); its id is sha256 of those bytes. Money is always `bigint` minor
 * units (6 decimals); JSON forms with decimal strings live in `json/`.
 */

/** 20 bytes: sha256(compressed secp256k1 public key)[0..20]. Shown as bech32m (`spd1…`). */
export type Address = Uint8Array;
/** 32 bytes. */
export type Hash = Uint8Array;
/** 33 bytes: a compressed secp256k1 public key. */
export type PublicKey = Uint8Array;
/** 64 bytes: compact ECDSA (r ‖ s) with low s, over sha256 of the signing bytes. */
export type Signature = Uint8Array;

/** Minor units per dollar: 6 decimals, as USDC. */
export const AMOUNT_DECIMALS = 6;
/** Amounts, balances, fees, nonces and heights are unsigned 64-bit integers. */
export const MAX_U64 = (1n << 64n) - 1n;
/** The largest amount (and balance, and total supply) the chain accepts, in minor units. */
export const MAX_AMOUNT = MAX_U64;

/** Addresses map to one of 4096 buckets (their first 12 bits); genesis maps buckets to shards. */
export const BUCKET_COUNT = 4096;

export const MAX_CHAIN_ID_BYTES = 64;
export const MAX_MEMO_BYTES = 256;
/** Payment ids, mint references and payout references: 1 to 64 bytes of UTF-8. */
export const MAX_REFERENCE_BYTES = 64;

// ---------------------------------------------------------------------------------------------
// Transactions

export interface TransferOperation {
  type: 'transfer';
  to: Address;
  amount: bigint;
  /** Free text, at most MAX_MEMO_BYTES of UTF-8; '' for none. */
  memo: string;
}

/** A payment to a merchant. The merchant's shard accepts each `paymentId` once per merchant. */
export interface PayOperation {
  type: 'pay';
  merchant: Address;
  amount: bigint;
  paymentId: string;
  memo: string;
}

/** New stablecoin, only from an issuer key named in genesis; each `reference` (a card charge id) once. */
export interface MintOperation {
  type: 'mint';
  to: Address;
  amount: bigint;
  reference: string;
}

/** Stablecoin destroyed by its holder before a bank payout named by `payoutReference`. */
export interface BurnOperation {
  type: 'burn';
  amount: bigint;
  payoutReference: string;
}

export type Operation = TransferOperation | PayOperation | MintOperation | BurnOperation;
export type OperationType = Operation['type'];

/** What the sender signs. The sender is `addressFromPublicKey(publicKey)`. */
export interface TransactionBody {
  chainId: string;
  /** The sender's home shard, where the transaction executes. */
  shard: number;
  /** Strictly sequential per sender, from 0. */
  nonce: bigint;
  /** The network's flat fee, paid on top of the amount. */
  fee: bigint;
  /** The last height of `shard` at which the transaction may be included. */
  expiryHeight: bigint;
  publicKey: PublicKey;
  operation: Operation;
}

export interface Transaction extends TransactionBody {
  signature: Signature;
}

// ---------------------------------------------------------------------------------------------
// Cross-shard receipts

export type ReceiptKind = 'credit' | 'refund';

/**
 * Emitted by a source shard's block when a transaction's recipient lives on another shard (kind
 * `credit`), or when a target shard refuses an incoming credit (kind `refund`, back to the
 * original sender). The target consumes each receipt id once.
 */
export interface Receipt {
  chainId: string;
  sourceShard: number;
  targetShard: number;
  /** Height of the source block that emitted it. */
  sourceHeight: bigint;
  /** Position among that block's outgoing receipts. */
  index: number;
  kind: ReceiptKind;
  /** The original transaction's id; a refund carries the same, so one hash tracks every stage. */
  txId: Hash;
  /** The operation that caused the credit (`transfer`, `pay` or `mint`). */
  operation: 'transfer' | 'pay' | 'mint';
  /** The original sender. */
  from: Address;
  /** The account credited on `targetShard` (for a refund, the original sender). */
  to: Address;
  amount: bigint;
  /** '' unless `operation` is `pay`. */
  paymentId: string;
  memo: string;
  /** For a refund: the id of the receipt the target refused. Null for a credit. */
  refundOf: Hash | null;
}

/** An inclusion proof in a binary Merkle tree (see `@shardpay/crypto`'s `merkleProof`). */
export type { MerkleProof };

/** Receipts of one source block, with what proves them: header + certificate + Merkle proofs. */
export interface IncomingReceiptBatch {
  header: BlockHeader;
  certificate: CommitCertificate;
  receipts: Array<{ receipt: Receipt; proof: MerkleProof }>;
}

// ---------------------------------------------------------------------------------------------
// Blocks

export interface BlockHeader {
  chainId: string;
  shard: number;
  /** Genesis is height 0; the first block is height 1. */
  height: bigint;
  /** Proposer's clock, milliseconds since the epoch; strictly above the parent's. */
  timestampMs: bigint;
  /** Id of the previous header (the genesis hash at height 1). */
  parentHash: Hash;
  /** Committee index of the proposer. */
  proposerIndex: number;
  /** Merkle root over the ids of `transactions`. */
  txRoot: Hash;
  /** Merkle root over the ids of the incoming receipts consumed, in block order. */
  incomingRoot: Hash;
  /** State root after applying this block. */
  stateRoot: Hash;
  /** Merkle root over the ids of the receipts this block emits. */
  receiptsRoot: Hash;
  /** Id of the commit certificate of the previous block (zero hash at height 1). */
  lastCommitHash: Hash;
}

export interface Block {
  header: BlockHeader;
  transactions: Transaction[];
  incoming: IncomingReceiptBatch[];
}

// ---------------------------------------------------------------------------------------------
// Consensus messages

export type VoteType = 'prevote' | 'precommit';

export interface VoteBody {
  chainId: string;
  shard: number;
  height: bigint;
  round: number;
  type: VoteType;
  /** Id of the block header voted for; null is a nil vote. */
  blockHash: Hash | null;
  validatorIndex: number;
}

export interface Vote extends VoteBody {
  signature: Signature;
}

export interface ProposalBody {
  chainId: string;
  shard: number;
  height: bigint;
  round: number;
  /** -1, or the round in which the proposed block got a polka (re-proposal). */
  validRound: number;
  blockHash: Hash;
  proposerIndex: number;
}

export interface Proposal extends ProposalBody {
  signature: Signature;
}

/** 2f+1 precommits for one block hash at one height and round: proof that the block is final. */
export interface CommitCertificate {
  chainId: string;
  shard: number;
  height: bigint;
  round: number;
  blockHash: Hash;
  /** Sorted by validatorIndex, no index twice. Each signs the precommit VoteBody. */
  signatures: Array<{ validatorIndex: number; signature: Signature }>;
}

/** Two different signed votes by one validator for the same height, round and type. */
export interface DuplicateVoteEvidence {
  voteA: Vote;
  voteB: Vote;
}

// ---------------------------------------------------------------------------------------------
// Network configuration (genesis)

export interface Validator {
  publicKey: PublicKey;
  /** libp2p multiaddrs where it listens (empty in tests). */
  addresses: string[];
}

export interface Committee {
  shard: number;
  /** n = 3f+1 validators; a validator's index here is its `validatorIndex`. */
  validators: Validator[];
}

export interface NetworkConfig {
  chainId: string;
  /** bech32m human-readable prefix: 'sp' on mainnet, 'spd' on a devnet. */
  addressPrefix: string;
  shardCount: number;
  /** BUCKET_COUNT entries: bucketToShard[bucket] is the shard that holds the bucket's accounts. */
  bucketToShard: number[];
  committees: Committee[];
  /** Addresses allowed to mint. */
  issuers: Address[];
  /** Flat fee per transaction, in minor units (may be 0 on a devnet). */
  flatFee: bigint;
  /** Where each shard's fees go: feeCollectors[shard] must live on that shard. */
  feeCollectors: Address[];
  initialBalances: Array<{ address: Address; amount: bigint }>;
  /** Genesis time, milliseconds since the epoch. */
  genesisTimeMs: bigint;
}
