import type { Proposal, ProposalBody, Vote, VoteBody } from '@shardpay/protocol';
import { signProposal, signVote } from '@shardpay/protocol';

/**
 * Signs for the engine. Signatures are deterministic (RFC 6979), so signing one body twice gives one
 * message; the engine still never asks twice for one (height, round, step).
 */
export interface ConsensusSigner {
  signVote(body: VoteBody): Vote;
  signProposal(body: ProposalBody): Proposal;
}

/** A signer holding the validator's private key in memory. */
export function createPrivateKeySigner(privateKey: Uint8Array): ConsensusSigner {
  return {
    signVote: (body) => signVote(body, privateKey),
    signProposal: (body) => signProposal(body, privateKey),
  };
}
