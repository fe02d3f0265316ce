/**
 * Forged cross-shard receipts, in process and deterministic. Shard 0 commits a real block with
 * cross-shard transfers (and a real commit certificate signed by its committee); then every forgery
 * of what proves its receipts is offered to shard 1:
 *
 * 1. by a peer, to the incoming pool (`createIncomingPool(...).add`): refused with a code;
 * 2. inside a block of a Byzantine shard-1 proposer: `chain.validate` throws BLOCK_INVALID with the
 *    forgery's reason, and a validator (the real consensus engine, and the node's consensus driver
 *    over a real chain) prevotes nil for such a block.
 *
 * The genesis has three shards rather than two: with two, every receipt of shard 0 targets shard 1,
 * so "a genuine receipt addressed to another shard" (proof and certificate intact, only the target
 * wrong) exists only with a third shard.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCommitCertificate, createConsensusEngine, createPrivateKeySigner } from '@shardpay/consensus';
import {
  addressFromPublicKey,
  bytesToHex,
  equalBytes,
  isShardpayError,
  merkleProof,
  merkleRoot,
  publicKeyFromPrivateKey,
  type ShardpayError,
  sha256,
  utf8ToBytes,
} from '@shardpay/crypto';
import {
  type Address,
  type Block,
  type BlockHeader,
  type CommitCertificate,
  committeeOf,
  headerId,
  type IncomingReceiptBatch,
  type Proposal,
  proposerIndex,
  quorumSize,
  receiptId,
  shardOfAddress,
  signProposal,
  signTransaction,
  signVote,
  type Transaction,
  type Vote,
} from '@shardpay/protocol';
import { createMemoryChainStore } from '@shardpay/storage';
import { openShardChain, type ShardChain } from '../src/chain/createShardChain.ts';
import { createConsensusDriver } from '../src/consensus/createConsensusDriver.ts';
import { createDevnetGenesis } from '../src/genesis/createDevnetGenesis.ts';
import { type CommittedReceipts, createIncomingPool } from '../src/relay/createIncomingPool.ts';

const CHAIN_ID = 'shardpay-forged-receipts';
const GENESIS_TIME_MS = 1_750_000_000_000n;
/** The validators' clock: well after every block timestamp used here, within the allowed drift. */
const NOW_MS = GENESIS_TIME_MS + 60_000n;
const COMMITTEE_SIZE = 4;

// createDevnetGenesis draws fresh keys, but nothing below depends on their values: every outcome
// (which receipt goes where, each refusal and its reason) is the same on every run.
const genesis = createDevnetGenesis({
  chainId: CHAIN_ID,
  shards: 3,
  validatorsPerShard: COMMITTEE_SIZE,
  p2pPort: (shard, index) => 40_000 + shard * COMMITTEE_SIZE + index,
  faucetBalance: '1000',
  genesisTimeMs: GENESIS_TIME_MS,
});
const config = genesis.config;
const faucet = genesis.faucets[0]!;

function validatorKeys(shard: number): Uint8Array[] {
  return genesis.validators[shard]!.map((key) => key.privateKey);
}

/** The first deterministic address (sha256 of a label as a private key) that lives on `shard`. */
function recipientOn(shard: number, label: string): Address {
  for (let i = 0; ; i++) {
    const key = sha256(utf8ToBytes(`forged-receipts:${label}:${i}`));
    const address = addressFromPublicKey(publicKeyFromPrivateKey(key));
    if (shardOfAddress(config, address) === shard) return address;
  }
}

function openChain(shard: number): ShardChain {
  return openShardChain(config, shard, createMemoryChainStore({ chainId: CHAIN_ID, shard }), {});
}

/** A commit certificate over `header`: precommits of `signers`, signed with `keys` (default: its committee's). */
function certify(
  header: BlockHeader,
  signers: readonly number[],
  keys: readonly Uint8Array[] = validatorKeys(header.shard),
): CommitCertificate {
  const blockHash = headerId(header);
  const body = { chainId: CHAIN_ID, shard: header.shard, height: header.height, round: 0 } as const;
  const precommits: Vote[] = signers.map((validatorIndex) =>
    signVote({ ...body, type: 'precommit', blockHash, validatorIndex }, keys[validatorIndex]!),
  );
  return buildCommitCertificate({ ...body, blockHash, precommits });
}

