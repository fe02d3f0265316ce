import type { MerkleProof } from '@shardpay/crypto';
import { HASH_BYTES, MAX_MERKLE_PROOF_DEPTH } from '../codec/limits.ts';
import { childPath, hexToJson, readArray, readHex, readInteger, readObject } from './jsonFields.ts';

/** JSON form of a Merkle inclusion proof: siblings as hex, leaf level first. */
export interface MerkleProofJson {
  index: number;
  leafCount: number;
  siblings: string[];
}

/** The JSON form of a Merkle proof. */
export function merkleProofToJson(proof: MerkleProof): MerkleProofJson {
  return { index: proof.index, leafCount: proof.leafCount, siblings: proof.siblings.map(hexToJson) };
}

/** Reads a Merkle proof's JSON form strictly; throws JSON_INVALID with `meta.path`. */
export function merkleProofFromJson(json: unknown, path = ''): MerkleProof {
  const o = readObject(json, path, ['index', 'leafCount', 'siblings']);
  return {
    index: readInteger(o.index, childPath(path, 'index'), 0, 0xffff_ffff),
    leafCount: readInteger(o.leafCount, childPath(path, 'leafCount'), 0, 0xffff_ffff),
    siblings: readArray(o.siblings, childPath(path, 'siblings'), MAX_MERKLE_PROOF_DEPTH, (value, p) =>
      readHex(value, p, HASH_BYTES),
    ),
  };
}
