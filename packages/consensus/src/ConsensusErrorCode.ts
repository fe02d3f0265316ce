/**
 * Codes of the `ShardpayError`s this package throws (each also belongs in protocol's `ErrorCode`
 * registry). Match on the code; `meta.reason` says which check failed.
 */
export const ConsensusErrorCode = {
  /** The engine configuration is unusable (empty committee, index out of range, bad timeouts). */
  CONSENSUS_CONFIG_INVALID: 'CONSENSUS_CONFIG_INVALID',
  /** An event arrived that the engine cannot take in its state (start twice, catch-up height gap). */
  CONSENSUS_STATE_INVALID: 'CONSENSUS_STATE_INVALID',
  /** A proposal or vote from a peer is malformed, from the wrong proposer, or badly signed. */
  CONSENSUS_MESSAGE_INVALID: 'CONSENSUS_MESSAGE_INVALID',
  /** WAL records handed to `restore` are not this validator's, or contradict each other. */
  CONSENSUS_WAL_INVALID: 'CONSENSUS_WAL_INVALID',
} as const;

export type ConsensusErrorCode = (typeof ConsensusErrorCode)[keyof typeof ConsensusErrorCode];
