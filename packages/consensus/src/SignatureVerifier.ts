import type { Proposal, PublicKey, Vote } from '@shardpay/protocol';
import { isProposalSignatureValid, isVoteSignatureValid } from '@shardpay/protocol';

/** Checks message signatures for the engine; swap in a caching one where many engines share a process. */
export interface SignatureVerifier {
  isVoteValid(vote: Vote, publicKey: PublicKey): boolean;
  isProposalValid(proposal: Proposal, publicKey: PublicKey): boolean;
}

/** Verifies with protocol's signing hashes and secp256k1. */
export const protocolSignatureVerifier: SignatureVerifier = {
  isVoteValid: isVoteSignatureValid,
  isProposalValid: isProposalSignatureValid,
};
