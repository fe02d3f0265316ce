import { concatBytes, domainHash, utf8ToBytes } from '@shardpay/crypto';
import type { Address, Hash } from '@shardpay/protocol';

/**
 * The journal hash commits every validator to the same append-only sets — consumed receipts, accepted
 * payment ids, minted references — at one hash per new entry, in execution order:
 *
 *   journal' = domainHash('shardpay/state-journal/v1', journal ‖ entry)
 *   entry    = 0x01 ‖ receiptId | 0x02 ‖ merchant ‖ UTF-8 paymentId | 0x03 ‖ issuer ‖ UTF-8 reference
 *            | 0x04 ‖ u16 key length ‖ record key ‖ record value   (every record write, in order)
 *
 * Membership is proven by the stores that hold the sets; the journal only makes disagreement visible
 * in the state root.
 */
export const STATE_JOURNAL_TAG = 'shardpay/state-journal/v1';

const JournalEntryKind = { consumedReceipt: 0x01, payment: 0x02, mintReference: 0x03, record: 0x04 } as const;

function appendEntry(journalHash: Hash, kind: number, ...parts: Uint8Array[]): Hash {
  return domainHash(STATE_JOURNAL_TAG, concatBytes(journalHash, Uint8Array.of(kind), ...parts));
}

/** The journal after a receipt was consumed. */
export function journalConsumedReceipt(journalHash: Hash, receiptId: Hash): Hash {
  return appendEntry(journalHash, JournalEntryKind.consumedReceipt, receiptId);
}

/** The journal after `merchant` accepted `paymentId`. */
export function journalPayment(journalHash: Hash, merchant: Address, paymentId: string): Hash {
  return appendEntry(journalHash, JournalEntryKind.payment, merchant, utf8ToBytes(paymentId));
}

/** The journal after `issuer` minted under `reference`. */
export function journalMintReference(journalHash: Hash, issuer: Address, reference: string): Hash {
  return appendEntry(journalHash, JournalEntryKind.mintReference, issuer, utf8ToBytes(reference));
}

/** The journal after a record was written (set to `value`). */
export function journalRecord(journalHash: Hash, key: Uint8Array, value: Uint8Array): Hash {
  const length = new Uint8Array(2);
  new DataView(length.buffer).setUint16(0, key.length);
  return appendEntry(journalHash, JournalEntryKind.record, length, key, value);
}
