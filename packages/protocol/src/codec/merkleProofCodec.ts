import type { MerkleProof } from '@shardpay/crypto';
import type { ByteReader } from './ByteReader.ts';
import type { ByteWriter } from './ByteWriter.ts';
import { readHash, writeHash } from './fields.ts';
import { HASH_BYTES, MAX_MERKLE_PROOF_DEPTH } from './limits.ts';
import { ObjectKind } from './objectKind.ts';
import { decodeTopLevel, encodeTopLevel } from './topLevel.ts';

/** index u32, leafCount u32, then a u32 count of 32-byte siblings (leaf level first). */
export function writeMerkleProof(writer: ByteWriter, proof: MerkleProof, field: string): void {
  writer.u32(proof.index, `${field}.index`);
  writer.u32(proof.leafCount, `${field}.leafCount`);
  writer.count(proof.siblings, MAX_MERKLE_PROOF_DEPTH, `${field}.siblings`);
  proof.siblings.forEach((sibling, i) => {
    writeHash(writer, sibling, `${field}.siblings[${i}]`);
  });
}

export function readMerkleProof(reader: ByteReader): MerkleProof {
  const index = reader.u32();
  const leafCount = reader.u32();
  const count = reader.count(MAX_MERKLE_PROOF_DEPTH, HASH_BYTES);
  const siblings: Uint8Array[] = [];
  for (let i = 0; i < count; i++) siblings.push(readHash(reader));
  return { index, leafCount, siblings };
}

/** Canonical bytes of a Merkle inclusion proof on its own (kind 0x0e). */
export function encodeMerkleProof(proof: MerkleProof): Uint8Array {
  return encodeTopLevel(ObjectKind.merkleProof, proof, (writer, value) =>
    writeMerkleProof(writer, value, 'proof'),
  );
}

/** Decodes `encodeMerkleProof` bytes; throws DECODE_ERROR on anything non-canonical. */
export function decodeMerkleProof(bytes: Uint8Array): MerkleProof {
  return decodeTopLevel(bytes, ObjectKind.merkleProof, 'merkle proof', readMerkleProof);
}
