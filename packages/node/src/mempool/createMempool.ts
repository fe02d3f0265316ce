import { bytesToHex, ShardpayError } from '@shardpay/crypto';
import type { Address, Transaction } from '@shardpay/protocol';

/** One admitted transaction, with what the mempool needs to order and bound it. */
export interface MempoolEntry {
  tx: Transaction;
  id: Uint8Array;
  idHex: string;
  sender: Address;
  senderHex: string;
  /** Encoded size in bytes, for the block byte budget and the pool's byte bound. */
  size: number;
}

export interface MempoolOptions {
  /** Transactions the pool holds at most. */
  maxTransactions: number;
  /** Encoded bytes the pool holds at most. */
  maxBytes: number;
  /** Transactions one sender may have waiting. */
  maxPerSender: number;
  /** How far above the sender's next nonce a transaction may be (a bounded gap). */
  maxNonceGap: bigint;
}

export interface MempoolDependencies {
  /** The sender's committed nonce (the next one the ledger accepts). */
  committedNonce(sender: Address): bigint;
}

export interface Mempool {
  /** Admits a transaction whose signature was already checked; throws a coded error otherwise. */
  add(entry: MempoolEntry): void;
  has(idHex: string): boolean;
  size(): number;
  bytes(): number;
  /** The next nonce the sender should use, counting its contiguous waiting transactions. */
  pendingNonce(sender: Address, senderHex?: string): bigint;
  /**
   * Transactions ready for a block: per sender a contiguous nonce run from its committed nonce,
   * taken round robin across senders so that no sender starves the others.
   */
  selectForBlock(limits: { maxTransactions: number; maxBytes: number }): MempoolEntry[];
  /** Drops what a committed block made stale: included transactions, lower nonces, expired ones. */
  pruneAfterCommit(height: bigint, touchedSenders: Iterable<Address>): void;
  /** Removes one transaction (e.g. refused by the ledger while building a block) and its successors. */
  evictFrom(senderHex: string, nonce: bigint): void;
}

interface SenderQueue {
  sender: Address;
  byNonce: Map<bigint, MempoolEntry>;
}

export const defaultMempoolOptions: MempoolOptions = {
  maxTransactions: 50_000,
  maxBytes: 64 * 1024 * 1024,
  maxPerSender: 256,
  maxNonceGap: 64n,
};

