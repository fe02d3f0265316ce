import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { platform } from '#platform';
import { utf8ToBytes } from './bytes.ts';
import { ShardpayError } from './ShardpayError.ts';

/** 32 zero bytes: the "no hash" placeholder (e.g. a genesis parent). Do not mutate it. */
export const ZERO_HASH: Uint8Array = new Uint8Array(32);

/** SHA-256 of `data` (node:crypto one-shot in Node, @noble/hashes in browsers). */
export function sha256(data: Uint8Array): Uint8Array {
  return platform.sha256(data);
}

const maxTagBytes = 255;
// Tags are a handful of constants used on hot paths (signing, votes): encode each prefix once.
const tagPrefixes = new Map<string, Uint8Array>();

function tagPrefix(tag: string): Uint8Array {
  let prefix = tagPrefixes.get(tag);
  if (prefix !== undefined) return prefix;
  const tagBytes = utf8ToBytes(tag);
  if (tagBytes.length === 0 || tagBytes.length > maxTagBytes) {
    throw new ShardpayError('DOMAIN_TAG_INVALID', `a domain tag must be 1..${maxTagBytes} UTF-8 bytes`, {
      meta: { tag, length: tagBytes.length },
    });
  }
  prefix = new Uint8Array(1 + tagBytes.length);
  prefix[0] = tagBytes.length;
  prefix.set(tagBytes, 1);
  if (tagPrefixes.size < 1024) tagPrefixes.set(tag, prefix); // bounded: tags are meant to be constants
  return prefix;
}

/**
 * Domain-separated hash: sha256(u8(len(tag)) ‖ tag ‖ data), tag as UTF-8 of 1..255 bytes, so that
 * bytes signed or hashed for one purpose can never be taken for another.
 *
 * @example domainHash('shardpay/tx', canonicalTxBytes)
 */
export function domainHash(tag: string, data: Uint8Array): Uint8Array {
  const prefix = tagPrefix(tag);
  const message = new Uint8Array(prefix.length + data.length);
  message.set(prefix, 0);
  message.set(data, prefix.length);
  return platform.sha256(message);
}

/** HMAC-SHA256 (RFC 2104) of `message` under `key`, by @noble/hashes (the same in Node and browsers). */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  return nobleHmac(nobleSha256, key, message);
}
