import { concatBytes, ShardpayError } from '@shardpay/crypto';
import type { Proposal, Vote } from '@shardpay/protocol';
import { decodeProposal, decodeVote, encodeProposal, encodeVote } from '@shardpay/protocol';
import type { Step } from './ConsensusEvent.ts';

/**
 * One WAL record: a message this validator signed, written before it is sent. The records of a
 * height hold every (height, round, step) the validator has signed, so the last one signed is always
 * on disk and `restore` can re-send instead of signing anew.
 */
export type WalRecord = { type: 'proposal'; proposal: Proposal } | { type: 'vote'; vote: Vote };

/** First byte of an encoded WAL record; the rest is protocol's canonical encoding of the message. */
const WAL_TAG = { proposal: 1, vote: 2 } as const;

/** The height whose WAL holds `record`. */
export function walRecordHeight(record: WalRecord): bigint {
  return record.type === 'proposal' ? record.proposal.height : record.vote.height;
}

/** The (round, step) a record signs: a proposal is the propose step, a vote its own type's step. */
export function walRecordStep(record: WalRecord): { height: bigint; round: number; step: Step } {
  if (record.type === 'proposal') {
    const { height, round } = record.proposal;
    return { height, round, step: 'propose' };
  }
  const { height, round, type } = record.vote;
  return { height, round, step: type };
}

/** Canonical bytes of a WAL record: a tag byte, then the message's protocol encoding. */
export function encodeWalRecord(record: WalRecord): Uint8Array {
  const body = record.type === 'proposal' ? encodeProposal(record.proposal) : encodeVote(record.vote);
  return concatBytes(Uint8Array.of(WAL_TAG[record.type]), body);
}

/** Reads bytes written by `encodeWalRecord`; throws CONSENSUS_WAL_INVALID or protocol's DECODE_ERROR. */
export function decodeWalRecord(bytes: Uint8Array): WalRecord {
  const tag = bytes[0];
  const body = bytes.subarray(1);
  if (tag === WAL_TAG.proposal) return { type: 'proposal', proposal: decodeProposal(body) };
  if (tag === WAL_TAG.vote) return { type: 'vote', vote: decodeVote(body) };
  throw new ShardpayError('CONSENSUS_WAL_INVALID', `unknown WAL record tag ${String(tag)}`, {
    meta: { reason: 'unknown_tag', tag },
  });
}
