import { ShardpayError } from '@shardpay/crypto';
import type { Committee } from '@shardpay/protocol';
import type { Step } from './ConsensusEvent.ts';

/** One step's timeout: `baseMs + round × deltaMs`, so later rounds wait longer (partial synchrony). */
export interface TimeoutSchedule {
  baseMs: number;
  deltaMs: number;
}

export interface ConsensusTimeouts {
  propose: TimeoutSchedule;
  prevote: TimeoutSchedule;
  precommit: TimeoutSchedule;
}

/**
 * Tendermint's long-standing defaults: 3 s (+0.5 s per round) to hear a proposal, 1 s (+0.5 s per
 * round) after seeing any 2f+1 prevotes or precommits.
 */
export const DEFAULT_TIMEOUTS: ConsensusTimeouts = {
  propose: { baseMs: 3000, deltaMs: 500 },
  prevote: { baseMs: 1000, deltaMs: 500 },
  precommit: { baseMs: 1000, deltaMs: 500 },
};

/** How far beyond the current round the engine stores messages; later ones are dropped (memory bound). */
export const DEFAULT_MAX_ROUNDS_AHEAD = 1000;

/**
 * TEST ONLY. Deliberate bugs that break the algorithm, so tests can show the simulator's checkers
 * catch them. Every flag is off by default and no production composition root may set one.
 */
export interface ConsensusTestFaults {
  /** Prevote for any valid proposal, ignoring `lockedValue`/`lockedRound` (rules 1 and 2). Unsafe. */
  ignoreLock?: boolean;
}

export interface ConsensusConfig {
  chainId: string;
  shard: number;
  /** The shard's committee; `validators[i]` is validator index i. */
  committee: Committee;
  /** This validator's index in `committee.validators`. */
  validatorIndex: number;
  /** Per-step timeout schedules; missing steps take `DEFAULT_TIMEOUTS`. */
  timeouts?: Partial<ConsensusTimeouts>;
  /**
   * When true the engine does not verify proposal and vote signatures: the driver promises it has
   * (e.g. in gossip validation, where a bad signature can also cost the sending peer its score).
   * Default false: the engine verifies every message it has not already stored.
   */
  signaturesPreverified?: boolean;
  /** Messages for rounds beyond `round + maxRoundsAhead` are ignored. Default 1000. */
  maxRoundsAhead?: number;
  /** TEST ONLY: see `ConsensusTestFaults`. */
  faults?: ConsensusTestFaults;
}

/** The configuration with every default filled in and every field checked. */
export interface ResolvedConsensusConfig {
  chainId: string;
  shard: number;
  committee: Committee;
  validatorIndex: number;
  timeouts: ConsensusTimeouts;
  signaturesPreverified: boolean;
  maxRoundsAhead: number;
  faults: Required<ConsensusTestFaults>;
}

function configInvalid(reason: string, message: string): ShardpayError {
  return new ShardpayError('CONSENSUS_CONFIG_INVALID', message, { meta: { reason } });
}

function assertTimeoutSchedule(step: Step, schedule: TimeoutSchedule): void {
  const { baseMs, deltaMs } = schedule;
  if (!Number.isFinite(baseMs) || baseMs <= 0 || !Number.isFinite(deltaMs) || deltaMs < 0) {
    throw configInvalid('invalid_timeout', `timeout ${step}: baseMs must be > 0 and deltaMs ≥ 0`);
  }
}

/** Fills in defaults and throws CONSENSUS_CONFIG_INVALID (meta.reason) on an unusable configuration. */
export function resolveConsensusConfig(config: ConsensusConfig): ResolvedConsensusConfig {
  const n = config.committee.validators.length;
  if (n < 1) throw configInvalid('empty_committee', 'the committee has no validators');
  if (!Number.isInteger(config.validatorIndex) || config.validatorIndex < 0 || config.validatorIndex >= n) {
    throw configInvalid(
      'invalid_validator_index',
      `validator index ${config.validatorIndex} is not in 0..${n - 1}`,
    );
  }
  if (config.committee.shard !== config.shard) {
    throw configInvalid(
      'wrong_committee',
      `the committee is shard ${config.committee.shard}'s, not ${config.shard}'s`,
    );
  }
  const timeouts: ConsensusTimeouts = { ...DEFAULT_TIMEOUTS, ...config.timeouts };
  assertTimeoutSchedule('propose', timeouts.propose);
  assertTimeoutSchedule('prevote', timeouts.prevote);
  assertTimeoutSchedule('precommit', timeouts.precommit);
  const maxRoundsAhead = config.maxRoundsAhead ?? DEFAULT_MAX_ROUNDS_AHEAD;
  if (!Number.isInteger(maxRoundsAhead) || maxRoundsAhead < 1) {
    throw configInvalid('invalid_max_rounds_ahead', 'maxRoundsAhead must be a positive integer');
  }
  return {
    chainId: config.chainId,
    shard: config.shard,
    committee: config.committee,
    validatorIndex: config.validatorIndex,
    timeouts,
    signaturesPreverified: config.signaturesPreverified ?? false,
    maxRoundsAhead,
    faults: { ignoreLock: config.faults?.ignoreLock ?? false },
  };
}

/** The duration of `step`'s timeout in `round`: `baseMs + round × deltaMs`. */
export function timeoutDurationMs(timeouts: ConsensusTimeouts, step: Step, round: number): number {
  const { baseMs, deltaMs } = timeouts[step];
  return baseMs + round * deltaMs;
}
