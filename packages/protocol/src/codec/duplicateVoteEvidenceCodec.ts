import type { DuplicateVoteEvidence } from '../types.ts';
import type { ByteReader } from './ByteReader.ts';
import type { ByteWriter } from './ByteWriter.ts';
import { ObjectKind } from './objectKind.ts';
import { decodeTopLevel, encodeTopLevel } from './topLevel.ts';
import { readVote, writeVote } from './voteCodec.ts';

export function writeDuplicateVoteEvidence(writer: ByteWriter, evidence: DuplicateVoteEvidence): void {
  writeVote(writer, evidence.voteA);
  writeVote(writer, evidence.voteB);
}

export function readDuplicateVoteEvidence(reader: ByteReader): DuplicateVoteEvidence {
  const voteA = readVote(reader);
  const voteB = readVote(reader);
  return { voteA, voteB };
}

/** Canonical bytes of equivocation evidence (kind 0x0b): vote A, then vote B. */
export function encodeDuplicateVoteEvidence(evidence: DuplicateVoteEvidence): Uint8Array {
  return encodeTopLevel(ObjectKind.duplicateVoteEvidence, evidence, writeDuplicateVoteEvidence);
}

/** Decodes `encodeDuplicateVoteEvidence` bytes; throws DECODE_ERROR on anything non-canonical. */
export function decodeDuplicateVoteEvidence(bytes: Uint8Array): DuplicateVoteEvidence {
  return decodeTopLevel(
    bytes,
    ObjectKind.duplicateVoteEvidence,
    'duplicate vote evidence',
    readDuplicateVoteEvidence,
  );
}
