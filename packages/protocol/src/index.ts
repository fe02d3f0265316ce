/**
 * @shardpay/protocol: domain types, the canonical binary codec, ids and signing hashes, JSON
 * forms, amounts, the error-code registry, network helpers and commit-certificate checks.
 * Layer 0: depends only on @shardpay/crypto, holds no ledger rules.
 */

export { isShardpayError, ShardpayError } from '@shardpay/crypto';
export { formatAmount, type ParseAmountOptions, parseAmount } from './amount.ts';
export type { DecodeErrorReason } from './codec/ByteReader.ts';
export { decodeBlock, encodeBlock } from './codec/blockCodec.ts';
export { decodeBlockHeader, encodeBlockHeader } from './codec/blockHeaderCodec.ts';
export { decodeCommitCertificate, encodeCommitCertificate } from './codec/commitCertificateCodec.ts';
export {
  decodeDuplicateVoteEvidence,
  encodeDuplicateVoteEvidence,
} from './codec/duplicateVoteEvidenceCodec.ts';
export * from './codec/limits.ts';
export { decodeMerkleProof, encodeMerkleProof } from './codec/merkleProofCodec.ts';
export { decodeNetworkConfig, encodeNetworkConfig } from './codec/networkConfigCodec.ts';
export { ObjectKind } from './codec/objectKind.ts';
export { decodeOperation, encodeOperation } from './codec/operationCodec.ts';
export {
  decodeProposal,
  decodeProposalBody,
  encodeProposal,
  encodeProposalBody,
} from './codec/proposalCodec.ts';
export { decodeReceipt, encodeReceipt } from './codec/receiptCodec.ts';
export {
  decodeTransaction,
  decodeTransactionBody,
  encodeTransaction,
  encodeTransactionBody,
} from './codec/transactionCodec.ts';
export { decodeVote, decodeVoteBody, encodeVote, encodeVoteBody } from './codec/voteCodec.ts';
export {
  CommerceSigningDomain,
  type EscrowAction,
  escrowActionSigningHash,
  isAuthorizationValid,
  issuerControlSigningHash,
  multisigAddress,
  multisigSigningHash,
  signAuthorization,
  timelockClaimSigningHash,
} from './commerceSigning.ts';
export { ERROR_CODE_DESCRIPTIONS, ErrorCode, isErrorCode } from './errorCodes.ts';
export { certificateId, genesisHash, headerId, receiptId, transactionId } from './ids.ts';
export { type BlockHeaderJson, blockHeaderFromJson, blockHeaderToJson } from './json/blockHeaderJson.ts';
export {
  type BlockJson,
  blockFromJson,
  blockToJson,
  type IncomingReceiptBatchJson,
  incomingReceiptBatchFromJson,
  incomingReceiptBatchToJson,
} from './json/blockJson.ts';
export type {
  AuthorizationJson,
  EscrowActionOperationJson,
  EscrowLockOperationJson,
  EscrowSettleOperationJson,
  IndexedSignatureJson,
  IssuerControlOperationJson,
  MultisigCreateOperationJson,
  MultisigUpdateOperationJson,
  TimelockCancelOperationJson,
  TimelockClaimOperationJson,
  TimelockCreateOperationJson,
} from './json/commerceOperationJson.ts';
export {
  type CommitCertificateJson,
  commitCertificateFromJson,
  commitCertificateToJson,
} from './json/commitCertificateJson.ts';
export {
  type DuplicateVoteEvidenceJson,
  duplicateVoteEvidenceFromJson,
  duplicateVoteEvidenceToJson,
} from './json/duplicateVoteEvidenceJson.ts';
export type { JsonInvalidReason, JsonOptions } from './json/jsonFields.ts';
export { type MerkleProofJson, merkleProofFromJson, merkleProofToJson } from './json/merkleProofJson.ts';
export {
  type CommitteeJson,
  type NetworkConfigJson,
  networkConfigFromJson,
  networkConfigToJson,
  type ValidatorJson,
} from './json/networkConfigJson.ts';
export {
  type BurnOperationJson,
  type MintOperationJson,
  type MultisigExecuteOperationJson,
  type MultisigInnerOperationJson,
  type OperationJson,
  operationFromJson,
  operationToJson,
  type PayOperationJson,
  type TransferOperationJson,
} from './json/operationJson.ts';
export {
  type ProposalBodyJson,
  type ProposalJson,
  proposalBodyFromJson,
  proposalBodyToJson,
  proposalFromJson,
  proposalToJson,
} from './json/proposalJson.ts';
export { type ReceiptJson, receiptFromJson, receiptToJson } from './json/receiptJson.ts';
export {
  type TransactionBodyJson,
  type TransactionJson,
  transactionBodyFromJson,
  transactionBodyToJson,
  transactionFromJson,
  transactionToJson,
} from './json/transactionJson.ts';
export {
  type VoteBodyJson,
  type VoteJson,
  voteBodyFromJson,
  voteBodyToJson,
  voteFromJson,
  voteToJson,
} from './json/voteJson.ts';
export {
  ADDRESS_PREFIX_PATTERN,
  assertValidNetworkConfig,
  bucketOfAddress,
  committeeOf,
  faultTolerance,
  proposerIndex,
  quorumSize,
  shardOfAddress,
} from './network.ts';
export {
  isProposalSignatureValid,
  isTransactionSignatureValid,
  isVoteSignatureValid,
  proposalSigningHash,
  SigningDomain,
  signProposal,
  signTransaction,
  signVote,
  transactionSender,
  transactionSigningHash,
  voteSigningHash,
} from './signing.ts';
export * from './types.ts';
export {
  type CertificateInvalidReason,
  type ExpectedCommit,
  isCommitCertificateValid,
  verifyCommitCertificate,
} from './verifyCommitCertificate.ts';
export { WALLET_CHALLENGE_DOMAIN, walletChallengeSigningHash } from './walletRegistration.ts';
