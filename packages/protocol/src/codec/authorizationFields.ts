/**
 * Field helpers of the commerce operations: optional addresses, optional authorizations, and the
 * owner and signer lists of multisig accounts and the issuer's control group. The lists must be
 * strictly ascending so that one set has exactly one encoding (and one transaction id).
 */
import { compareBytes } from '@shardpay/crypto';
import type { Address, Authorization, PublicKey, Signature } from '../types.ts';
import { MAX_MULTISIG_OWNERS } from '../types.ts';
import { type ByteReader, decodeError } from './ByteReader.ts';
import { type ByteWriter, encodeError } from './ByteWriter.ts';
import {
  readAddress,
  readPublicKey,
  readSignature,
  writeAddress,
  writePublicKey,
  writeSignature,
} from './fields.ts';
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './limits.ts';

/** One owner's signature in a multisig or issuer-control operation. */
export interface IndexedSignature {
  ownerIndex: number;
  signature: Signature;
}

/** An optional address: presence byte, then 20 bytes when present. */
export function writeOptionalAddress(writer: ByteWriter, value: Address | null, field: string): void {
  writer.presence(value !== null, field);
  if (value !== null) writeAddress(writer, value, field);
}

export function readOptionalAddress(reader: ByteReader): Address | null {
  return reader.presence() ? readAddress(reader) : null;
}

/** An optional authorization: presence byte, then the 33-byte key and the 64-byte signature. */
export function writeOptionalAuthorization(
  writer: ByteWriter,
  value: Authorization | null,
  field: string,
): void {
  if (value !== null && typeof value !== 'object') {
    throw encodeError(field, 'not_object', 'expected an authorization or null');
  }
  writer.presence(value !== null, field);
  if (value === null) return;
  writePublicKey(writer, value.publicKey, `${field}.publicKey`);
  writeSignature(writer, value.signature, `${field}.signature`);
}

export function readOptionalAuthorization(reader: ByteReader): Authorization | null {
  if (!reader.presence()) return null;
  const publicKey = readPublicKey(reader);
  const signature = readSignature(reader);
  return { publicKey, signature };
}

/** u32 count (at most MAX_MULTISIG_OWNERS), then the 33-byte keys, strictly ascending bytewise. */
export function writeOwners(writer: ByteWriter, owners: PublicKey[], field: string): void {
  writer.count(owners, MAX_MULTISIG_OWNERS, field);
  owners.forEach((owner, i) => {
    writePublicKey(writer, owner, `${field}[${i}]`);
    const previous = owners[i - 1];
    if (previous !== undefined && compareBytes(previous, owner) >= 0) {
      throw encodeError(`${field}[${i}]`, 'not_ascending', 'owners must be strictly ascending and distinct');
    }
  });
}

export function readOwners(reader: ByteReader): PublicKey[] {
  const count = reader.count(MAX_MULTISIG_OWNERS, PUBLIC_KEY_BYTES);
  const owners: PublicKey[] = [];
  for (let i = 0; i < count; i++) {
    const start = reader.position;
    const owner = readPublicKey(reader);
    const previous = owners[i - 1];
    if (previous !== undefined && compareBytes(previous, owner) >= 0) {
      throw decodeError('not_ascending', start, 'owners must be strictly ascending and distinct');
    }
    owners.push(owner);
  }
  return owners;
}

/** A threshold: u8 in 1..MAX_MULTISIG_OWNERS (the ledger checks it against the owner count). */
export function writeThreshold(writer: ByteWriter, threshold: number, field: string): void {
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > MAX_MULTISIG_OWNERS) {
    throw encodeError(field, 'out_of_range', `expected an integer in 1..${MAX_MULTISIG_OWNERS}`);
  }
  writer.u8(threshold, field);
}

export function readThreshold(reader: ByteReader): number {
  const start = reader.position;
  const threshold = reader.u8();
  if (threshold < 1 || threshold > MAX_MULTISIG_OWNERS) {
    throw decodeError('out_of_range', start, `threshold ${threshold} is outside 1..${MAX_MULTISIG_OWNERS}`);
  }
  return threshold;
}

/**
 * u32 count (at most MAX_MULTISIG_OWNERS), then per signature a u8 owner index (below
 * MAX_MULTISIG_OWNERS, strictly ascending) and the 64-byte signature.
 */
export function writeIndexedSignatures(
  writer: ByteWriter,
  signatures: IndexedSignature[],
  field: string,
): void {
  writer.count(signatures, MAX_MULTISIG_OWNERS, field);
  signatures.forEach((entry, i) => {
    const entryField = `${field}[${i}]`;
    if (typeof entry !== 'object' || entry === null)
      throw encodeError(entryField, 'not_object', 'expected an object');
    const { ownerIndex } = entry;
    if (!Number.isInteger(ownerIndex) || ownerIndex < 0 || ownerIndex >= MAX_MULTISIG_OWNERS) {
      throw encodeError(`${entryField}.ownerIndex`, 'out_of_range', `expected 0..${MAX_MULTISIG_OWNERS - 1}`);
    }
    const previous = signatures[i - 1];
    if (previous !== undefined && previous.ownerIndex >= ownerIndex) {
      throw encodeError(
        `${entryField}.ownerIndex`,
        'not_ascending',
        'owner indexes must be strictly ascending',
      );
    }
    writer.u8(ownerIndex, `${entryField}.ownerIndex`);
    writeSignature(writer, entry.signature, `${entryField}.signature`);
  });
}

export function readIndexedSignatures(reader: ByteReader): IndexedSignature[] {
  const count = reader.count(MAX_MULTISIG_OWNERS, 1 + SIGNATURE_BYTES);
  const signatures: IndexedSignature[] = [];
  for (let i = 0; i < count; i++) {
    const start = reader.position;
    const ownerIndex = reader.u8();
    if (ownerIndex >= MAX_MULTISIG_OWNERS) {
      throw decodeError(
        'out_of_range',
        start,
        `owner index ${ownerIndex} is not below ${MAX_MULTISIG_OWNERS}`,
      );
    }
    const previous = signatures[i - 1];
    if (previous !== undefined && previous.ownerIndex >= ownerIndex) {
      throw decodeError('not_ascending', start, 'owner indexes must be strictly ascending');
    }
    const signature = readSignature(reader);
    signatures.push({ ownerIndex, signature });
  }
  return signatures;
}
