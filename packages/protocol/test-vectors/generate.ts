/**
 * Regenerates the committed test vectors: `npx node packages/protocol/test-vectors/generate.ts`
 * (from the repository root). Every value is built from fixed test keys, and signatures are
 * deterministic (RFC 6979), so a run on an unchanged codec rewrites identical files. The tests
 * never call this: they compare the codec against the committed files, so a change of wire
 * format shows up as a failing test and a reviewable diff here.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  addressFromPublicKey,
  bytesToHex,
  merkleProof,
  publicKeyFromPrivateKey,
  sha256,
  utf8ToBytes,
  ZERO_HASH,
} from '@shardpay/crypto';
import {
  type Block,
  type BlockHeader,
  BUCKET_COUNT,
  type CommitCertificate,
  headerId,
  type NetworkConfig,
  type Operation,
  type ProposalBody,
  type Receipt,
  receiptId,
  signProposal,
  signTransaction,
  signVote,
  type TransactionBody,
  transactionId,
  type VoteBody,
} from '../src/index.ts';
import { testCommittee, testNetworkConfig, testPrivateKey, validatorKeys } from '../test/fixtures.ts';
import { commerceVectorOperations, vectorOwners } from '../test/commerceVectors.ts';
import { type KindCase, kindCases } from '../test/kinds.ts';

export const VECTOR_ADDRESS_PREFIX = 'spd';
const chainId = 'shardpay-devnet-1';

const keys = {
  alice: testPrivateKey('alice'),
  bob: testPrivateKey('bob'),
  merchant: testPrivateKey('merchant'),
  issuer: testPrivateKey('issuer'),
};
const publicKeyOf = (key: Uint8Array) => publicKeyFromPrivateKey(key);
const addressOf = (key: Uint8Array) => addressFromPublicKey(publicKeyOf(key));
const hashOf = (label: string) => sha256(utf8ToBytes(label));

const operations: Array<[string, Operation]> = [
  [
    'transfer with memo',
    { type: 'transfer', to: addressOf(keys.bob), amount: 12_500_000n, memo: 'lunch 🍕' },
  ],
  [
    'pay a merchant',
    {
      type: 'pay',
      merchant: addressOf(keys.merchant),
      amount: 49_990_000n,
      paymentId: 'order-1001',
      memo: '',
    },
  ],
  [
    'mint for a card charge',
    { type: 'mint', to: addressOf(keys.alice), amount: 100_000_000n, reference: 'ch_3PQx9k2' },
  ],
  ['burn for a payout', { type: 'burn', amount: 18_446_744_073_709_551_615n, payoutReference: 'po_1' }],
  ...commerceVectorOperations,
];

function body(signer: Uint8Array, nonce: bigint, operation: Operation): TransactionBody {
  return {
    chainId,
    shard: 0,
    nonce,
    fee: 1_000n,
    expiryHeight: 1_000n + nonce,
    publicKey: publicKeyOf(signer),
    operation,
  };
}

const bodies: Array<[string, TransactionBody]> = [
  ['transfer from alice', body(keys.alice, 0n, operations[0]?.[1] as Operation)],
  ['payment from alice', body(keys.alice, 1n, operations[1]?.[1] as Operation)],
  ['mint by the issuer', { ...body(keys.issuer, 0n, operations[2]?.[1] as Operation), fee: 0n }],
  ['burn by bob on shard 1', { ...body(keys.bob, 7n, operations[3]?.[1] as Operation), shard: 1 }],
];
const signers = [keys.alice, keys.alice, keys.issuer, keys.bob];
const transactions = bodies.map(
  ([name, b], i) => [name, signTransaction(b, signers[i] as Uint8Array)] as const,
);
const tx = (i: number) => (transactions[i] as (typeof transactions)[number])[1];

const receipts: Array<[string, Receipt]> = [
  [
    'credit of a cross-shard transfer',
    {
      chainId,
      sourceShard: 0,
      targetShard: 1,
      sourceHeight: 9n,
      index: 0,
      kind: 'credit',
      txId: transactionId(tx(0)),
      operation: 'transfer',
      from: addressOf(keys.alice),
      to: addressOf(keys.bob),
      amount: 12_500_000n,
      paymentId: '',
      memo: 'lunch 🍕',
      refundOf: null,
    },
  ],
];
const creditReceipt = (receipts[0] as [string, Receipt])[1];
receipts.push([
  'refund of a refused payment',
  {
    ...creditReceipt,
    sourceShard: 1,
    targetShard: 0,
    sourceHeight: 12n,
    index: 3,
    kind: 'refund',
    txId: transactionId(tx(1)),
    operation: 'pay',
    from: addressOf(keys.alice),
    to: addressOf(keys.alice),
    amount: 49_990_000n,
    paymentId: 'order-1001',
    memo: '',
    refundOf: receiptId(creditReceipt),
  },
]);

receipts.push([
  'credit of a cross-shard escrow release',
  {
    ...creditReceipt,
    sourceHeight: 21n,
    index: 2,
    operation: 'escrow_release',
    to: addressOf(keys.merchant),
    amount: 25_000_000n,
    memo: 'order 42',
  },
]);

const genesis = testNetworkConfig();
const header1: BlockHeader = {
  chainId,
  shard: 0,
  height: 1n,
  timestampMs: 1_767_225_601_000n,
  parentHash: sha256(utf8ToBytes('genesis')),
  proposerIndex: 1,
  txRoot: hashOf('txRoot 1'),
  incomingRoot: hashOf('incomingRoot 1'),
  stateRoot: hashOf('stateRoot 1'),
  receiptsRoot: hashOf('receiptsRoot 1'),
  lastCommitHash: ZERO_HASH,
};
const header2: BlockHeader = {
  ...header1,
  shard: 1,
  height: 18_446_744_073_709_551_615n,
  timestampMs: 1_767_225_602_500n,
  parentHash: headerId(header1),
  proposerIndex: 3,
  lastCommitHash: hashOf('lastCommit 2'),
};

function certificateFor(header: BlockHeader, round: number, signerIndexes: number[]): CommitCertificate {
  const blockHash = headerId(header);
  return {
    chainId: header.chainId,
    shard: header.shard,
    height: header.height,
    round,
    blockHash,
    signatures: signerIndexes.map((validatorIndex) => ({
      validatorIndex,
      signature: signVote(
        {
          chainId,
          shard: header.shard,
          height: header.height,
          round,
          type: 'precommit',
          blockHash,
          validatorIndex,
        },
        validatorKeys[validatorIndex] as Uint8Array,
      ).signature,
    })),
  };
}

const certificates: Array<[string, CommitCertificate]> = [
  ['quorum of 3 of 4 in round 0', certificateFor(header1, 0, [0, 1, 3])],
  ['all 4 validators in round 2', certificateFor(header2, 2, [0, 1, 2, 3])],
];

// The first two receipts only: the block vector predates the escrow receipt.
const receiptLeaves = receipts.slice(0, 2).map(([, r]) => receiptId(r));
const blocks: Array<[string, Block]> = [
  ['empty block', { header: header1, transactions: [], incoming: [] }],
  [
    'transactions and an incoming receipt batch',
    {
      header: header2,
      transactions: [tx(3), tx(0)],
      incoming: [
        {
          header: header1,
          certificate: (certificates[0] as [string, CommitCertificate])[1],
          receipts: [{ receipt: creditReceipt, proof: merkleProof(receiptLeaves, 0) }],
        },
      ],
    },
  ],
];

const voteBodies: Array<[string, VoteBody]> = [
  [
    'nil prevote',
    { chainId, shard: 0, height: 5n, round: 0, type: 'prevote', blockHash: null, validatorIndex: 2 },
  ],
  [
    'precommit for a block',
    {
      chainId,
      shard: 1,
      height: 6n,
      round: 4,
      type: 'precommit',
      blockHash: headerId(header1),
      validatorIndex: 3,
    },
  ],
];
const votes = voteBodies.map(
  ([name, b]) => [name, signVote(b, validatorKeys[b.validatorIndex] as Uint8Array)] as const,
);

const proposalBodies: Array<[string, ProposalBody]> = [
  [
    'fresh proposal',
    {
      chainId,
      shard: 0,
      height: 5n,
      round: 0,
      validRound: -1,
      blockHash: headerId(header1),
      proposerIndex: 1,
    },
  ],
  [
    're-proposal of a polka from round 1',
    {
      chainId,
      shard: 0,
      height: 5n,
      round: 3,
      validRound: 1,
      blockHash: headerId(header2),
      proposerIndex: 0,
    },
  ],
];
const proposals = proposalBodies.map(
  ([name, b]) => [name, signProposal(b, validatorKeys[b.proposerIndex] as Uint8Array)] as const,
);

const conflicting = { chainId, shard: 0, height: 8n, round: 1, type: 'prevote' as const, validatorIndex: 2 };
const validator2 = validatorKeys[2] as Uint8Array;
const evidence = [
  [
    'prevotes for two blocks',
    {
      voteA: signVote({ ...conflicting, blockHash: headerId(header1) }, validator2),
      voteB: signVote({ ...conflicting, blockHash: headerId(header2) }, validator2),
    },
  ],
  [
    'a block and nil',
    {
      voteA: signVote({ ...conflicting, type: 'precommit', blockHash: hashOf('x') }, validator2),
      voteB: signVote({ ...conflicting, type: 'precommit', blockHash: null }, validator2),
    },
  ],
] as const;

const singleShard: NetworkConfig = {
  chainId: 'shardpay-local',
  addressPrefix: 'spd',
  shardCount: 1,
  bucketToShard: new Array<number>(BUCKET_COUNT).fill(0),
  committees: [
    {
      ...testCommittee(0),
      validators: testCommittee(0).validators.map((v, i) => ({
        ...v,
        addresses: [`/ip4/127.0.0.1/tcp/${7100 + i}`],
      })),
    },
  ],
  issuers: [addressOf(keys.issuer)],
  flatFee: 0n,
  feeCollectors: [addressOf(keys.merchant)],
  initialBalances: [],
  genesisTimeMs: 0n,
};
const configs: Array<[string, NetworkConfig]> = [
  ['two-shard devnet', genesis],
  ['single-shard local network without fees', singleShard],
  ['single-shard network with a 2-of-3 issuer control group', { ...singleShard, issuerControl: { owners: vectorOwners, threshold: 2 } }],
];

const leaves = ['a', 'b', 'c', 'd', 'e'].map(hashOf);
const proofs = [
  ['last of five leaves', merkleProof(leaves, 4)],
  ['second of five leaves', merkleProof(leaves, 1)],
  ['single leaf', merkleProof(leaves.slice(0, 1), 0)],
] as const;

const valuesByKind: Record<string, ReadonlyArray<readonly [string, unknown]>> = {
  transaction: transactions,
  transactionBody: bodies,
  receipt: receipts,
  blockHeader: [
    ['height 1 on shard 0', header1],
    ['maximum height on shard 1', header2],
  ],
  block: blocks,
  voteBody: voteBodies,
  vote: votes,
  proposalBody: proposalBodies,
  proposal: proposals,
  commitCertificate: certificates,
  duplicateVoteEvidence: evidence,
  networkConfig: configs,
  operation: operations,
  merkleProof: proofs,
};

/** One vector: the JSON form, the canonical bytes, and the id (and signing hash for bodies). */
export interface TestVector {
  name: string;
  json: unknown;
  hex: string;
  /** The kind's id function where it has one (transactionId, headerId…), else sha256 of the bytes. */
  id: string;
  signingHash?: string;
}

