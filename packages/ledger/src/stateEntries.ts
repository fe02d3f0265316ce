import { bytesToHex, ShardpayError, utf8ToBytes } from '@shardpay/crypto';
import type { Address, Hash } from '@shardpay/protocol';
import type { AccountRecord, ShardMeta, ShardStateReader } from './ShardState.ts';
import type { StateDiff } from './StateDiff.ts';

/**
 * The ledger's state as key → value bytes, for stores that keep state opaque (the node's LMDB store):
 *
 *   0x00                                → meta: u8 version 1 ‖ u64 height ‖ u64 accountCount ‖ u64 minted ‖
 *                                         u64 burned ‖ journalHash ‖ accountsRoot ‖ stateRoot
 *   0x01 ‖ address (20)                 → account: u64 balance ‖ u64 nonce ‖ u32 leafIndex
 *   0x02 ‖ receiptId (32)               → 0x01 (the receipt was consumed)
 *   0x03 ‖ merchant (20) ‖ paymentId    → 0x01 (UTF-8 paymentId; the merchant received it)
 *   0x04 ‖ issuer (20) ‖ reference      → 0x01 (UTF-8 reference; the issuer minted it)
 *   0x05 ‖ record key                   → the record's value (escrows, time locks, multisig accounts,
 *                                         issuer controls: see `records/`)
 *
 * Integers are big-endian. Entries are only ever added or overwritten, never deleted.
 */
export const StateKeyPrefix = {
  meta: 0x00,
  account: 0x01,
  consumedReceipt: 0x02,
  payment: 0x03,
  mintReference: 0x04,
  record: 0x05,
} as const;

const META_VERSION = 1;
const META_BYTES = 1 + 8 * 4 + 32 * 3;
const ACCOUNT_VALUE_BYTES = 8 + 8 + 4;
const PRESENT = Uint8Array.of(1);

/** One state write as stores take it: set `key` to `value`. */
export type StateEntryWrite = readonly [key: Uint8Array, value: Uint8Array];

/** Where the key/value state lives: the two reads of `@shardpay/storage`'s ChainStore. */
export interface StateEntrySource {
  getState(key: Uint8Array): Uint8Array | undefined;
  /** Entries whose key starts with `prefix`, ascending; `startAfter`/`limit` page through them. */
  scanState(
    prefix: Uint8Array,
    options?: { startAfter?: Uint8Array; limit?: number },
  ): Array<{ key: Uint8Array; value: Uint8Array }>;
}

function stateCorrupt(message: string, meta: Record<string, unknown> = {}): ShardpayError {
  return new ShardpayError('LEDGER_STATE_INVALID', message, { meta: { reason: 'corrupt', ...meta } });
}

export const META_KEY = Uint8Array.of(StateKeyPrefix.meta);
export const ACCOUNT_KEY_PREFIX = Uint8Array.of(StateKeyPrefix.account);

/** The key of an account. */
export function accountKey(address: Address): Uint8Array {
  const key = new Uint8Array(1 + address.length);
  key[0] = StateKeyPrefix.account;
  key.set(address, 1);
  return key;
}

/** The key recording that a receipt was consumed. */
export function consumedReceiptKey(receiptId: Hash): Uint8Array {
  const key = new Uint8Array(1 + receiptId.length);
  key[0] = StateKeyPrefix.consumedReceipt;
  key.set(receiptId, 1);
  return key;
}

function ownerTextKey(prefix: number, owner: Address, text: string): Uint8Array {
  const textBytes = utf8ToBytes(text);
  const key = new Uint8Array(1 + owner.length + textBytes.length);
  key[0] = prefix;
  key.set(owner, 1);
  key.set(textBytes, 1 + owner.length);
  return key;
}

/** The key recording that `merchant` received `paymentId`. */
export function paymentKey(merchant: Address, paymentId: string): Uint8Array {
  return ownerTextKey(StateKeyPrefix.payment, merchant, paymentId);
}

/** The key recording that `issuer` minted `reference`. */
export function mintReferenceKey(issuer: Address, reference: string): Uint8Array {
  return ownerTextKey(StateKeyPrefix.mintReference, issuer, reference);
}

/** The key/value key of a record. */
export function recordEntryKey(key: Uint8Array): Uint8Array {
  const entryKey = new Uint8Array(1 + key.length);
  entryKey[0] = StateKeyPrefix.record;
  entryKey.set(key, 1);
  return entryKey;
}

/** Bytes of a stored account. */
export function encodeAccountRecord(account: AccountRecord): Uint8Array {
  const bytes = new Uint8Array(ACCOUNT_VALUE_BYTES);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, account.balance);
  view.setBigUint64(8, account.nonce);
  view.setUint32(16, account.leafIndex);
  return bytes;
}

