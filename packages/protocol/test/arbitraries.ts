/**
 * fast-check arbitraries for every protocol type: any value the codec must round-trip, including
 * limit-sized strings, BOMs, astral characters and u64 extremes.
 */
import { bytesToHex, compareBytes } from '@shardpay/crypto';
import fc from 'fast-check';
import type {
  Authorization,
  Block,
  BlockHeader,
  CommitCertificate,
  Committee,
  DuplicateVoteEvidence,
  IncomingReceiptBatch,
  MerkleProof,
  MultisigInnerOperation,
  MultisigUpdateOperation,
  NetworkConfig,
  Operation,
  Proposal,
  ProposalBody,
  Receipt,
  Transaction,
  TransactionBody,
  Vote,
  VoteBody,
} from '../src/index.ts';
import {
  BUCKET_COUNT,
  MAX_CHAIN_ID_BYTES,
  MAX_MEMO_BYTES,
  MAX_MULTIADDR_BYTES,
  MAX_MULTISIG_OWNERS,
  MAX_REFERENCE_BYTES,
  MAX_U64,
} from '../src/index.ts';

const utf8Encoder = new TextEncoder();

/** fc.record with ordinary prototypes, as decoders and JSON readers build them. */
function record<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model, { noNullPrototype: true }) as fc.Arbitrary<T>;
}

/** Drops trailing code points until the UTF-8 form fits `maxBytes`. */
function truncateUtf8(text: string, maxBytes: number): string {
  const points = [...text];
  while (utf8Encoder.encode(points.join('')).length > maxBytes) points.pop();
  return points.join('');
}

/** Well-formed strings of at most `maxBytes` UTF-8 bytes: ASCII up to the limit, any Unicode, BOMs. */
export function utf8String(maxBytes: number): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.string({ unit: 'binary-ascii', maxLength: maxBytes }),
      fc.string({ unit: 'binary', maxLength: maxBytes }),
      fc.string({ unit: 'binary', maxLength: 4 }).map((s) => `\uFEFF${s}`),
      fc.constant('x'.repeat(maxBytes)),
    )
    .map((s) => truncateUtf8(s, maxBytes));
}

export const bytes = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });
export const address = bytes(20);
export const hash = bytes(32);
export const publicKey = bytes(33);
export const signature = bytes(64);
export const u16 = fc.integer({ min: 0, max: 0xffff });
export const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
export const u64 = fc.oneof(fc.bigInt({ min: 0n, max: MAX_U64 }), fc.constantFrom(0n, 1n, MAX_U64));
export const chainId = utf8String(MAX_CHAIN_ID_BYTES);
export const memo = utf8String(MAX_MEMO_BYTES);
export const reference = utf8String(MAX_REFERENCE_BYTES);
/** Prefixes `encodeAddress` accepts. */
export const addressPrefix = fc.stringMatching(/^[a-z][a-z0-9]{0,19}$/);

const transferOperation = record({ type: fc.constant('transfer' as const), to: address, amount: u64, memo });
const payOperation = record({
  type: fc.constant('pay' as const),
  merchant: address,
  amount: u64,
  paymentId: reference,
  memo,
});
const burnOperation = record({ type: fc.constant('burn' as const), amount: u64, payoutReference: reference });

/** The operations of the money issue: transfer, pay, mint, burn. */
export const paymentOperation: fc.Arbitrary<Operation> = fc.oneof(
  transferOperation,
  payOperation,
  record({ type: fc.constant('mint' as const), to: address, amount: u64, reference }),
  burnOperation,
);

/** Distinct public keys (any 33 bytes: the codec does not check the curve), strictly ascending. */
export const owners: fc.Arbitrary<Uint8Array[]> = fc
  .uniqueArray(publicKey, { maxLength: MAX_MULTISIG_OWNERS, selector: (key) => bytesToHex(key) })
  .map((keys) => keys.sort(compareBytes));