export interface TestVectorFile {
  kind: string;
  objectKind: number;
  addressPrefix: string;
  vectors: TestVector[];
}

function vectorFile(c: KindCase<unknown>): TestVectorFile {
  const values = valuesByKind[c.name];
  if (values === undefined || values.length < 2) throw new Error(`need at least two vectors for ${c.name}`);
  return {
    kind: c.name,
    objectKind: c.kind,
    addressPrefix: VECTOR_ADDRESS_PREFIX,
    vectors: values.map(([name, value]) => {
      const bytes = c.encode(value);
      return {
        name,
        json: c.toJson(value, VECTOR_ADDRESS_PREFIX),
        hex: bytesToHex(bytes),
        id: bytesToHex(c.id ? c.id(value) : sha256(bytes)),
        ...(c.signingHash ? { signingHash: bytesToHex(c.signingHash(value)) } : {}),
      };
    }),
  };
}

/** Pretty JSON, with arrays of plain numbers (the bucket map) on one line. */
function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(/\[\n\s+(-?\d+(?:,\n\s+-?\d+)*)\n\s+\]/g, (_, items: string) => `[${items.replace(/,\n\s+/g, ', ')}]`)}\n`;
}

if (import.meta.main) {
  for (const c of kindCases) {
    const path = join(import.meta.dirname, `${c.name}.json`);
    writeFileSync(path, formatJson(vectorFile(c)));
    console.log(`wrote ${path}`);
  }
}