function transfer(nonce: bigint, to: Address, amount: bigint): Transaction {
  return signTransaction(
    {
      chainId: CHAIN_ID,
      shard: 0,
      nonce,
      fee: config.flatFee,
      expiryHeight: 1000n,
      publicKey: faucet.publicKey,
      operation: { type: 'transfer', to, amount, memo: '' },
    },
    faucet.privateKey,
  );
}

/** Asserts `run` throws a ShardpayError with `code` and, when given, `meta.reason`; returns it. */
function assertRefused(run: () => unknown, code: string, reason?: string): ShardpayError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  assert.ok(isShardpayError(caught), `expected ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, `expected ${code}, got ${caught.code}: ${caught.message}`);
  if (reason !== undefined) assert.equal(caught.meta.reason, reason, caught.message);
  return caught;
}

// ---------------------------------------------------------------------------------------------
// Shard 0 commits one block with three cross-shard transfers: receipts 0 and 2 go to shard 1,
// receipt 1 to shard 2.

const toShard1a = recipientOn(1, 'a');
const toShard2 = recipientOn(2, 'b');
const toShard1b = recipientOn(1, 'c');
const source = openChain(0);
const sourceBuilt = source.build({
  transactions: [
    transfer(0n, toShard1a, 5_000_000n),
    transfer(1n, toShard2, 7_000_000n),
    transfer(2n, toShard1b, 3_000_000n),
  ],
  incoming: [],
  proposerIndex: proposerIndex(1n, 0, COMMITTEE_SIZE),
  timestampMs: GENESIS_TIME_MS + 1000n,
  maxTransactions: 100,
});
const sourceCertificate = certify(sourceBuilt.block.header, [0, 1, 2]);
const sourceCommitted = source.commit(sourceBuilt.block, sourceCertificate);
const receipts = sourceCommitted.execution.outgoingReceipts;
const receiptIds = receipts.map(receiptId);
/** What a peer gossips (or serves) for that block: header, certificate, all outgoing receipts. */
const genuine: CommittedReceipts = {
  header: sourceBuilt.block.header,
  certificate: sourceCertificate,
  receipts,
};

/** Certificates over the genuine shard-0 header, each with one defect (and its meta.reason). */
function forgedCertificates(): Array<{ name: string; certificate: CommitCertificate; reason: string }> {
  const header = genuine.header;
  const all = certify(header, [0, 1, 2, 3]).signatures;
  const [s0, s1, s3] = [all[0]!, all[1]!, all[3]!];
  return [
    {
      name: 'too few signers',
      certificate: certify(header, [0, 1]),
      reason: 'insufficient_signatures',
    },
    {
      name: 'a signer outside the committee',
      certificate: {
        ...sourceCertificate,
        signatures: [s0, s1, { validatorIndex: 4, signature: s3.signature }],
      },
      reason: 'unknown_validator',
    },
    {
      name: 'one signer counted twice',
      certificate: { ...sourceCertificate, signatures: [s0, s1, s1] },
      reason: 'duplicate_signer',
    },
    {
      name: "validator 3's signature claimed as validator 2's",
      certificate: {
        ...sourceCertificate,
        signatures: [s0, s1, { validatorIndex: 2, signature: s3.signature }],
      },
      reason: 'bad_signature',
    },
    {
      name: "shard 1's committee signing for shard 0",
      certificate: certify(header, [0, 1, 2], validatorKeys(1)),
      reason: 'bad_signature',
    },
    {
      // Genuine signatures of a quorum, but over another header, relabelled with this block's hash.
      name: 'a quorum that signed another block',
      certificate: {
        ...certify({ ...header, timestampMs: header.timestampMs + 1n }, [0, 1, 2]),
        blockHash: headerId(header),
      },
      reason: 'bad_signature',
    },
  ];
}

describe('forged cross-shard receipts', () => {
  it('the genuine block emits receipts to shards 1, 2 and 1 under a certificate of a quorum', () => {
    assert.deepEqual(
      receipts.map((receipt) => receipt.targetShard),
      [1, 2, 1],
    );
    assert.equal(sourceCertificate.signatures.length, quorumSize(COMMITTEE_SIZE));
    const pool = createIncomingPool(config, 1);
    assert.equal(pool.add(genuine), 2);
  });

  describe('offered by a peer to the incoming pool', () => {
    it('keeps only the receipts addressed to its own shard', () => {
      const pool1 = createIncomingPool(config, 1);
      assert.equal(pool1.add(genuine), 2);
      assert.equal(pool1.size(), 2);
      const pooled = pool1.batchesForBlock(100).flatMap((batch) => batch.receipts.map((e) => e.receipt));
      assert.deepEqual(
        pooled.map((receipt) => [receipt.targetShard, receipt.index]),
        [
          [1, 0],
          [1, 2],
        ],
      );
      const pool2 = createIncomingPool(config, 2);
      assert.equal(pool2.add(genuine), 1);
      assert.deepEqual(
        pool2.batchesForBlock(100).flatMap((batch) => batch.receipts.map((e) => e.receipt.index)),
        [1],
      );
    });

    it('refuses receipts that do not match the header receipts root (RECEIPT_PROOF_INVALID)', () => {
      const pool = createIncomingPool(config, 1);
      const inflated = receipts.map((receipt, i) =>
        i === 0 ? { ...receipt, amount: receipt.amount * 1000n } : receipt,
      );
      assertRefused(
        () => pool.add({ ...genuine, receipts: inflated }),
        'RECEIPT_PROOF_INVALID',
        'root_mismatch',
      );
      // Leaving out the receipt to shard 2 changes the leaf count, so the root no longer matches.
      const partial = receipts.filter((receipt) => receipt.targetShard === 1);
      assertRefused(
        () => pool.add({ ...genuine, receipts: partial }),
        'RECEIPT_PROOF_INVALID',
        'root_mismatch',
      );
      const reordered = [receipts[2]!, receipts[1]!, receipts[0]!];
      assertRefused(
        () => pool.add({ ...genuine, receipts: reordered }),
        'RECEIPT_PROOF_INVALID',
        'root_mismatch',
      );
      assert.equal(pool.size(), 0);
    });

    it('refuses a header of its own shard or of another chain (RECEIPT_PROOF_INVALID wrong_source)', () => {
      const pool = createIncomingPool(config, 1);
      const ownShard = { ...genuine, header: { ...genuine.header, shard: 1 } };
      assertRefused(() => pool.add(ownShard), 'RECEIPT_PROOF_INVALID', 'wrong_source');
      const otherChain = { ...genuine, header: { ...genuine.header, chainId: 'another-chain' } };
      assertRefused(() => pool.add(otherChain), 'RECEIPT_PROOF_INVALID', 'wrong_source');
      assert.equal(pool.size(), 0);
    });

    for (const forged of forgedCertificates()) {
      it(`refuses a certificate with ${forged.name} (CERTIFICATE_INVALID ${forged.reason})`, () => {
        const pool = createIncomingPool(config, 1);
        assertRefused(
          () => pool.add({ ...genuine, certificate: forged.certificate }),
          'CERTIFICATE_INVALID',
          forged.reason,
        );
        assert.equal(pool.size(), 0);
      });
    }
  });

  describe('put in a block by a Byzantine proposer of shard 1', () => {
    const honestBatches = (() => {
      const pool = createIncomingPool(config, 1);
      pool.add(genuine);
      return pool.batchesForBlock(100);
    })();
    const proposer = openChain(1);
    const honest1 = proposer.build({
      transactions: [],
      incoming: honestBatches,
      proposerIndex: proposerIndex(1n, 0, COMMITTEE_SIZE),
      timestampMs: GENESIS_TIME_MS + 2000n,
      maxTransactions: 100,
    });
    const honestCertificate1 = certify(honest1.block.header, [0, 1, 2]);

    /**
     * A shard-1 validator at `height`: its own store, with the honest block 1 committed when
     * height is 2. Each call is a fresh replica, so no cached verdict of another block leaks in.
     */
    function validatorAt(height: bigint): ShardChain {
      const chain = openChain(1);
      if (height === 2n) chain.commit(honest1.block, honestCertificate1);
      return chain;
    }

    /**
     * `honest` with its incoming batches replaced. Only incomingRoot is recomputed (over the forged
     * receipt ids, in block order, as the ledger does), so that a block never fails for a root
     * mismatch: execution stops at the forged receipt before any root is compared.
     */
    function withIncoming(honest: Block, incoming: IncomingReceiptBatch[]): Block {
      const ids = incoming.flatMap((batch) => batch.receipts.map((entry) => receiptId(entry.receipt)));
      return {
        header: { ...honest.header, incomingRoot: merkleRoot(ids) },
        transactions: honest.transactions,
        incoming,
      };
    }

    const batch = honestBatches[0]!;
    const [entry0, entry2] = [batch.receipts[0]!, batch.receipts[1]!];

    /** Each forgery, the BLOCK_INVALID meta.reason it must fail with, and its cause's meta.reason. */
    const height1Forgeries: Array<{ name: string; block: Block; reason: string; causeReason?: string }> = [
      {
        // Same receipt, same id (incomingRoot unchanged): only a sibling hash of its proof is wrong.
        name: 'a Merkle proof with a forged sibling',
        block: withIncoming(honest1.block, [
          {
            ...batch,
            receipts: [
              {
                receipt: entry0.receipt,
                proof: {
                  ...entry0.proof,
                  siblings: [sha256(utf8ToBytes('forged')), ...entry0.proof.siblings.slice(1)],
                },
              },
              entry2,
            ],
          },
        ]),
        reason: 'RECEIPT_PROOF_INVALID',
        causeReason: 'bad_merkle_proof',
      },
      {
        // The amount is inflated; the genuine proof of the genuine receipt no longer leads to the root.
        name: 'an inflated amount under the genuine proof',
        block: withIncoming(honest1.block, [
          {
            ...batch,
            receipts: [
              { ...entry0, receipt: { ...entry0.receipt, amount: entry0.receipt.amount * 1000n } },
              entry2,
            ],
          },
        ]),
        reason: 'RECEIPT_PROOF_INVALID',
        causeReason: 'bad_merkle_proof',
      },
      {
        // Receipt 0 presented with the (valid) proof of receipt 2: the position does not match.
        name: "the proof of another receipt's position",
        block: withIncoming(honest1.block, [
          { ...batch, receipts: [{ ...entry0, proof: entry2.proof }, entry2] },
        ]),
        reason: 'RECEIPT_PROOF_INVALID',
        causeReason: 'header_mismatch',
      },
      ...forgedCertificates().map((forged) => ({
        // The receipts and their proofs are genuine: only the source block's certificate is forged.
        name: `a certificate with ${forged.name}`,
        block: withIncoming(honest1.block, [{ ...batch, certificate: forged.certificate }]),
        reason: 'CERTIFICATE_INVALID',
        causeReason: forged.reason,
      })),
      {
        // A genuine receipt, genuinely proven and certified, but addressed to shard 2.
        name: 'a receipt addressed to shard 2',
        block: withIncoming(honest1.block, [
          {
            ...batch,
            receipts: [entry0, { receipt: receipts[1]!, proof: merkleProof(receiptIds, 1) }, entry2],
          },
        ]),
        reason: 'RECEIPT_WRONG_TARGET',
      },
      {
        // A valid receipt included twice in one block: the second is a replay.
        name: 'the same receipt twice in one block',
        block: withIncoming(honest1.block, [{ ...batch, receipts: [entry0, entry2, entry0] }]),
        reason: 'RECEIPT_ALREADY_CONSUMED',
      },
    ];

    // Height 2: the honest block 1 (which consumed both receipts) is committed; the proposer's honest
    // block 2 has nothing to include, and the forgery re-includes block 1's batch.
    const proposer2 = openChain(1);
    proposer2.commit(honest1.block, honestCertificate1);
    const honest2 = proposer2.build({
      transactions: [],
      incoming: [],
      proposerIndex: proposerIndex(2n, 0, COMMITTEE_SIZE),
      timestampMs: GENESIS_TIME_MS + 3000n,
      maxTransactions: 100,
    });
    const height2Forgeries = [
      {
        name: 'receipts already consumed at height 1',
        block: withIncoming(honest2.block, honest1.block.incoming),
        reason: 'RECEIPT_ALREADY_CONSUMED',
      },
    ];

    const allForgeries = [
      ...height1Forgeries.map((forgery) => ({ ...forgery, height: 1n })),
      ...height2Forgeries.map((forgery) => ({ ...forgery, height: 2n })),
    ];

    it('the honest blocks the forgeries start from are valid', () => {
      assert.equal(honest1.block.incoming[0]?.receipts.length, 2);
      assert.equal(honest2.block.incoming.length, 0);
      const execution = validatorAt(1n).validate(honest1.block, { nowMs: NOW_MS });
      assert.deepEqual(
        execution.incomingOutcomes.map((outcome) => outcome.outcome),
        ['credited', 'credited'],
      );
      validatorAt(2n).validate(honest2.block, { nowMs: NOW_MS });
    });

    for (const forgery of allForgeries) {
      it(`refuses ${forgery.name} (BLOCK_INVALID ${forgery.reason})`, () => {
        const validator = validatorAt(forgery.height);
        const error = assertRefused(
          () => validator.validate(forgery.block, { nowMs: NOW_MS }),
          'BLOCK_INVALID',
          forgery.reason,
        );
        if ('causeReason' in forgery && forgery.causeReason !== undefined) {
          assert.ok(isShardpayError(error.cause), 'the refusal carries its cause');
          assert.equal(error.cause.meta.reason, forgery.causeReason);
        }
        // Nothing was committed or credited by the attempt.
        assert.equal(validator.height(), forgery.height - 1n);
        assert.equal(validator.account(toShard1a).balance, forgery.height === 2n ? receipts[0]!.amount : 0n);
      });
    }

    /** Signs the proposal of `block` at round 0 with the key of the round's proposer. */
    function proposalFor(block: Block): Proposal {
      const index = proposerIndex(block.header.height, 0, COMMITTEE_SIZE);
      return signProposal(
        {
          chainId: CHAIN_ID,
          shard: 1,
          height: block.header.height,
          round: 0,
          validRound: -1,
          blockHash: headerId(block.header),
          proposerIndex: index,
        },
        validatorKeys(1)[index]!,
      );
    }

    /** A validator of shard 1 that does not propose at (height, 0). */
    function nonProposer(height: bigint): number {
      return (proposerIndex(height, 0, COMMITTEE_SIZE) + 1) % COMMITTEE_SIZE;
    }

    /** The node's answer to the engine's validity request (createConsensusDriver's answerValidity). */
    function isValidOn(chain: ShardChain, block: Block): boolean {
      try {
        chain.validate(block, { nowMs: NOW_MS });
        return true;
      } catch (error) {
        if (!isShardpayError(error)) throw error;
        return false;
      }
    }

    it('the consensus engine prevotes nil when the block of a proposal is judged invalid', () => {
      const forged = height1Forgeries[0]!.block;
      const honestHash = headerId(honest1.block.header);
      for (const [block, expectValid] of [
        [forged, false],
        [honest1.block, true],
      ] as const) {
        const index = nonProposer(1n);
        const engine = createConsensusEngine(
          { chainId: CHAIN_ID, shard: 1, committee: committeeOf(config, 1), validatorIndex: index },
          { signer: createPrivateKeySigner(validatorKeys(1)[index]!) },
        );
        engine.handle({ type: 'start', height: 1n });
        const proposal = proposalFor(block);
        const asked = engine.handle({ type: 'proposal', proposal });
        assert.ok(
          asked.some(
            (action) => action.type === 'requestValidity' && equalBytes(action.blockHash, proposal.blockHash),
          ),
          'the engine asks whether the proposed block is valid',
        );
        const valid = isValidOn(validatorAt(1n), block);
        assert.equal(valid, expectValid);
        const actions = engine.handle({
          type: 'blockValidity',
          height: 1n,
          blockHash: proposal.blockHash,
          valid,
        });
        const votes = actions.flatMap((action) => (action.type === 'broadcastVote' ? [action.vote] : []));
        assert.equal(votes.length, 1);
        assert.equal(votes[0]!.type, 'prevote');
        assert.deepEqual(votes[0]!.blockHash, valid ? honestHash : null);
      }
    });

    /** A non-proposing shard-1 validator's consensus driver over `chain`, recording what it sends. */
    function startDriver(chain: ShardChain, index: number) {
      const published: Vote[] = [];
      const logged: Array<{ event: string; fields: Record<string, unknown> }> = [];
      const committed: Block[] = [];
      // Timeouts far beyond the test: every step here is driven by messages, never by a timer.
      const schedule = { baseMs: 600_000, deltaMs: 0 };
      const driver = createConsensusDriver(
        {
          committee: committeeOf(config, 1),
          validatorIndex: index,
          timeouts: { propose: schedule, prevote: schedule, precommit: schedule },
          idleIntervalMs: 600_000,
          minIntervalMs: 0,
        },
        {
          chain,
          signer: createPrivateKeySigner(validatorKeys(1)[index]!),
          buildBlock: () => assert.fail('a non-proposer never builds'),
          hasWork: () => false,
          publishProposal: () => assert.fail('a non-proposer never proposes'),
          publishVote: (vote) => published.push(vote),
          onCommitted: (block) => committed.push(block.block),
          onBehind: () => {},
          onEvidence: () => assert.fail('no equivocation here'),
          log: (event, fields = {}) => logged.push({ event, fields }),
          nowMs: () => Number(NOW_MS),
        },
      );
      driver.start();
      return { driver, published, logged, committed };
    }

    for (const forgery of [
      ...allForgeries,
      { name: 'nothing (the honest block 1)', block: honest1.block, height: 1n, reason: '' },
      { name: 'nothing (the honest block 2)', block: honest2.block, height: 2n, reason: '' },
    ]) {
      const honest = forgery.reason === '';
      it(`a validator's consensus driver prevotes ${honest ? 'the block' : 'nil'} for ${forgery.name}`, () => {
        const index = nonProposer(forgery.height);
        const { driver, published, logged } = startDriver(validatorAt(forgery.height), index);
        try {
          const verdict = driver.onProposal(proposalFor(forgery.block), forgery.block);
          // The proposal message itself is well signed by the round's proposer: only its block is bad.
          assert.equal(verdict, 'accept');
          assert.equal(published.length, 1, 'exactly one vote: the prevote');
          assert.equal(published[0]!.type, 'prevote');
          assert.equal(published[0]!.validatorIndex, index);
          assert.deepEqual(published[0]!.blockHash, honest ? headerId(forgery.block.header) : null);
          const invalid = logged.filter((entry) => entry.event === 'block_invalid');
          assert.deepEqual(
            invalid.map((entry) => entry.fields.reason),
            honest ? [] : [forgery.reason],
          );
        } finally {
          driver.stop();
        }
      });
    }

    // A block's header id does not commit to the proofs and certificates of its incoming batches, so
    // the chain's execution cache holds only for byte-identical bodies and the driver keeps the first
    // body it saw for an id. These tests pin that down.
    const sameHeaderForgery = height1Forgeries[0]!.block;

    it('a validator that validated the honest body still refuses a forged body under the same header id', () => {
      assert.deepEqual(headerId(sameHeaderForgery.header), headerId(honest1.block.header));
      const validator = validatorAt(1n);
      validator.validate(honest1.block, { nowMs: NOW_MS });
      assertRefused(() => validator.validate(sameHeaderForgery, { nowMs: NOW_MS }), 'BLOCK_INVALID');
    });

    it('a validator commits the body it validated, not a forged body re-gossiped under the same id', () => {
      const index = nonProposer(1n);
      const { driver, published, committed } = startDriver(validatorAt(1n), index);
      try {
        const proposal = proposalFor(honest1.block);
        driver.onProposal(proposal, honest1.block);
        assert.deepEqual(published[0]?.blockHash, proposal.blockHash);
        // Anyone relaying the proposal can swap the body: the signed proposal names only the id.
        driver.onProposal(proposal, sameHeaderForgery);
        const others = [0, 1, 2, 3].filter((i) => i !== index);
        for (const type of ['prevote', 'precommit'] as const) {
          for (const validatorIndex of others) {
            const body = { chainId: CHAIN_ID, shard: 1, height: 1n, round: 0, type, validatorIndex };
            driver.onVote(
              signVote({ ...body, blockHash: proposal.blockHash }, validatorKeys(1)[validatorIndex]!),
            );
          }
        }
        assert.equal(committed.length, 1, 'the block was decided');
        const stored = committed[0]!.incoming[0]!.receipts[0]!.proof.siblings.map(bytesToHex);
        assert.deepEqual(
          stored,
          entry0.proof.siblings.map(bytesToHex),
          'the committed proof is the genuine one',
        );
      } finally {
        driver.stop();
      }
    });
  });
});
