import type { CommitCertificate, DuplicateVoteEvidence, Hash, Proposal, Vote } from '@shardpay/protocol';
import type { Step } from './ConsensusEvent.ts';
import type { WalRecord } from './WalRecord.ts';

/**
 * What the engine asks the driver to do. Execute each list in order, and let `persistWal` and
 * `commit` be durable before the next action runs: a `persistWal` always precedes the broadcast of
 * the message it records, so nothing signed leaves the process before it is on disk.
 */
export type ConsensusAction =
  /** Append to the WAL of `walRecordHeight(record)`, durably (fsync), before anything else. */
  | { type: 'persistWal'; record: WalRecord }
  | { type: 'broadcastProposal'; proposal: Proposal }
  | { type: 'broadcastVote'; vote: Vote }
  /** Deliver `{type: 'timeout', height, round, step}` after `durationMs`. */
  | { type: 'scheduleTimeout'; height: bigint; round: number; step: Step; durationMs: number }
  /** Answer with `blockValidity` once the application has judged the block (fetching it if needed). */
  | { type: 'requestValidity'; height: bigint; blockHash: Hash }
  /** This validator proposes: build a block and answer with `blockToPropose`. */
  | { type: 'requestBlock'; height: bigint; round: number }
  /**
   * `blockHash` is final at `height`: apply and store it with `certificate`. `source` says whether
   * this engine decided it (`consensus`) or took a peer's certificate (`catchUp`).
   */
  | {
      type: 'commit';
      height: bigint;
      round: number;
      blockHash: Hash;
      certificate: CommitCertificate;
      source: 'consensus' | 'catchUp';
    }
  /** A validator signed two different votes for one (height, round, type). */
  | { type: 'reportEvidence'; evidence: DuplicateVoteEvidence };

/** A signed message the engine holds, as re-sent to peers that may have missed it. */
export type GossipMessage = { type: 'proposal'; proposal: Proposal } | { type: 'vote'; vote: Vote };
