import { ShardpayError } from './ShardpayError.ts';

const hexAlphabet = '0123456789abcdef';
const byteToHex: string[] = Array.from(
  { length: 256 },
  (_, byte) => hexAlphabet[byte >> 4]! + hexAlphabet[byte & 15]!,
);

/** Value of one hex digit's char code, or -1 when it is not [0-9a-fA-F]. */
function hexDigitValue(charCode: number): number {
  if (charCode >= 48 && charCode <= 57) return charCode - 48; // 0-9
  if (charCode >= 97 && charCode <= 102) return charCode - 87; // a-f
  if (charCode >= 65 && charCode <= 70) return charCode - 55; // A-F
  return -1;
}

/** Lowercase hex of `bytes`. */
export function bytesToHex(bytes: Uint8Array): string {
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += byteToHex[bytes[i]!];
  return hex;
}

/** Bytes of a hex string: even length, [0-9a-fA-F] only, no `0x` prefix; else `HEX_INVALID`. */
export function hexToBytes(hex: string): Uint8Array {
  if (typeof hex !== 'string') throw new ShardpayError('HEX_INVALID', 'hex must be a string');
  if (hex.length % 2 !== 0) {
    throw new ShardpayError('HEX_INVALID', `hex has an odd length (${hex.length})`, {
      meta: { length: hex.length },
    });
  }
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    const high = hexDigitValue(hex.charCodeAt(2 * i));
    const low = hexDigitValue(hex.charCodeAt(2 * i + 1));
    if (high < 0 || low < 0) {
      const position = high < 0 ? 2 * i : 2 * i + 1;
      throw new ShardpayError('HEX_INVALID', `hex has a non-hex character at position ${position}`, {
        meta: { position },
      });
    }
    bytes[i] = (high << 4) | low;
  }
  return bytes;
}

const utf8Encoder = new TextEncoder();
// fatal: malformed input is an error, not U+FFFD; ignoreBOM: a leading BOM is content, kept as is.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 bytes of `text` (lone surrogates become U+FFFD, as TextEncoder does). */
export function utf8ToBytes(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** The string that `bytes` encode as UTF-8; malformed UTF-8 throws `UTF8_INVALID`. */
export function bytesToUtf8(bytes: Uint8Array): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch (error) {
    throw new ShardpayError('UTF8_INVALID', 'bytes are not valid UTF-8', { cause: error });
  }
}

/** One new array holding every part in order. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

/** True when both arrays hold the same bytes (not for secrets: returns early; see `constantTimeEqual`). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * True when both arrays hold the same bytes, taking time that depends only on the lengths (for MACs,
 * tags, secrets). Arrays of different lengths compare false without throwing.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  // On a length mismatch, still walk `a` (against itself) so the time does not hint at where it differs.
  const other = a.length === b.length ? b : a;
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ other[i]!;
  return difference === 0;
}

/** Lexicographic order (a shorter prefix sorts first): negative, zero or positive, for `Array.sort`. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

// getRandomValues refuses more than 65536 bytes per call.
const maxRandomChunk = 65536;

/** `length` bytes from the platform CSPRNG (WebCrypto `getRandomValues`, in Node and browsers). */
export function randomBytes(length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new ShardpayError('LENGTH_INVALID', `random length must be a non-negative integer, got ${length}`, {
      meta: { length },
    });
  }
  const bytes = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += maxRandomChunk) {
    globalThis.crypto.getRandomValues(bytes.subarray(offset, Math.min(length, offset + maxRandomChunk)));
  }
  return bytes;
}
