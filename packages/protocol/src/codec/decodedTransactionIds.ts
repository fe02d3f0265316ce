import type { Hash, Transaction } from '../types.ts';

/**
 * The id of a transaction this process decoded, kept on the (frozen) decoded object under a
 * non-enumerable symbol. A validator meets every transaction several times (submission or gossip,
 * the proposal, the commit) and `transactionId` would otherwise encode it again each time: the
 * decoder already holds its canonical bytes, so it hashes them once. Being non-enumerable, the id is
 * not copied by a spread (`{ ...tx, fee }` is another transaction) nor seen by deep equality or
 * JSON; the object is frozen, so it cannot go stale by a field being reassigned (the byte arrays
 * inside must not be modified in place either). A symbol property is used rather than a WeakMap:
 * at thousands of transactions a second the WeakMap's bookkeeping showed in profiles.
 */
const decodedId: unique symbol = Symbol('shardpay.decodedTransactionId');

type WithDecodedId = Transaction & { readonly [decodedId]?: Hash };

/** Attaches `id` to a freshly decoded `tx` (before it is frozen). */
export function rememberDecodedTransactionId(tx: Transaction, id: Hash): void {
  Object.defineProperty(tx, decodedId, { value: id });
}

export function decodedTransactionId(tx: Transaction): Hash | undefined {
  return (tx as WithDecodedId)[decodedId];
}
