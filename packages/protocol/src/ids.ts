import { sha256 } from '@shardpay/crypto';
import { encodeBlockHeader } from './codec/blockHeaderCodec.ts';
import { encodeCommitCertificate } from './codec/commitCertificateCodec.ts';
import { decodedTransactionId } from './codec/decodedTransactionIds.ts';
import { encodeNetworkConfig } from './codec/networkConfigCodec.ts';
import { encodeReceipt } from './codec/receiptCodec.ts';
import { encodeTransaction } from './codec/transactionCodec.ts';
import type { BlockHeader, CommitCertificate, Hash, NetworkConfig, Receipt, Transaction } from './types.ts';

/**
 * The id of a signed transaction: sha256 of its canonical encoding (signature included). A decoded
 * transaction's id was computed from the bytes it came from (see `decodedTransactionIds.ts`).
 */
export function transactionId(tx: Transaction): Hash {
  return decodedTransactionId(tx) ?? sha256(encodeTransaction(tx));
}

/** The id of a block header, which is the block hash. */
export function headerId(header: BlockHeader): Hash {
  return sha256(encodeBlockHeader(header));
}

/** The id of a cross-shard receipt; the target shard consumes each id once. */
export function receiptId(receipt: Receipt): Hash {
  return sha256(encodeReceipt(receipt));
}

/** The id of a commit certificate; the next header carries it as `lastCommitHash`. */
export function certificateId(cert: CommitCertificate): Hash {
  return sha256(encodeCommitCertificate(cert));
}

/** The genesis hash: sha256 of the network config; height 1's `parentHash`. */
export function genesisHash(config: NetworkConfig): Hash {
  return sha256(encodeNetworkConfig(config));
}
