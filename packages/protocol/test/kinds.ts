/**
 * Every top-level encoded kind with its codec, JSON form, id and arbitrary, so that the property
 * tests, the test-vector check and the vector generator cover all kinds the same way.
 */
import type fc from 'fast-check';
import * as protocol from '../src/index.ts';
import * as arb from './arbitraries.ts';

export interface KindCase<T> {
  /** Also the test-vector file name: test-vectors/<name>.json. */
  name: string;
  kind: number;
  arbitrary: fc.Arbitrary<T>;
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
  toJson(value: T, addressPrefix: string): unknown;
  fromJson(json: unknown, addressPrefix: string): T;
  /** The kind's named id function (transactionId, headerId…), when it has one. */
  id?(value: T): Uint8Array;
  /** The signing hash, for the body kinds. */
  signingHash?(value: T): Uint8Array;
}

const K = protocol.ObjectKind;

export const kindCases: Array<KindCase<unknown>> = [
  {
    name: 'transaction',
    kind: K.transaction,
    arbitrary: arb.transaction,
    encode: protocol.encodeTransaction,
    decode: protocol.decodeTransaction,
    toJson: (v, addressPrefix) => protocol.transactionToJson(v, { addressPrefix }),
    fromJson: (j, addressPrefix) => protocol.transactionFromJson(j, { addressPrefix }),
    id: protocol.transactionId,
  } satisfies KindCase<protocol.Transaction>,
  {
    name: 'transactionBody',
    kind: K.transactionBody,
    arbitrary: arb.transactionBody,
    encode: protocol.encodeTransactionBody,
    decode: protocol.decodeTransactionBody,
    toJson: (v, addressPrefix) => protocol.transactionBodyToJson(v, { addressPrefix }),
    fromJson: (j, addressPrefix) => protocol.transactionBodyFromJson(j, { addressPrefix }),
    signingHash: protocol.transactionSigningHash,
  } satisfies KindCase<protocol.TransactionBody>,
  {
    name: 'receipt',
    kind: K.receipt,
    arbitrary: arb.receipt,
    encode: protocol.encodeReceipt,
    decode: protocol.decodeReceipt,
    toJson: (v, addressPrefix) => protocol.receiptToJson(v, { addressPrefix }),
    fromJson: (j, addressPrefix) => protocol.receiptFromJson(j, { addressPrefix }),
    id: protocol.receiptId,
  } satisfies KindCase<protocol.Receipt>,
  {
    name: 'blockHeader',
    kind: K.blockHeader,
    arbitrary: arb.blockHeader,
    encode: protocol.encodeBlockHeader,
    decode: protocol.decodeBlockHeader,
    toJson: (v) => protocol.blockHeaderToJson(v),
    fromJson: (j) => protocol.blockHeaderFromJson(j),
    id: protocol.headerId,
  } satisfies KindCase<protocol.BlockHeader>,
  {
    name: 'block',
    kind: K.block,
    arbitrary: arb.block,
    encode: protocol.encodeBlock,
    decode: protocol.decodeBlock,
    toJson: (v, addressPrefix) => protocol.blockToJson(v, { addressPrefix }),
    fromJson: (j, addressPrefix) => protocol.blockFromJson(j, { addressPrefix }),
  } satisfies KindCase<protocol.Block>,
  {
    name: 'voteBody',
    kind: K.voteBody,
    arbitrary: arb.voteBody,
    encode: protocol.encodeVoteBody,
    decode: protocol.decodeVoteBody,
    toJson: (v) => protocol.voteBodyToJson(v),
    fromJson: (j) => protocol.voteBodyFromJson(j),
    signingHash: protocol.voteSigningHash,
  } satisfies KindCase<protocol.VoteBody>,
  {
    name: 'vote',
    kind: K.vote,
    arbitrary: arb.vote,
    encode: protocol.encodeVote,
    decode: protocol.decodeVote,
    toJson: (v) => protocol.voteToJson(v),
    fromJson: (j) => protocol.voteFromJson(j),
  } satisfies KindCase<protocol.Vote>,
  {
    name: 'proposalBody',
    kind: K.proposalBody,
    arbitrary: arb.proposalBody,
    encode: protocol.encodeProposalBody,
    decode: protocol.decodeProposalBody,
    toJson: (v) => protocol.proposalBodyToJson(v),
    fromJson: (j) => protocol.proposalBodyFromJson(j),
    signingHash: protocol.proposalSigningHash,
  } satisfies KindCase<protocol.ProposalBody>,
  {
    name: 'proposal',
    kind: K.proposal,
    arbitrary: arb.proposal,
    encode: protocol.encodeProposal,
    decode: protocol.decodeProposal,
    toJson: (v) => protocol.proposalToJson(v),
    fromJson: (j) => protocol.proposalFromJson(j),
  } satisfies KindCase<protocol.Proposal>,
  {
    name: 'commitCertificate',
    kind: K.commitCertificate,
    arbitrary: arb.commitCertificate,
    encode: protocol.encodeCommitCertificate,
    decode: protocol.decodeCommitCertificate,
    toJson: (v) => protocol.commitCertificateToJson(v),
    fromJson: (j) => protocol.commitCertificateFromJson(j),
    id: protocol.certificateId,
  } satisfies KindCase<protocol.CommitCertificate>,
  {
    name: 'duplicateVoteEvidence',
    kind: K.duplicateVoteEvidence,
    arbitrary: arb.duplicateVoteEvidence,
    encode: protocol.encodeDuplicateVoteEvidence,
    decode: protocol.decodeDuplicateVoteEvidence,
    toJson: (v) => protocol.duplicateVoteEvidenceToJson(v),
    fromJson: (j) => protocol.duplicateVoteEvidenceFromJson(j),
  } satisfies KindCase<protocol.DuplicateVoteEvidence>,
  {
    name: 'networkConfig',
    kind: K.networkConfig,
    arbitrary: arb.networkConfig,
    encode: protocol.encodeNetworkConfig,
    decode: protocol.decodeNetworkConfig,
    toJson: (v) => protocol.networkConfigToJson(v),
    fromJson: (j) => protocol.networkConfigFromJson(j),
    id: protocol.genesisHash,
  } satisfies KindCase<protocol.NetworkConfig>,
  {
    name: 'operation',
    kind: K.operation,
    arbitrary: arb.operation,
    encode: protocol.encodeOperation,
    decode: protocol.decodeOperation,
    toJson: (v, addressPrefix) => protocol.operationToJson(v, { addressPrefix }),
    fromJson: (j, addressPrefix) => protocol.operationFromJson(j, { addressPrefix }),
  } satisfies KindCase<protocol.Operation>,
  {
    name: 'merkleProof',
    kind: K.merkleProof,
    arbitrary: arb.merkleProof,
    encode: protocol.encodeMerkleProof,
    decode: protocol.decodeMerkleProof,
    toJson: (v) => protocol.merkleProofToJson(v),
    fromJson: (j) => protocol.merkleProofFromJson(j),
  } satisfies KindCase<protocol.MerkleProof>,
] as Array<KindCase<unknown>>;
