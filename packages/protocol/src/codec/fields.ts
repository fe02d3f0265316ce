/**
 * Field helpers shared by the object codecs, so that each field type has one wire form.
 */
import { MAX_CHAIN_ID_BYTES } from '../types.ts';
import type { ByteReader } from './ByteReader.ts';
import type { ByteWriter } from './ByteWriter.ts';
import { ADDRESS_BYTES, HASH_BYTES, PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './limits.ts';

export function writeChainId(writer: ByteWriter, value: string): void {
  writer.string(value, MAX_CHAIN_ID_BYTES, 'chainId');
}

export function readChainId(reader: ByteReader): string {
  return reader.string(MAX_CHAIN_ID_BYTES);
}

export function writeAddress(writer: ByteWriter, value: Uint8Array, field: string): void {
  writer.fixedBytes(value, ADDRESS_BYTES, field);
}

export function readAddress(reader: ByteReader): Uint8Array {
  return reader.fixedBytes(ADDRESS_BYTES);
}

export function writeHash(writer: ByteWriter, value: Uint8Array, field: string): void {
  writer.fixedBytes(value, HASH_BYTES, field);
}

export function readHash(reader: ByteReader): Uint8Array {
  return reader.fixedBytes(HASH_BYTES);
}

/** An optional hash: presence byte, then 32 bytes when present. */
export function writeOptionalHash(writer: ByteWriter, value: Uint8Array | null, field: string): void {
  writer.presence(value !== null, field);
  if (value !== null) writeHash(writer, value, field);
}

export function readOptionalHash(reader: ByteReader): Uint8Array | null {
  return reader.presence() ? readHash(reader) : null;
}

export function writePublicKey(writer: ByteWriter, value: Uint8Array, field: string): void {
  writer.fixedBytes(value, PUBLIC_KEY_BYTES, field);
}

export function readPublicKey(reader: ByteReader): Uint8Array {
  return reader.fixedBytes(PUBLIC_KEY_BYTES);
}

export function writeSignature(writer: ByteWriter, value: Uint8Array, field: string): void {
  writer.fixedBytes(value, SIGNATURE_BYTES, field);
}

export function readSignature(reader: ByteReader): Uint8Array {
  return reader.fixedBytes(SIGNATURE_BYTES);
}
