import type { Proposal, ProposalBody } from '../types.ts';
import type { ByteReader } from './ByteReader.ts';
import { type ByteWriter, encodeError } from './ByteWriter.ts';
import { readChainId, readHash, readSignature, writeChainId, writeHash, writeSignature } from './fields.ts';
import { ObjectKind } from './objectKind.ts';
import { decodeTopLevel, encodeTopLevel } from './topLevel.ts';

/** `validRound` is -1 or a round: written as an optional u32 (absent = -1). */
export function writeProposalBody(writer: ByteWriter, body: ProposalBody): void {
  writeChainId(writer, body.chainId);
  writer.u16(body.shard, 'shard');
  writer.u64(body.height, 'height');
  writer.u32(body.round, 'round');
  if (body.validRound === -1) {
    writer.presence(false, 'validRound');
  } else {
    if (typeof body.validRound !== 'number' || body.validRound < 0) {
      throw encodeError(
        'validRound',
        'out_of_range',
        `expected -1 or a round, got ${String(body.validRound)}`,
      );
    }
    writer.presence(true, 'validRound');
    writer.u32(body.validRound, 'validRound');
  }
  writeHash(writer, body.blockHash, 'blockHash');
  writer.u16(body.proposerIndex, 'proposerIndex');
}

export function readProposalBody(reader: ByteReader): ProposalBody {
  const chainId = readChainId(reader);
  const shard = reader.u16();
  const height = reader.u64();
  const round = reader.u32();
  const validRound = reader.presence() ? reader.u32() : -1;
  const blockHash = readHash(reader);
  const proposerIndex = reader.u16();
  return { chainId, shard, height, round, validRound, blockHash, proposerIndex };
}

/** A proposal inside another object: the body fields, then the signature. */
export function writeProposal(writer: ByteWriter, proposal: Proposal): void {
  writeProposalBody(writer, proposal);
  writeSignature(writer, proposal.signature, 'signature');
}

export function readProposal(reader: ByteReader): Proposal {
  const body = readProposalBody(reader);
  const signature = readSignature(reader);
  return { ...body, signature };
}

/** Canonical bytes of what a proposer signs (kind 0x08). */
export function encodeProposalBody(body: ProposalBody): Uint8Array {
  return encodeTopLevel(ObjectKind.proposalBody, body, writeProposalBody);
}

/** Decodes `encodeProposalBody` bytes; throws DECODE_ERROR on anything non-canonical. */
export function decodeProposalBody(bytes: Uint8Array): ProposalBody {
  return decodeTopLevel(bytes, ObjectKind.proposalBody, 'proposal body', readProposalBody);
}

/** Canonical bytes of a signed proposal (kind 0x09). */
export function encodeProposal(proposal: Proposal): Uint8Array {
  return encodeTopLevel(ObjectKind.proposal, proposal, writeProposal);
}

/** Decodes `encodeProposal` bytes; throws DECODE_ERROR on anything non-canonical. */
export function decodeProposal(bytes: Uint8Array): Proposal {
  return decodeTopLevel(bytes, ObjectKind.proposal, 'proposal', readProposal);
}
