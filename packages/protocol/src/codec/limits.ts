/**
 * Upper bounds the codec enforces on both encode and decode, beyond the MAX_* limits of
 * `types.ts`. They keep a hostile length prefix from making a decoder allocate or loop without
 * bound; each is far above what a healthy network produces.
 */

/** Transactions in one block. */
export const MAX_BLOCK_TRANSACTIONS = 65_536;
/** Incoming receipt batches (source blocks) in one block. */
export const MAX_INCOMING_BATCHES = 4_096;
/** Receipts carried in one incoming batch. */
export const MAX_BATCH_RECEIPTS = 65_536;
/** Validators in one committee (a validator index is a u16). */
export const MAX_COMMITTEE_SIZE = 1_024;
/** Signatures in one commit certificate. */
export const MAX_CERTIFICATE_SIGNATURES = MAX_COMMITTEE_SIZE;
/** Shards in a network: at most one per bucket. */
export const MAX_SHARDS = 4_096;
/** libp2p multiaddrs listed for one validator. */
export const MAX_VALIDATOR_ADDRESSES = 16;
/** Bytes of one libp2p multiaddr string. */
export const MAX_MULTIADDR_BYTES = 256;
/** Bytes of the bech32m address prefix (the longest `encodeAddress` accepts). */
export const MAX_ADDRESS_PREFIX_BYTES = 20;
/** Issuer addresses in a network config. */
export const MAX_ISSUERS = 256;
/** Genesis balances in a network config. */
export const MAX_INITIAL_BALANCES = 1_000_000;
/** Siblings in a Merkle proof: a tree of up to 2^32 leaves (indices and counts are u32). */
export const MAX_MERKLE_PROOF_DEPTH = 32;

/** Fixed byte lengths. */
export const ADDRESS_BYTES = 20;
export const HASH_BYTES = 32;
export const PUBLIC_KEY_BYTES = 33;
export const SIGNATURE_BYTES = 64;
