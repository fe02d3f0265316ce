/**
 * Readers for what callers hand the SDK: amounts (bigint minor units or decimal strings), bech32m
 * addresses, counters, memos and references. Each refuses bad input with a coded ShardpayError and
 * never echoes the input in a message (people paste secrets into the wrong field).
 */
import { decodeAddress, isShardpayError, ShardpayError, utf8ToBytes } from '@shardpay/crypto';
import {
  type Address,
  MAX_AMOUNT,
  MAX_MEMO_BYTES,
  MAX_REFERENCE_BYTES,
  MAX_U64,
  type NetworkConfig,
  parseAmount,
} from '@shardpay/protocol';

/** An amount: bigint minor units (6 decimals) or a decimal dollar string such as `'12.50'`. */
export type AmountInput = bigint | string;

/** A u64 counter (nonce, height): a bigint, or a safe non-negative integer number. */
export type CounterInput = bigint | number;

/** Minor units of a payment amount; AMOUNT_INVALID (zero, negative, malformed) or AMOUNT_TOO_LARGE. */
export function readAmountInput(
  amount: AmountInput,
  field: string,
  options: { allowZero?: boolean } = {},
): bigint {
  if (typeof amount === 'string') {
    try {
      return parseAmount(amount, options);
    } catch (error) {
      if (isShardpayError(error)) {
        throw new ShardpayError(error.code, `${field}: ${error.message}`, { meta: { ...error.meta, field } });
      }
      throw error;
    }
  }
  if (typeof amount !== 'bigint') {
    // Money is never a JS number: 0.1 + 0.2 is not 0.3.
    throw new ShardpayError('AMOUNT_INVALID', `${field} is a bigint of minor units or a decimal string`, {
      meta: { field, reason: 'not_bigint_or_string' },
    });
  }
  if (amount < 0n) {
    throw new ShardpayError('AMOUNT_INVALID', `${field} cannot be negative`, {
      meta: { field, reason: 'negative' },
    });
  }
  if (amount === 0n && options.allowZero !== true) {
    throw new ShardpayError('AMOUNT_INVALID', `${field} must be above zero`, {
      meta: { field, reason: 'zero' },
    });
  }
  if (amount > MAX_AMOUNT) {
    throw new ShardpayError('AMOUNT_TOO_LARGE', `${field} is above the largest amount`, { meta: { field } });
  }
  return amount;
}

/** The 20 bytes of a bech32m address of `network`; ADDRESS_INVALID or ADDRESS_WRONG_NETWORK. */
export function readAddressInput(address: string, field: string, network: NetworkConfig): Address {
  if (typeof address !== 'string') {
    throw new ShardpayError('ADDRESS_INVALID', `${field} is a bech32m address string`, { meta: { field } });
  }
  try {
    return decodeAddress(address, network.addressPrefix);
  } catch (error) {
    if (isShardpayError(error)) {
      // Keep crypto's code; drop its meta, which may quote the text.
      throw new ShardpayError(error.code, `${field}: ${error.message}`, { meta: { field } });
    }
    throw error;
  }
}

/** A u64 counter. `code` is the error to throw (BAD_NONCE for nonces, ENCODE_ERROR otherwise). */
export function readCounterInput(
  value: CounterInput,
  field: string,
  code: 'BAD_NONCE' | 'ENCODE_ERROR',
): bigint {
  const counter =
    typeof value === 'bigint'
      ? value
      : typeof value === 'number' && Number.isSafeInteger(value)
        ? BigInt(value)
        : null;
  if (counter === null || counter < 0n || counter > MAX_U64) {
    throw new ShardpayError(code, `${field} is an integer in 0..2^64-1`, {
      meta: { field, reason: 'out_of_range' },
    });
  }
  return counter;
}

function utf8Length(text: string): number {
  return utf8ToBytes(text).length;
}

/** A memo: at most MAX_MEMO_BYTES of well-formed UTF-8; MEMO_TOO_LONG otherwise. */
export function readMemoInput(memo: string | undefined): string {
  if (memo === undefined) return '';
  if (typeof memo !== 'string' || !memo.isWellFormed() || utf8Length(memo) > MAX_MEMO_BYTES) {
    throw new ShardpayError('MEMO_TOO_LONG', `a memo is text of at most ${MAX_MEMO_BYTES} UTF-8 bytes`, {
      meta: { field: 'memo', max: MAX_MEMO_BYTES },
    });
  }
  return memo;
}

/** A payment id, mint reference or payout reference: 1..MAX_REFERENCE_BYTES of UTF-8; REFERENCE_INVALID. */
export function readReferenceInput(reference: string, field: string): string {
  if (
    typeof reference !== 'string' ||
    reference.length === 0 ||
    !reference.isWellFormed() ||
    utf8Length(reference) > MAX_REFERENCE_BYTES
  ) {
    throw new ShardpayError(
      'REFERENCE_INVALID',
      `${field} is text of 1 to ${MAX_REFERENCE_BYTES} UTF-8 bytes`,
      {
        meta: { field, max: MAX_REFERENCE_BYTES },
      },
    );
  }
  return reference;
}
