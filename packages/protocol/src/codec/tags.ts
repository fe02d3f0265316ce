import type {
  IssuerControlAction,
  OperationType,
  ReceiptKind,
  ReceiptOperation,
  VoteType,
} from '../types.ts';
import { encodeError } from './ByteWriter.ts';

/** A two-way table between string literals and their u8 wire tags. */
export interface TagTable<T extends string> {
  /** The tag of `value`; throws ENCODE_ERROR for a value outside the table. */
  toTag(value: T, field: string): number;
  /** Tag → value, for `ByteReader.tag`. */
  readonly fromTag: ReadonlyMap<number, T>;
}

/** A new tag table (exported for the signing bytes of `commerceSigning.ts`). */
export function createTagTable<T extends string>(tags: Readonly<Record<T, number>>): TagTable<T> {
  const toTag = new Map<string, number>(Object.entries(tags) as Array<[string, number]>);
  const fromTag = new Map<number, T>();
  for (const [value, tag] of toTag) fromTag.set(tag, value as T);
  return {
    toTag(value, field) {
      const tag = typeof value === 'string' ? toTag.get(value) : undefined;
      if (tag === undefined) throw encodeError(field, 'unknown_variant', `unknown value ${String(value)}`);
      return tag;
    },
    fromTag,
  };
}

// Wire values: never renumber.
export const operationTags = createTagTable<OperationType>({
  transfer: 1,
  pay: 2,
  mint: 3,
  burn: 4,
  escrow_lock: 5,
  escrow_release: 6,
  escrow_refund: 7,
  escrow_dispute: 8,
  escrow_settle: 9,
  timelock_create: 10,
  timelock_claim: 11,
  timelock_cancel: 12,
  multisig_create: 13,
  multisig_execute: 14,
  multisig_update: 15,
  issuer_control: 16,
});
export const voteTypeTags = createTagTable<VoteType>({ prevote: 1, precommit: 2 });
export const receiptKindTags = createTagTable<ReceiptKind>({ credit: 1, refund: 2 });
/** The same numbers as `operationTags`, limited to the operations that emit receipts. */
export const receiptOperationTags = createTagTable<ReceiptOperation>({
  transfer: 1,
  pay: 2,
  mint: 3,
  escrow_release: 6,
  escrow_settle: 9,
  timelock_claim: 11,
});
export const issuerControlActionTags = createTagTable<IssuerControlAction>({
  pause: 1,
  unpause: 2,
  freeze: 3,
  unfreeze: 4,
});
