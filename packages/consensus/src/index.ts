export type { BuildCommitCertificateParameters } from './buildCommitCertificate.ts';
export { buildCommitCertificate } from './buildCommitCertificate.ts';
export type { ConsensusAction, GossipMessage } from './ConsensusAction.ts';
export type {
  ConsensusConfig,
  ConsensusTestFaults,
  ConsensusTimeouts,
  ResolvedConsensusConfig,
  TimeoutSchedule,
} from './ConsensusConfig.ts';
export {
  DEFAULT_MAX_ROUNDS_AHEAD,
  DEFAULT_TIMEOUTS,
  resolveConsensusConfig,
  timeoutDurationMs,
} from './ConsensusConfig.ts';
export { ConsensusErrorCode } from './ConsensusErrorCode.ts';
export type { ConsensusEvent, Step } from './ConsensusEvent.ts';
export type { ConsensusSigner } from './ConsensusSigner.ts';
export { createPrivateKeySigner } from './ConsensusSigner.ts';
export type { ConsensusDependencies, ConsensusEngine, ConsensusSnapshot } from './createConsensusEngine.ts';
export { createConsensusEngine, restoreConsensusEngine } from './createConsensusEngine.ts';
export type { AddProposalResult, AddVoteResult, HeightLog } from './HeightLog.ts';
export { createHeightLog, MAX_PROPOSALS_PER_ROUND, NIL_KEY, valueKey } from './HeightLog.ts';
export type { SignatureVerifier } from './SignatureVerifier.ts';
export { protocolSignatureVerifier } from './SignatureVerifier.ts';
export type { WalRecord } from './WalRecord.ts';
export { decodeWalRecord, encodeWalRecord, walRecordHeight, walRecordStep } from './WalRecord.ts';