export const threshold = fc.integer({ min: 1, max: MAX_MULTISIG_OWNERS });
/** Owner signatures, strictly ascending by owner index. */
export const indexedSignatures: fc.Arbitrary<Array<{ ownerIndex: number; signature: Uint8Array }>> = fc
  .uniqueArray(fc.integer({ min: 0, max: MAX_MULTISIG_OWNERS - 1 }), { maxLength: MAX_MULTISIG_OWNERS })
  .chain((indexes) =>
    fc.tuple(
      ...indexes
        .sort((a, b) => a - b)
        .map((ownerIndex) => record({ ownerIndex: fc.constant(ownerIndex), signature })),
    ),
  );
const authorization = fc.option(record<Authorization>({ publicKey, signature }), { nil: null });
const optionalAddress = fc.option(address, { nil: null });

const multisigUpdateOperation = record<MultisigUpdateOperation>({
  type: fc.constant('multisig_update' as const),
  owners,
  threshold,
});
export const multisigInnerOperation: fc.Arbitrary<MultisigInnerOperation> = fc.oneof(
  transferOperation,
  payOperation,
  burnOperation,
  multisigUpdateOperation,
);

/** The commerce operations: escrow, time locks, multisig, issuer controls. */
export const commerceOperation: fc.Arbitrary<Operation> = fc.oneof(
  record({
    type: fc.constant('escrow_lock' as const),
    merchant: address,
    amount: u64,
    orderId: reference,
    deadlineMs: u64,
    arbiter: optionalAddress,
    oracle: optionalAddress,
    memo,
  }),
  record({
    type: fc.constantFrom('escrow_release' as const, 'escrow_refund' as const, 'escrow_dispute' as const),
    escrowId: hash,
    authorization,
  }),
  record({ type: fc.constant('escrow_settle' as const), escrowId: hash, buyerAmount: u64, authorization }),
  record({
    type: fc.constant('timelock_create' as const),
    to: address,
    amount: u64,
    unlockHeight: u64,
    memo,
  }),
  record({ type: fc.constant('timelock_claim' as const), timelockId: hash, authorization }),
  record({ type: fc.constant('timelock_cancel' as const), timelockId: hash }),
  record({ type: fc.constant('multisig_create' as const), owners, threshold, salt: u64 }),
  record({
    type: fc.constant('multisig_execute' as const),
    account: address,
    accountNonce: u64,
    operation: multisigInnerOperation,
    signatures: indexedSignatures,
  }),
  multisigUpdateOperation,
  fc.oneof(
    record({
      type: fc.constant('issuer_control' as const),
      action: fc.constantFrom('pause' as const, 'unpause' as const),
      target: fc.constant(null),
      controlNonce: u64,
      signatures: indexedSignatures,
    }),
    record({
      type: fc.constant('issuer_control' as const),
      action: fc.constantFrom('freeze' as const, 'unfreeze' as const),
      target: address,
      controlNonce: u64,
      signatures: indexedSignatures,
    }),
  ),
);

export const operation: fc.Arbitrary<Operation> = fc.oneof(paymentOperation, commerceOperation);

export const transactionBody: fc.Arbitrary<TransactionBody> = record({
  chainId,
  shard: u16,
  nonce: u64,
  fee: u64,
  expiryHeight: u64,
  publicKey,
  operation,
});

export const transaction: fc.Arbitrary<Transaction> = fc
  .tuple(transactionBody, signature)
  .map(([body, sig]) => ({ ...body, signature: sig }));

export const receipt: fc.Arbitrary<Receipt> = record({
  chainId,
  sourceShard: u16,
  targetShard: u16,
  sourceHeight: u64,
  index: u32,
  kind: fc.constantFrom('credit' as const, 'refund' as const),
  txId: hash,
  operation: fc.constantFrom(
    'transfer' as const,
    'pay' as const,
    'mint' as const,
    'escrow_release' as const,
    'escrow_settle' as const,
    'timelock_claim' as const,
  ),
  from: address,
  to: address,
  amount: u64,
  paymentId: reference,
  memo,
  refundOf: fc.option(hash, { nil: null }),
});

