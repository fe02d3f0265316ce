/** Commit certificates, duplicate-vote evidence, catch-up from a peer's certificate, and gossip re-sends. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isShardpayError } from '@shardpay/crypto';
import type { CommitCertificate, Vote } from '@shardpay/protocol';
import {
  decodeDuplicateVoteEvidence,
  encodeDuplicateVoteEvidence,
  isVoteSignatureValid,
  verifyCommitCertificate,
} from '@shardpay/protocol';
import type { ConsensusAction, ConsensusEngine } from '../src/index.ts';
import { buildCommitCertificate } from '../src/index.ts';
import {
  actionsOfType,
  blockHash,
  broadcastVotes,
  CHAIN_ID,
  createCommitteeFixture,
  deliverVotes,
  feed,
  SHARD,
} from './consensusFixture.ts';

const H = 1n;
const A = blockHash('A');
const B = blockHash('B');
const fx = createCommitteeFixture(4);

function startedEngine(index = 0): ConsensusEngine {
  const engine = fx.engine(index);
  engine.handle({ type: 'start', height: H });
  return engine;
}

/** A certificate for A at (H, round 0) from the precommits of `signers`. */
function certificate(signers: number[], hash = A, height = H): CommitCertificate {
  return buildCommitCertificate({
    chainId: CHAIN_ID,
    shard: SHARD,
    height,
    round: 0,
    blockHash: hash,
    precommits: signers.map((i) => fx.vote(i, height, 0, 'precommit', hash)),
  });
}

function certificateReason(
  cert: CommitCertificate,
  expected: { height?: bigint; blockHash?: Uint8Array } = {},
) {
  try {
    verifyCommitCertificate(cert, fx.committee, {
      chainId: CHAIN_ID,
      shard: SHARD,
      height: H,
      blockHash: A,
      ...expected,
    });
    return 'valid';
  } catch (error) {
    assert.ok(isShardpayError(error, 'CERTIFICATE_INVALID'));
    return error.meta.reason;
  }
}

describe('commit certificates', () => {
  it('are built sorted by validator index and verify with protocol’s verifyCommitCertificate', () => {
    const cert = certificate([3, 0, 2]);
    assert.deepEqual(
      cert.signatures.map((s) => s.validatorIndex),
      [0, 2, 3],
    );
    assert.equal(certificateReason(cert), 'valid');
  });

  it('are rejected with too few signatures, unknown or duplicate signers, wrong height or hash', () => {
    const cert = certificate([0, 1, 2]);
    const [first, second] = cert.signatures;
    assert.ok(first !== undefined && second !== undefined);
    assert.equal(certificateReason(certificate([0, 1])), 'insufficient_signatures');
    assert.equal(
      certificateReason({ ...cert, signatures: [...cert.signatures, { ...second, validatorIndex: 7 }] }),
      'unknown_validator',
    );
    assert.equal(certificateReason({ ...cert, signatures: [first, first, second] }), 'duplicate_signer');
    assert.equal(certificateReason(cert, { height: 2n }), 'wrong_height');
    assert.equal(certificateReason(cert, { blockHash: B }), 'wrong_block_hash');
    // A prevote signature is not a precommit signature.
    const prevote = fx.vote(2, H, 0, 'prevote', A);
    assert.equal(
      certificateReason({
        ...cert,
        signatures: [first, second, { validatorIndex: 2, signature: prevote.signature }],
      }),
      'bad_signature',
    );
  });

  it('the builder refuses a second precommit of one validator and votes for another block', () => {
    const vote = fx.vote(1, H, 0, 'precommit', A);
    const parameters = { chainId: CHAIN_ID, shard: SHARD, height: H, round: 0, blockHash: A };
    assert.throws(
      () => buildCommitCertificate({ ...parameters, precommits: [vote, vote] }),
      (error) =>
        isShardpayError(error, 'CONSENSUS_STATE_INVALID') && error.meta.reason === 'duplicate_signer',
    );
    assert.throws(
      () => buildCommitCertificate({ ...parameters, precommits: [fx.vote(1, H, 0, 'precommit', B)] }),
      (error) => isShardpayError(error, 'CONSENSUS_STATE_INVALID') && error.meta.reason === 'foreign_vote',
    );
  });
});

