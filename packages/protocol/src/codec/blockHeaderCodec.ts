import type { BlockHeader } from '../types.ts';
import type { ByteReader } from './ByteReader.ts';
import type { ByteWriter } from './ByteWriter.ts';
import { readChainId, readHash, writeChainId, writeHash } from './fields.ts';
import { ObjectKind } from './objectKind.ts';
import { decodeTopLevel, encodeTopLevel } from './topLevel.ts';

export function writeBlockHeader(writer: ByteWriter, header: BlockHeader): void {
  writeChainId(writer, header.chainId);
  writer.u16(header.shard, 'shard');
  writer.u64(header.height, 'height');
  writer.u64(header.timestampMs, 'timestampMs');
  writeHash(writer, header.parentHash, 'parentHash');
  writer.u16(header.proposerIndex, 'proposerIndex');
  writeHash(writer, header.txRoot, 'txRoot');
  writeHash(writer, header.incomingRoot, 'incomingRoot');
  writeHash(writer, header.stateRoot, 'stateRoot');
  writeHash(writer, header.receiptsRoot, 'receiptsRoot');
  writeHash(writer, header.lastCommitHash, 'lastCommitHash');
}

export function readBlockHeader(reader: ByteReader): BlockHeader {
  const chainId = readChainId(reader);
  const shard = reader.u16();
  const height = reader.u64();
  const timestampMs = reader.u64();
  const parentHash = readHash(reader);
  const proposerIndex = reader.u16();
  const txRoot = readHash(reader);
  const incomingRoot = readHash(reader);
  const stateRoot = readHash(reader);
  const receiptsRoot = readHash(reader);
  const lastCommitHash = readHash(reader);
  return {
    chainId,
    shard,
    height,
    timestampMs,
    parentHash,
    proposerIndex,
    txRoot,
    incomingRoot,
    stateRoot,
    receiptsRoot,
    lastCommitHash,
  };
}

/** Canonical bytes of a block header (kind 0x04); the block hash is their sha256. */
export function encodeBlockHeader(header: BlockHeader): Uint8Array {
  return encodeTopLevel(ObjectKind.blockHeader, header, writeBlockHeader);
}

/** Decodes `encodeBlockHeader` bytes; throws DECODE_ERROR on anything non-canonical. */
export function decodeBlockHeader(bytes: Uint8Array): BlockHeader {
  return decodeTopLevel(bytes, ObjectKind.blockHeader, 'block header', readBlockHeader);
}