export const blockHeader: fc.Arbitrary<BlockHeader> = record({
  chainId,
  shard: u16,
  height: u64,
  timestampMs: u64,
  parentHash: hash,
  proposerIndex: u16,
  txRoot: hash,
  incomingRoot: hash,
  stateRoot: hash,
  receiptsRoot: hash,
  lastCommitHash: hash,
});

export const voteBody: fc.Arbitrary<VoteBody> = record({
  chainId,
  shard: u16,
  height: u64,
  round: u32,
  type: fc.constantFrom('prevote' as const, 'precommit' as const),
  blockHash: fc.option(hash, { nil: null }),
  validatorIndex: u16,
});

export const vote: fc.Arbitrary<Vote> = fc
  .tuple(voteBody, signature)
  .map(([body, sig]) => ({ ...body, signature: sig }));

export const proposalBody: fc.Arbitrary<ProposalBody> = record({
  chainId,
  shard: u16,
  height: u64,
  round: u32,
  validRound: fc.oneof(fc.constant(-1), u32),
  blockHash: hash,
  proposerIndex: u16,
});

export const proposal: fc.Arbitrary<Proposal> = fc
  .tuple(proposalBody, signature)
  .map(([body, sig]) => ({ ...body, signature: sig }));

export const commitCertificate: fc.Arbitrary<CommitCertificate> = record({
  chainId,
  shard: u16,
  height: u64,
  round: u32,
  blockHash: hash,
  signatures: fc.array(record({ validatorIndex: u16, signature }), { maxLength: 6 }),
});

export const duplicateVoteEvidence: fc.Arbitrary<DuplicateVoteEvidence> = record({
  voteA: vote,
  voteB: vote,
});

export const merkleProof: fc.Arbitrary<MerkleProof> = record({
  index: u32,
  leafCount: u32,
  siblings: fc.array(hash, { maxLength: 32 }),
});

const incomingReceiptBatch: fc.Arbitrary<IncomingReceiptBatch> = record({
  header: blockHeader,
  certificate: commitCertificate,
  receipts: fc.array(record({ receipt, proof: merkleProof }), { maxLength: 3 }),
});

export const block: fc.Arbitrary<Block> = record({
  header: blockHeader,
  transactions: fc.array(transaction, { maxLength: 4 }),
  incoming: fc.array(incomingReceiptBatch, { maxLength: 2 }),
});

const committee: fc.Arbitrary<Committee> = record({
  shard: u16,
  validators: fc.array(
    record({ publicKey, addresses: fc.array(utf8String(MAX_MULTIADDR_BYTES), { maxLength: 3 }) }),
    { maxLength: 5 },
  ),
});

const networkConfigWithoutGroup: fc.Arbitrary<NetworkConfig> = record({
  chainId,
  addressPrefix,
  shardCount: u16,
  bucketToShard: fc.oneof(
    fc.array(u16, { maxLength: 8 }),
    fc.array(u16, { minLength: BUCKET_COUNT, maxLength: BUCKET_COUNT }),
  ),
  committees: fc.array(committee, { maxLength: 3 }),
  issuers: fc.array(address, { maxLength: 3 }),
  flatFee: u64,
  feeCollectors: fc.array(address, { maxLength: 3 }),
  initialBalances: fc.array(record({ address, amount: u64 }), { maxLength: 3 }),
  genesisTimeMs: u64,
});

/** Network configs with and without an issuer control group. */
export const networkConfig: fc.Arbitrary<NetworkConfig> = fc
  .tuple(networkConfigWithoutGroup, fc.option(record({ owners, threshold }), { nil: undefined }))
  .map(([config, issuerControl]) => (issuerControl === undefined ? config : { ...config, issuerControl }));
