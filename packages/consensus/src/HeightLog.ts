import { bytesToHex, equalBytes } from '@shardpay/crypto';
import type { DuplicateVoteEvidence, Hash, Proposal, Vote, VoteType } from '@shardpay/protocol';

/** Tally key of a nil vote; a block's key is its hash in hex. */
export const NIL_KEY = 'nil';

/** The tally key of a vote's value. */
export function valueKey(blockHash: Hash | null): string {
  return blockHash === null ? NIL_KEY : bytesToHex(blockHash);
}

/** Distinct proposals kept per round: an equivocating proposer cannot make the log grow without bound. */
export const MAX_PROPOSALS_PER_ROUND = 4;

interface VoteTally {
  /** The first vote of each validator: the only one that counts. */
  byValidator: Map<number, Vote>;
  countByValue: Map<string, number>;
}

interface RoundMessages {
  /** From the round's proposer, distinct, in arrival order. */
  proposals: Proposal[];
  /**
   * Conflicting prevotes (a validator's second, different one) for values that a proposal claims
   * had a polka in this round (its `validRound`), by value key then validator. They count only
   * toward that claimed polka (rule 2): see `claimedPolkaCount`.
   */
  claimedConflicts: Map<string, Map<number, Vote>>;
  prevote: VoteTally;
  precommit: VoteTally;
  /** Validators with any message (proposal or vote) in this round: rule 8 counts them. */
  senders: Set<number>;
}

export type AddVoteResult =
  | { kind: 'added' }
  /** The same vote again (same value): nothing new. */
  | { kind: 'duplicate' }
  /**
   * A different vote from a validator who already voted: evidence the first time. It is not counted,
   * except toward a polka a proposal claims (`countsForClaim`, see `claimedPolkaCount`).
   */
  | { kind: 'conflict'; evidence: DuplicateVoteEvidence | null; countsForClaim: boolean };

export type AddProposalResult = 'added' | 'duplicate' | 'full';

/** The proposals and votes of one height, tallied per round and value. */
export interface HeightLog {
  readonly height: bigint;
  /** True when this exact message is stored, so a repeat needs no signature check. */
  hasVote(vote: Vote): boolean;
  hasProposal(proposal: Proposal): boolean;
  addVote(vote: Vote): AddVoteResult;
  addProposal(proposal: Proposal): AddProposalResult;
  proposals(round: number): readonly Proposal[];
  /** Votes of `type` at `round` for `key` (`valueKey(hash)`). */
  count(round: number, type: VoteType, key: string): number;
  /**
   * Prevotes at `round` for `key` counting, besides first votes, the conflicting prevotes of
   * double-signers for a value some proposal claims had a polka in `round`. Tendermint-core does the
   * same when a peer claims a 2/3 majority (VoteSet peerMaj23): without it, an equivocator that told
   * validators different things could hide a polka from some of them forever, and validators locked
   * on it could never be joined (a liveness failure the simulator finds). Safety is intact: within
   * one value's set a validator still counts once, and two sets of 2f+1 for different values share
   * an honest validator, who never votes twice.
   */
  claimedPolkaCount(round: number, key: string): number;
  /** The prevotes behind `claimedPolkaCount`: what a validator re-sends so others see its valid value's polka. */
  claimedPolkaVotes(round: number, blockHash: Hash): Vote[];
  /** Votes of `type` at `round`, whatever their value (one per validator). */
  total(round: number, type: VoteType): number;
  /** The counted votes of `type` at `round` for `blockHash`. */
  votesFor(round: number, type: VoteType, blockHash: Hash): Vote[];
  /** The vote `validatorIndex` cast (the counted one), if any. */
  voteOf(round: number, type: VoteType, validatorIndex: number): Vote | undefined;
  /** Rounds that hold any message, ascending. */
  rounds(): number[];
  /** How many validators sent anything in `round`. */
  senderCount(round: number): number;
}

function createTally(): VoteTally {
  return { byValidator: new Map(), countByValue: new Map() };
}

function sameValue(a: Hash | null, b: Hash | null): boolean {
  return a === null || b === null ? a === b : equalBytes(a, b);
}