/** A stored account from its bytes (LEDGER_STATE_INVALID if malformed). */
export function decodeAccountRecord(bytes: Uint8Array): AccountRecord {
  if (bytes.length !== ACCOUNT_VALUE_BYTES) throw stateCorrupt('an account entry has the wrong length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { balance: view.getBigUint64(0), nonce: view.getBigUint64(8), leafIndex: view.getUint32(16) };
}

/** Bytes of the shard meta. */
export function encodeShardMeta(meta: ShardMeta): Uint8Array {
  const bytes = new Uint8Array(META_BYTES);
  const view = new DataView(bytes.buffer);
  bytes[0] = META_VERSION;
  view.setBigUint64(1, meta.height);
  view.setBigUint64(9, BigInt(meta.accountCount));
  view.setBigUint64(17, meta.minted);
  view.setBigUint64(25, meta.burned);
  bytes.set(meta.journalHash, 33);
  bytes.set(meta.accountsRoot, 65);
  bytes.set(meta.stateRoot, 97);
  return bytes;
}

/** The shard meta from its bytes (LEDGER_STATE_INVALID if malformed). */
export function decodeShardMeta(bytes: Uint8Array): ShardMeta {
  if (bytes.length !== META_BYTES || bytes[0] !== META_VERSION) {
    throw stateCorrupt('the meta entry is malformed');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    height: view.getBigUint64(1),
    accountCount: Number(view.getBigUint64(9)),
    minted: view.getBigUint64(17),
    burned: view.getBigUint64(25),
    journalHash: bytes.slice(33, 65),
    accountsRoot: bytes.slice(65, 97),
    stateRoot: bytes.slice(97, 129),
  };
}

/** The key/value writes of a diff, for a store to apply atomically (e.g. ChainStore.commitBlock's stateWrites). */
export function stateDiffToWrites(diff: StateDiff): StateEntryWrite[] {
  const writes: StateEntryWrite[] = [];
  for (const { address, account } of diff.accounts)
    writes.push([accountKey(address), encodeAccountRecord(account)]);
  for (const receiptId of diff.consumedReceipts) writes.push([consumedReceiptKey(receiptId), PRESENT]);
  for (const { merchant, paymentId } of diff.payments)
    writes.push([paymentKey(merchant, paymentId), PRESENT]);
  for (const { issuer, reference } of diff.mintReferences) {
    writes.push([mintReferenceKey(issuer, reference), PRESENT]);
  }
  for (const { key, value } of diff.records) writes.push([recordEntryKey(key), value]);
  writes.push([META_KEY, encodeShardMeta(diff.meta)]);
  return writes;
}

/**
 * A ShardStateReader over key/value state (pass the node's ChainStore). Reads are synchronous and go
 * straight to the source; the tree rebuild pages through the accounts, `scanPageSize` (65,536) at a time.
 */
export function createStateEntryReader(
  source: StateEntrySource,
  options: { scanPageSize?: number } = {},
): ShardStateReader {
  const pageSize = options.scanPageSize ?? 65_536;
  return {
    getMeta: () => {
      const bytes = source.getState(META_KEY);
      return bytes === undefined ? undefined : decodeShardMeta(bytes);
    },
    getAccount: (address: Address) => {
      const bytes = source.getState(accountKey(address));
      return bytes === undefined ? undefined : decodeAccountRecord(bytes);
    },
    isReceiptConsumed: (receiptId: Hash) => source.getState(consumedReceiptKey(receiptId)) !== undefined,
    isPaymentIdUsed: (merchant: Address, paymentId: string) =>
      source.getState(paymentKey(merchant, paymentId)) !== undefined,
    isMintReferenceUsed: (issuer: Address, reference: string) =>
      source.getState(mintReferenceKey(issuer, reference)) !== undefined,
    getRecord: (key: Uint8Array) => source.getState(recordEntryKey(key)),
    forEachAccount: (visit: (address: Address, account: AccountRecord) => void) => {
      let startAfter: Uint8Array | undefined;
      for (;;) {
        const page = source.scanState(
          ACCOUNT_KEY_PREFIX,
          startAfter === undefined ? { limit: pageSize } : { startAfter, limit: pageSize },
        );
        for (const { key, value } of page) {
          if (key.length !== 21)
            throw stateCorrupt('an account key has the wrong length', { key: bytesToHex(key) });
          visit(key.slice(1), decodeAccountRecord(value));
        }
        if (page.length < pageSize) return;
        startAfter = page[page.length - 1]!.key;
      }
    },
  };
}