describe('evidence', () => {
  it('reports two different votes of one validator once, and never counts the second', () => {
    const engine = startedEngine();
    feed(engine, [
      { type: 'proposal', proposal: fx.proposal(H, 0, A) },
      { type: 'blockValidity', height: H, blockHash: A, valid: true },
    ]);
    const first = fx.vote(2, H, 0, 'prevote', B);
    const second = fx.vote(2, H, 0, 'prevote', A);
    deliverVotes(engine, [fx.vote(1, H, 0, 'prevote', A), first]);
    const actions = deliverVotes(engine, [second]);
    const [report] = actionsOfType(actions, 'reportEvidence');
    assert.ok(report !== undefined);
    assert.deepEqual(report.evidence, { voteA: first, voteB: second });
    // Validators 0 and 1 for A plus validator 2's second vote would be a polka: it must not count.
    assert.deepEqual(broadcastVotes(actions), []);
    assert.equal(engine.snapshot().lockedRound, -1);
    assert.deepEqual(
      deliverVotes(engine, [fx.vote(2, H, 0, 'prevote', null), second]),
      [],
      'one report per step',
    );
    const bytes = encodeDuplicateVoteEvidence(report.evidence);
    assert.deepEqual(decodeDuplicateVoteEvidence(bytes), report.evidence);
    assert.ok(
      isVoteSignatureValid(report.evidence.voteB, fx.committee.validators[2]?.publicKey ?? new Uint8Array()),
    );
  });

  it('a double-signer’s second prevote counts only toward a polka a re-proposal claims (rule 2)', () => {
    const engine = startedEngine();
    feed(engine, [
      { type: 'timeout', height: H, round: 0, step: 'propose' }, // own prevote nil
      { type: 'proposal', proposal: fx.proposal(H, 0, A) },
      { type: 'blockValidity', height: H, blockHash: A, valid: true },
    ]);
    const second = fx.vote(3, H, 0, 'prevote', A);
    const first = deliverVotes(engine, [
      fx.vote(3, H, 0, 'prevote', null),
      second,
      fx.vote(1, H, 0, 'prevote', A),
      fx.vote(2, H, 0, 'prevote', A),
    ]);
    assert.equal(actionsOfType(first, 'reportEvidence').length, 1);
    // Rule 4 counts first votes only: 1 and 2 for A is no polka, so no valid value.
    assert.equal(engine.snapshot().validRound, -1);
    feed(engine, [{ type: 'timeout', height: H, round: 0, step: 'prevote' }]);
    feed(engine, [{ type: 'timeout', height: H, round: 0, step: 'precommit' }]);
    // Round 1: validator 2 re-proposes A claiming a polka in round 0. Without validator 3's second
    // vote this validator could never see it; once it is re-sent (gossip), it counts for that claim.
    const waiting = feed(engine, [{ type: 'proposal', proposal: fx.proposal(H, 1, A, 0) }]);
    assert.deepEqual(broadcastVotes(waiting), []);
    const actions = deliverVotes(engine, [second]);
    assert.equal(actionsOfType(actions, 'reportEvidence').length, 0, 'reported once');
    assert.equal(broadcastVotes(actions)[0]?.type, 'prevote');
    assert.deepEqual(broadcastVotes(actions)[0]?.blockHash, A);
  });

  it('reports precommit equivocation, also among messages kept for the next height', () => {
    const engine = startedEngine();
    const now = deliverVotes(engine, [fx.vote(3, H, 1, 'precommit', A), fx.vote(3, H, 1, 'precommit', null)]);
    assert.equal(actionsOfType(now, 'reportEvidence').length, 1);
    const next = deliverVotes(engine, [
      fx.vote(1, H + 1n, 0, 'precommit', A),
      fx.vote(1, H + 1n, 0, 'precommit', B),
    ]);
    assert.equal(actionsOfType(next, 'reportEvidence').length, 1);
  });

  it('a badly signed second vote is refused, not taken as evidence', () => {
    const engine = startedEngine();
    deliverVotes(engine, [fx.vote(2, H, 0, 'prevote', A)]);
    const forged: Vote = { ...fx.vote(2, H, 0, 'prevote', A), blockHash: B };
    let actions: ConsensusAction[] = [];
    assert.throws(
      () => {
        actions = engine.handle({ type: 'vote', vote: forged });
      },
      (error) => isShardpayError(error, 'CONSENSUS_MESSAGE_INVALID'),
    );
    assert.equal(actionsOfType(actions, 'reportEvidence').length, 0);
  });
});

