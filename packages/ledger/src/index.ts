export {
  ACCOUNT_LEAF_TAG,
  ACCOUNT_NODE_TAG,
  ACCOUNT_PROOF_SIBLINGS_BYTES,
  ACCOUNT_TREE_ARITY,
  ACCOUNT_TREE_DEPTH,
  type AccountTree,
  type AccountTreeUpdate,
  accountLeafHash,
  buildAccountTree,
  createAccountTree,
  EMPTY_ACCOUNTS_ROOT,
  MAX_ACCOUNT_COUNT,
} from './AccountTree.ts';
export {
  type AccountProof,
  accountProof,
  decodeAccountProof,
  encodeAccountProof,
  verifyAccountProof,
} from './accountProof.ts';
export { applyBurn, assertValidBurn, isValidBurn } from './applyBurn.ts';
export { applyEscrowDispute, assertValidEscrowDispute } from './applyEscrowDispute.ts';
export { applyEscrowLock, assertValidEscrowLock } from './applyEscrowLock.ts';
export { applyEscrowRefund, assertValidEscrowRefund } from './applyEscrowRefund.ts';
export { applyEscrowRelease, assertValidEscrowRelease } from './applyEscrowRelease.ts';
export { applyEscrowSettle, assertValidEscrowSettle } from './applyEscrowSettle.ts';
export {
  applyIncomingReceipt,
  assertValidIncomingReceipt,
  type IncomingReceiptOutcome,
  isValidIncomingReceipt,
} from './applyIncomingReceipt.ts';
export {
  applyIssuerControl,
  assertValidIssuerControl,
  assertValidIssuerControlFields,
} from './applyIssuerControl.ts';
export { applyMint, assertValidMint, isValidMint, shardSupplyCap } from './applyMint.ts';
export {
  applyMultisigCreate,
  assertValidMultisigCreate,
  assertValidMultisigCreateFields,
  assertValidMultisigOwners,
} from './applyMultisigCreate.ts';
export {
  applyMultisigExecute,
  assertValidMultisigExecute,
  assertValidMultisigExecuteFields,
} from './applyMultisigExecute.ts';
export { applyPay, assertValidPay, isValidPay } from './applyPay.ts';
export { applyTimelockCancel, assertValidTimelockCancel } from './applyTimelockCancel.ts';
export { applyTimelockClaim, assertValidTimelockClaim } from './applyTimelockClaim.ts';
export { applyTimelockCreate, assertValidTimelockCreate } from './applyTimelockCreate.ts';
export { applyTransaction, assertValidTransactionShape } from './applyTransaction.ts';
export { applyTransfer, assertValidTransfer, isValidTransfer } from './applyTransfer.ts';
export {
  type BlockContext,
  createBlockContext,
  defaultExecutionChecks,
  type ExecutionChecks,
} from './BlockContext.ts';
export { checkTransaction } from './checkTransaction.ts';
export { createGenesisDiff } from './createGenesisDiff.ts';
export { createMemoryShardStore, type MemoryShardStore } from './createMemoryShardStore.ts';
export {
  type BlockBuild,
  type BlockExecution,
  type BlockRefusal,
  type BuildBlockParameters,
  type ExecuteBlockParameters,
  executeBlock,
  type ValidateBlockParameters,
} from './executeBlock.ts';
export { isRefusal } from './isRefusal.ts';
export { commitStateDiff, type LedgerState, openLedgerState, readAccount } from './LedgerState.ts';
export { computeReceiptsRoot, receiptInclusionProof, verifyReceiptInclusion } from './receiptInclusion.ts';
export {
  decodeEscrowRecord,
  type EscrowRecord,
  type EscrowStatus,
  encodeEscrowRecord,
  isEscrowHolding,
  type RecordSource,
  readEscrow,
} from './records/escrowRecord.ts';
export {
  decodeMultisigRecord,
  encodeMultisigRecord,
  type MultisigRecord,
  readMultisig,
} from './records/multisigRecord.ts';
export {
  escrowKey,
  frozenKey,
  multisigKey,
  RecordKind,
  SHARD_CONTROL_KEY,
  timelockKey,
} from './records/recordKeys.ts';
export { isFrozen, readShardControl, type ShardControl } from './records/shardControlRecord.ts';
export {
  decodeTimelockRecord,
  encodeTimelockRecord,
  readTimelock,
  type TimelockRecord,
  type TimelockStatus,
} from './records/timelockRecord.ts';
export type { Account, AccountRecord, ShardMeta, ShardStateReader } from './ShardState.ts';
export type { StateDiff } from './StateDiff.ts';
export { createStateOverlay, StateOverlay } from './StateOverlay.ts';
export { senderSpend } from './senderSpend.ts';
export {
  createStateEntryReader,
  decodeAccountRecord,
  decodeShardMeta,
  encodeAccountRecord,
  encodeShardMeta,
  recordEntryKey,
  type StateEntrySource,
  type StateEntryWrite,
  StateKeyPrefix,
  stateDiffToWrites,
} from './stateEntries.ts';
export { computeStateRoot, type StateSummary } from './stateRoot.ts';
export { verifyIncomingBatch } from './verifyIncomingBatch.ts';