/** A mempool with per-sender nonce queues, a size bound, fair eviction and coded rejections. */
export function createMempool(options: MempoolOptions, deps: MempoolDependencies): Mempool {
  const senders = new Map<string, SenderQueue>();
  const ids = new Set<string>();
  let totalBytes = 0;

  function removeEntry(queue: SenderQueue, nonce: bigint): void {
    const entry = queue.byNonce.get(nonce);
    if (!entry) return;
    queue.byNonce.delete(nonce);
    ids.delete(entry.idHex);
    totalBytes -= entry.size;
    if (queue.byNonce.size === 0) senders.delete(entry.senderHex);
  }

  /** Makes room by dropping the highest nonce of the sender holding the most, if that is not `senderHex`. */
  function evictForRoom(senderHex: string, incomingCount: number): boolean {
    let largest: SenderQueue | undefined;
    let largestHex = '';
    for (const [hex, queue] of senders) {
      if (!largest || queue.byNonce.size > largest.byNonce.size) {
        largest = queue;
        largestHex = hex;
      }
    }
    if (!largest || largestHex === senderHex || largest.byNonce.size <= incomingCount + 1) return false;
    let highest = -1n;
    for (const nonce of largest.byNonce.keys()) if (nonce > highest) highest = nonce;
    removeEntry(largest, highest);
    return true;
  }

  return {
    add(entry) {
      if (ids.has(entry.idHex)) {
        throw new ShardpayError('TX_ALREADY_KNOWN', 'this transaction is already waiting in the mempool', {
          meta: { tx: entry.idHex },
        });
      }
      const committed = deps.committedNonce(entry.sender);
      const nonce = entry.tx.nonce;
      if (nonce < committed) {
        throw new ShardpayError(
          'BAD_NONCE',
          `nonce ${nonce} was already used; the next nonce is ${committed}`,
          {
            meta: { nonce: nonce.toString(), expected: committed.toString() },
          },
        );
      }
      if (nonce - committed > options.maxNonceGap) {
        throw new ShardpayError(
          'NONCE_TOO_FAR_AHEAD',
          `nonce ${nonce} is more than ${options.maxNonceGap} above the next nonce ${committed}`,
          { meta: { nonce: nonce.toString(), expected: committed.toString() } },
        );
      }
      const queue = senders.get(entry.senderHex);
      const existing = queue?.byNonce.get(nonce);
      if (existing) {
        throw new ShardpayError(
          'NONCE_IN_USE',
          `another transaction with nonce ${nonce} is already waiting`,
          {
            meta: { nonce: nonce.toString(), waiting: existing.idHex },
          },
        );
      }
      const held = queue?.byNonce.size ?? 0;
      if (held >= options.maxPerSender) {
        throw new ShardpayError('SENDER_QUEUE_FULL', `this sender already has ${held} transactions waiting`, {
          meta: { waiting: held },
        });
      }
      while (ids.size >= options.maxTransactions || totalBytes + entry.size > options.maxBytes) {
        if (!evictForRoom(entry.senderHex, held)) {
          throw new ShardpayError('MEMPOOL_FULL', 'the mempool is full; retry shortly', {
            meta: { transactions: ids.size, bytes: totalBytes },
          });
        }
      }
      const target = queue ?? { sender: entry.sender, byNonce: new Map() };
      if (!queue) senders.set(entry.senderHex, target);
      target.byNonce.set(nonce, entry);
      ids.add(entry.idHex);
      totalBytes += entry.size;
    },

    has: (idHex) => ids.has(idHex),
    size: () => ids.size,
    bytes: () => totalBytes,

    pendingNonce(sender, senderHex = bytesToHex(sender)) {
      let nonce = deps.committedNonce(sender);
      const queue = senders.get(senderHex);
      while (queue?.byNonce.has(nonce)) nonce += 1n;
      return nonce;
    },

    selectForBlock({ maxTransactions, maxBytes }) {
      const cursors: Array<{ queue: SenderQueue; nonce: bigint }> = [];
      for (const queue of senders.values()) {
        cursors.push({ queue, nonce: deps.committedNonce(queue.sender) });
      }
      const selected: MempoolEntry[] = [];
      let bytes = 0;
      while (cursors.length > 0 && selected.length < maxTransactions) {
        for (let i = 0; i < cursors.length && selected.length < maxTransactions; ) {
          const cursor = cursors[i]!;
          const entry = cursor.queue.byNonce.get(cursor.nonce);
          if (!entry || bytes + entry.size > maxBytes) {
            cursors.splice(i, 1);
            continue;
          }
          selected.push(entry);
          bytes += entry.size;
          cursor.nonce += 1n;
          i += 1;
        }
      }
      return selected;
    },

    pruneAfterCommit(height, touchedSenders) {
      for (const sender of touchedSenders) {
        const hex = bytesToHex(sender);
        const queue = senders.get(hex);
        if (!queue) continue;
        const committed = deps.committedNonce(sender);
        for (const nonce of [...queue.byNonce.keys()]) if (nonce < committed) removeEntry(queue, nonce);
      }
      for (const queue of [...senders.values()]) {
        for (const [nonce, entry] of [...queue.byNonce]) {
          if (entry.tx.expiryHeight < height + 1n) removeEntry(queue, nonce);
        }
      }
    },

    evictFrom(senderHex, nonce) {
      const queue = senders.get(senderHex);
      if (!queue) return;
      for (const n of [...queue.byNonce.keys()]) if (n >= nonce) removeEntry(queue, n);
    },
  };
}