/** An empty log for `height`. */
export function createHeightLog(height: bigint): HeightLog {
  const byRound = new Map<number, RoundMessages>();
  /** `${validator}/${round}/${type}` already reported, so one equivocation gives one evidence. */
  const reported = new Set<string>();

  function roundOf(round: number): RoundMessages {
    let messages = byRound.get(round);
    if (messages === undefined) {
      messages = {
        proposals: [],
        claimedConflicts: new Map(),
        prevote: createTally(),
        precommit: createTally(),
        senders: new Set(),
      };
      byRound.set(round, messages);
    }
    return messages;
  }

  function isSameProposal(a: Proposal, b: Proposal): boolean {
    return a.validRound === b.validRound && equalBytes(a.blockHash, b.blockHash);
  }

  function votesFor(round: number, type: VoteType, blockHash: Hash): Vote[] {
    const tally = byRound.get(round)?.[type];
    if (tally === undefined) return [];
    return [...tally.byValidator.values()].filter(
      (v) => v.blockHash !== null && equalBytes(v.blockHash, blockHash),
    );
  }

  /** True when some proposal of this height claims a polka for `key` in `round`. */
  function isClaimed(round: number, key: string): boolean {
    for (const messages of byRound.values()) {
      if (messages.proposals.some((p) => p.validRound === round && bytesToHex(p.blockHash) === key))
        return true;
    }
    return false;
  }

  return {
    height,
    hasVote(vote) {
      const messages = byRound.get(vote.round);
      const stored = messages?.[vote.type].byValidator.get(vote.validatorIndex);
      if (stored === undefined) return false;
      if (sameValue(stored.blockHash, vote.blockHash)) return true;
      return messages?.claimedConflicts.get(valueKey(vote.blockHash))?.has(vote.validatorIndex) ?? false;
    },
    hasProposal(proposal) {
      return byRound.get(proposal.round)?.proposals.some((p) => isSameProposal(p, proposal)) ?? false;
    },
    addVote(vote) {
      const messages = roundOf(vote.round);
      const tally = messages[vote.type];
      const stored = tally.byValidator.get(vote.validatorIndex);
      if (stored !== undefined) {
        if (sameValue(stored.blockHash, vote.blockHash)) return { kind: 'duplicate' };
        const valueOfVote = valueKey(vote.blockHash);
        const countsForClaim =
          vote.type === 'prevote' && vote.blockHash !== null && isClaimed(vote.round, valueOfVote);
        if (countsForClaim) {
          const conflicts = messages.claimedConflicts.get(valueOfVote) ?? new Map<number, Vote>();
          conflicts.set(vote.validatorIndex, vote);
          messages.claimedConflicts.set(valueOfVote, conflicts);
        }
        const key = `${vote.validatorIndex}/${vote.round}/${vote.type}`;
        if (reported.has(key)) return { kind: 'conflict', evidence: null, countsForClaim };
        reported.add(key);
        return { kind: 'conflict', evidence: { voteA: stored, voteB: vote }, countsForClaim };
      }
      tally.byValidator.set(vote.validatorIndex, vote);
      const key = valueKey(vote.blockHash);
      tally.countByValue.set(key, (tally.countByValue.get(key) ?? 0) + 1);
      messages.senders.add(vote.validatorIndex);
      return { kind: 'added' };
    },
    addProposal(proposal) {
      const messages = roundOf(proposal.round);
      if (messages.proposals.some((p) => isSameProposal(p, proposal))) return 'duplicate';
      if (messages.proposals.length >= MAX_PROPOSALS_PER_ROUND) return 'full';
      messages.proposals.push(proposal);
      messages.senders.add(proposal.proposerIndex);
      return 'added';
    },
    proposals(round) {
      return byRound.get(round)?.proposals ?? [];
    },
    count(round, type, key) {
      return byRound.get(round)?.[type].countByValue.get(key) ?? 0;
    },
    claimedPolkaCount(round, key) {
      const messages = byRound.get(round);
      if (messages === undefined) return 0;
      return (messages.prevote.countByValue.get(key) ?? 0) + (messages.claimedConflicts.get(key)?.size ?? 0);
    },
    claimedPolkaVotes(round, blockHash) {
      const conflicts = byRound.get(round)?.claimedConflicts.get(bytesToHex(blockHash));
      return [...votesFor(round, 'prevote', blockHash), ...(conflicts?.values() ?? [])];
    },
    total(round, type) {
      return byRound.get(round)?.[type].byValidator.size ?? 0;
    },
    votesFor,
    voteOf(round, type, validatorIndex) {
      return byRound.get(round)?.[type].byValidator.get(validatorIndex);
    },
    rounds() {
      return [...byRound.keys()].sort((a, b) => a - b);
    },
    senderCount(round) {
      return byRound.get(round)?.senders.size ?? 0;
    },
  };
}
