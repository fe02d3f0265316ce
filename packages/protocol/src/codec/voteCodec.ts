import type { Vote, VoteBody } from '../types.ts';
import type { ByteReader } from './ByteReader.ts';
import type { ByteWriter } from './ByteWriter.ts';
import {
  readChainId,
  readOptionalHash,
  readSignature,
  writeChainId,
  writeOptionalHash,
  writeSignature,
} from './fields.ts';
import { ObjectKind } from './objectKind.ts';
import { voteTypeTags } from './tags.ts';
import { decodeTopLevel, encodeTopLevel } from './topLevel.ts';

export function writeVoteBody(writer: ByteWriter, body: VoteBody): void {
  writeChainId(writer, body.chainId);
  writer.u16(body.shard, 'shard');
  writer.u64(body.height, 'height');
  writer.u32(body.round, 'round');
  writer.u8(voteTypeTags.toTag(body.type, 'type'), 'type');
  writeOptionalHash(writer, body.blockHash, 'blockHash');
  writer.u16(body.validatorIndex, 'validatorIndex');
}

export function readVoteBody(reader: ByteReader): VoteBody {
  const chainId = readChainId(reader);
  const shard = reader.u16();
  const height = reader.u64();
  const round = reader.u32();
  const type = reader.tag(voteTypeTags.fromTag, 'vote type');
  const blockHash = readOptionalHash(reader);
  const validatorIndex = reader.u16();
  return { chainId, shard, height, round, type, blockHash, validatorIndex };
}

/** A vote inside another object: the body fields, then the signature. */
export function writeVote(writer: ByteWriter, vote: Vote): void {
  writeVoteBody(writer, vote);
  writeSignature(writer, vote.signature, 'signature');
}

export function readVote(reader: ByteReader): Vote {
  const body = readVoteBody(reader);
  const signature = readSignature(reader);
  return { ...body, signature };
}

/** Canonical bytes of what a validator signs for a vote (kind 0x06). */
export function encodeVoteBody(body: VoteBody): Uint8Array {
  return encodeTopLevel(ObjectKind.voteBody, body, writeVoteBody);
}

/** Decodes `encodeVoteBody` bytes; throws DECODE_ERROR on anything non-canonical. */
export function decodeVoteBody(bytes: Uint8Array): VoteBody {
  return decodeTopLevel(bytes, ObjectKind.voteBody, 'vote body', readVoteBody);
}

/** Canonical bytes of a signed vote (kind 0x07). */
export function encodeVote(vote: Vote): Uint8Array {
  return encodeTopLevel(ObjectKind.vote, vote, writeVote);
}

/** Decodes `encodeVote` bytes; throws DECODE_ERROR on anything non-canonical. */
export function decodeVote(bytes: Uint8Array): Vote {
  return decodeTopLevel(bytes, ObjectKind.vote, 'vote', readVote);
}