describe('catch-up', () => {
  it('a lagging engine takes a verified certificate, commits and moves to height + 1', () => {
    const engine = startedEngine();
    const cert = certificate([1, 2, 3]);
    const actions = engine.handle({ type: 'committedBlock', height: H, blockHash: A, certificate: cert });
    const [commit] = actionsOfType(actions, 'commit');
    assert.deepEqual(commit, {
      type: 'commit',
      height: H,
      round: 0,
      blockHash: A,
      certificate: cert,
      source: 'catchUp',
    });
    assert.deepEqual([engine.snapshot().height, engine.snapshot().round], [H + 1n, 0]);
    assert.ok(actionsOfType(actions, 'scheduleTimeout').some((a) => a.height === H + 1n));
  });

  it('refuses a bad certificate without moving', () => {
    const engine = startedEngine();
    assert.throws(
      () =>
        engine.handle({ type: 'committedBlock', height: H, blockHash: A, certificate: certificate([1, 2]) }),
      (error) =>
        isShardpayError(error, 'CERTIFICATE_INVALID') && error.meta.reason === 'insufficient_signatures',
    );
    assert.throws(
      () =>
        engine.handle({
          type: 'committedBlock',
          height: H,
          blockHash: B,
          certificate: certificate([1, 2, 3]),
        }),
      (error) => isShardpayError(error, 'CERTIFICATE_INVALID') && error.meta.reason === 'wrong_block_hash',
    );
    assert.equal(engine.snapshot().height, H);
  });

  it('ignores a past height and refuses a gap; needs a started engine', () => {
    const engine = startedEngine();
    engine.handle({ type: 'committedBlock', height: H, blockHash: A, certificate: certificate([1, 2, 3]) });
    assert.deepEqual(
      engine.handle({ type: 'committedBlock', height: H, blockHash: A, certificate: certificate([1, 2, 3]) }),
      [],
    );
    const gap = certificate([1, 2, 3], A, H + 5n);
    assert.throws(
      () => engine.handle({ type: 'committedBlock', height: H + 5n, blockHash: A, certificate: gap }),
      (error) => isShardpayError(error, 'CONSENSUS_STATE_INVALID') && error.meta.reason === 'height_gap',
    );
    assert.throws(
      () =>
        fx
          .engine(0)
          .handle({ type: 'committedBlock', height: H, blockHash: A, certificate: certificate([1, 2, 3]) }),
      (error) => isShardpayError(error, 'CONSENSUS_STATE_INVALID') && error.meta.reason === 'not_started',
    );
  });

  it('a validator that missed a round’s messages decides from its peers’ gossip re-sends', () => {
    const lagging = startedEngine(3);
    const helper = startedEngine(0);
    feed(helper, [
      { type: 'proposal', proposal: fx.proposal(H, 0, A) },
      { type: 'blockValidity', height: H, blockHash: A, valid: true },
    ]);
    deliverVotes(helper, [fx.vote(1, H, 0, 'prevote', A), fx.vote(2, H, 0, 'prevote', A)]);
    // Validator 0 re-sends the proposal it holds and its own votes; 1 and 2 re-send their precommits.
    const gossip = [
      ...helper.messagesForGossip(),
      { type: 'vote' as const, vote: fx.vote(1, H, 0, 'precommit', A) },
      { type: 'vote' as const, vote: fx.vote(2, H, 0, 'precommit', A) },
    ];
    assert.ok(gossip.some((m) => m.type === 'proposal'));
    const actions = feed(lagging, [
      ...gossip,
      { type: 'blockValidity', height: H, blockHash: A, valid: true },
    ]);
    assert.equal(actionsOfType(actions, 'commit').length, 1);
  });
});
