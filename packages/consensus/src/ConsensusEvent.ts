import type { CommitCertificate, Hash, Proposal, Vote } from '@shardpay/protocol';
import type { WalRecord } from './WalRecord.ts';

/** The step of a round. Each names the timeout that ends it. */
export type Step = 'propose' | 'prevote' | 'precommit';

/**
 * What the driver tells the engine. Every event returns the actions to execute, in order.
 * Messages from peers that are stale (an older height or round) are ignored; malformed or badly
 * signed ones throw CONSENSUS_MESSAGE_INVALID without changing the engine.
 */
export type ConsensusEvent =
  /** Begin `height` at round 0 (first start, or a fresh node with an empty WAL). */
  | { type: 'start'; height: bigint }
  /** Resume `height` after a restart from this validator's WAL records (instead of `start`). */
  | { type: 'restore'; height: bigint; walRecords: readonly WalRecord[] }
  /** A signed proposal; the block body itself stays with the application, found by `blockHash`. */
  | { type: 'proposal'; proposal: Proposal }
  /** A signed prevote or precommit. */
  | { type: 'vote'; vote: Vote }
  /** A timeout the engine scheduled has fired. */
  | { type: 'timeout'; height: bigint; round: number; step: Step }
  /** The application's answer to `requestValidity`. */
  | { type: 'blockValidity'; height: bigint; blockHash: Hash; valid: boolean }
  /** The application's answer to `requestBlock`: the hash of the block it built (and keeps). */
  | { type: 'blockToPropose'; height: bigint; round: number; blockHash: Hash }
  /** Block sync: a block committed by the committee, proven by its certificate (catch-up). */
  | { type: 'committedBlock'; height: bigint; blockHash: Hash; certificate: CommitCertificate };
