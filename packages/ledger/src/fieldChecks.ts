import { ShardpayError } from '@shardpay/crypto';
import type { Address } from '@shardpay/protocol';
import { MAX_AMOUNT, MAX_MEMO_BYTES, MAX_REFERENCE_BYTES } from '@shardpay/protocol';

/** Bytes of `text` in UTF-8, without encoding it (lone surrogates count as the 3-byte U+FFFD). */
export function utf8Length(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) length += 1;
    else if (code < 0x800) length += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length += 4;
        i++;
      } else length += 3;
    } else length += 3;
  }
  return length;
}

/** Throws AMOUNT_INVALID (not a bigint, zero or negative) or AMOUNT_TOO_LARGE (above MAX_AMOUNT). */
export function assertValidAmount(amount: unknown, field = 'amount'): asserts amount is bigint {
  if (typeof amount !== 'bigint' || amount <= 0n) {
    throw new ShardpayError('AMOUNT_INVALID', `${field} must be a positive number of minor units`, {
      meta: { field, amount: typeof amount === 'bigint' ? amount.toString() : typeof amount },
    });
  }
  if (amount > MAX_AMOUNT) {
    throw new ShardpayError('AMOUNT_TOO_LARGE', `${field} exceeds the largest amount`, {
      meta: { field, amount: amount.toString() },
    });
  }
}

/** Throws ADDRESS_INVALID unless `address` is 20 bytes. */
export function assertValidAddress(address: unknown, field: string): asserts address is Address {
  if (!(address instanceof Uint8Array) || address.length !== 20) {
    throw new ShardpayError('ADDRESS_INVALID', `${field} is not a 20-byte address`, { meta: { field } });
  }
}

/** Throws MEMO_TOO_LONG unless `memo` is a well-formed string of at most MAX_MEMO_BYTES of UTF-8. */
export function assertValidMemo(memo: unknown): asserts memo is string {
  if (typeof memo !== 'string' || !memo.isWellFormed() || utf8Length(memo) > MAX_MEMO_BYTES) {
    throw new ShardpayError(
      'MEMO_TOO_LONG',
      `a memo is well-formed text of at most ${MAX_MEMO_BYTES} UTF-8 bytes`,
      {
        meta: { length: typeof memo === 'string' ? utf8Length(memo) : -1 },
      },
    );
  }
}

/** Throws REFERENCE_INVALID unless `reference` is well-formed text of 1 to MAX_REFERENCE_BYTES UTF-8 bytes. */
export function assertValidReference(reference: unknown, field: string): asserts reference is string {
  if (typeof reference !== 'string' || !reference.isWellFormed()) {
    throw new ShardpayError('REFERENCE_INVALID', `${field} is not well-formed text`, { meta: { field } });
  }
  const length = utf8Length(reference);
  if (length < 1 || length > MAX_REFERENCE_BYTES) {
    throw new ShardpayError('REFERENCE_INVALID', `${field} must be 1 to ${MAX_REFERENCE_BYTES} UTF-8 bytes`, {
      meta: { field, length },
    });
  }
}
