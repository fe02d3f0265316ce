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

/**
 * A signature by a party who is not the transaction's sender (an escrow's merchant, oracle or arbiter, a
 * time lock's receiver), carried inside a transaction that any account of the right shard submits (it
 * pays the fee). The party is `addressFromPublicKey(publicKey)`; what is signed depends on the operation
 * (see `signing.ts`: escrowActionSigningHash, timelockClaimSigningHash).
 */
export interface Authorization {
  publicKey: PublicKey;
  signature: Signature;
}

/** Most parties allowed in one multisig account or the issuer's control group. */
export const MAX_MULTISIG_OWNERS = 16;

/**
 * The buyer (the sender) locks `amount` on its own shard for `merchant` (any shard). The escrow's id is
 * this transaction's id. Released to the merchant by the buyer or by an attestation of `oracle`;
 * refunded by the merchant at any time or to the buyer after `deadlineMs`; disputed by either side when
 * an `arbiter` is named, after which only the arbiter settles (a split).
 */
export interface EscrowLockOperation {
  type: 'escrow_lock';
  merchant: Address;
  amount: bigint;
  /** The merchant's order (e.g. an invoice id): 1 to MAX_REFERENCE_BYTES of UTF-8. */
  orderId: string;
  /** Block time (header timestampMs of the buyer's shard) after which the buyer may take it back. */
  deadlineMs: bigint;
  arbiter: Address | null;
  /** The delivery oracle whose signed attestation releases the funds. */
  oracle: Address | null;
  memo: string;
}

/**
 * An action on an open escrow, executed on the escrow's (the buyer's) shard. `authorization` is null
 * when the sender itself is the acting party; otherwise it names and proves the party.
 */
export interface EscrowReleaseOperation {
  type: 'escrow_release';
  escrowId: Hash;
  /** By the buyer, or the oracle (its signature over the escrow id is the delivery attestation). */
  authorization: Authorization | null;
}

export interface EscrowRefundOperation {
  type: 'escrow_refund';
  escrowId: Hash;
  /** By the merchant (any time), or the buyer once the deadline has passed. */
  authorization: Authorization | null;
}

export interface EscrowDisputeOperation {
  type: 'escrow_dispute';
  escrowId: Hash;
  /** By the buyer or the merchant; only when an arbiter is named. */
  authorization: Authorization | null;
}

export interface EscrowSettleOperation {
  type: 'escrow_settle';
  escrowId: Hash;
  /** What the buyer gets back; the merchant gets the rest. */
  buyerAmount: bigint;
  /** By the arbiter, only after a dispute. */
  authorization: Authorization | null;
}

/** Locks `amount` on the sender's shard for `to`, who can claim it from `unlockHeight` (of this shard) on. */
export interface TimelockCreateOperation {
  type: 'timelock_create';
  to: Address;
  amount: bigint;
  unlockHeight: bigint;
  memo: string;
}

/** The receiver claims a time lock (its id is the creating transaction's id) at or after its unlock height. */
export interface TimelockClaimOperation {
  type: 'timelock_claim';
  timelockId: Hash;
  authorization: Authorization | null;
}

/** The creator takes a time lock back before its unlock height. */
export interface TimelockCancelOperation {
  type: 'timelock_cancel';
  timelockId: Hash;
}

/**
 * Creates an M-of-N account on the sender's shard at `multisigAddress(chainId, sender, salt)` (the
 * client picks a salt whose address lives on that shard). No key controls it: only `multisig_execute`.
 */
export interface MultisigCreateOperation {
  type: 'multisig_create';
  /** 1 to MAX_MULTISIG_OWNERS compressed public keys, strictly ascending bytewise. */
  owners: PublicKey[];
  threshold: number;
  salt: bigint;
}

/** What a multisig account can do; `multisig_update` is only ever valid inside `multisig_execute`. */
export type MultisigInnerOperation =
  | TransferOperation
  | PayOperation
  | BurnOperation
  | MultisigUpdateOperation;

/** Replaces the owners and threshold of the executing multisig account. */
export interface MultisigUpdateOperation {
  type: 'multisig_update';
  owners: PublicKey[];
  threshold: number;
}

/**
 * Runs `operation` as the multisig account `account` (which pays its amount; the sender pays the fee).
 * `signatures` are by at least `threshold` distinct owners over
 * multisigSigningHash(chainId, account, accountNonce, operation), ascending by owner index.
 */
export interface MultisigExecuteOperation {
  type: 'multisig_execute';
  account: Address;
  /** The account's own nonce (strictly sequential), so each set of signatures is used once. */
  accountNonce: bigint;
  operation: MultisigInnerOperation;
  signatures: Array<{ ownerIndex: number; signature: Signature }>;
}

export type IssuerControlAction = 'pause' | 'unpause' | 'freeze' | 'unfreeze';

/**
 * The issuer's compliance controls on the shard where it executes: pause/unpause every coin movement
 * there, or freeze/unfreeze one account living there. Signed by `threshold` of the genesis
 * `issuerControl.owners` over issuerControlSigningHash(chainId, shard, controlNonce, action, target).
 */
export interface IssuerControlOperation {
  type: 'issuer_control';
  action: IssuerControlAction;
  /** The account to freeze or unfreeze; null for pause and unpause. */
  target: Address | null;
  /** The shard's control nonce (strictly sequential), so each signed action is used once. */
  controlNonce: bigint;
  signatures: Array<{ ownerIndex: number; signature: Signature }>;
}

export type Operation =
  | TransferOperation
  | PayOperation
  | MintOperation
  | BurnOperation
  | EscrowLockOperation
  | EscrowReleaseOperation
  | EscrowRefundOperation
  | EscrowDisputeOperation
  | EscrowSettleOperation
  | TimelockCreateOperation
  | TimelockClaimOperation
  | TimelockCancelOperation
  | MultisigCreateOperation
  | MultisigExecuteOperation
  | MultisigUpdateOperation
  | IssuerControlOperation;
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

/** The operations whose credit can cross shards. */
export type ReceiptOperation =
  | 'transfer'
  | 'pay'
  | 'mint'
  | 'escrow_release'
  | 'escrow_settle'
  | 'timelock_claim';

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
  /**
   * The operation that caused the credit: `transfer`, `pay`, `mint`, `escrow_release`, `escrow_settle`
   * (to the merchant) or `timelock_claim`. A multisig account's transfer or pay names the inner one.
   */
  operation: ReceiptOperation;
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
  /**
   * The issuer's multisig control group (pause, freeze): `threshold` of `owners` (ascending, distinct)
   * must sign an `issuer_control`. Absent: issuer controls are refused (ISSUER_CONTROL_DISABLED).
   */
  issuerControl?: { owners: PublicKey[]; threshold: number };
  /** Flat fee per transaction, in minor units (may be 0 on a devnet). */
  flatFee: bigint;
  /** Where each shard's fees go: feeCollectors[shard] must live on that shard. */
  feeCollectors: Address[];
  initialBalances: Array<{ address: Address; amount: bigint }>;
  /** Genesis time, milliseconds since the epoch. */
  genesisTimeMs: bigint;
}
