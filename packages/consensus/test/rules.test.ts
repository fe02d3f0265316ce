/**
 * One group per rule of /work/shared/TENDERMINT.md (Algorithm 1), for n = 4 (f = 1, quorum 3) at
 * height 1, where the proposer of round r is validator (1 + r) mod 4. The engine under test is
 * validator 0 unless said otherwise.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isShardpayError } from '@shardpay/crypto';
import { verifyCommitCertificate } from '@shardpay/protocol';
import type { ConsensusEngine } from '../src/index.ts';
import {
  actionsOfType,
  assertSingleVote,
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

function startedEngine(index = 0, overrides = {}): ConsensusEngine {
  const engine = fx.engine(index, overrides);
  feed(engine, [{ type: 'start', height: H }]);
  return engine;
}

/** Delivers a proposal and the application's answer about its block. */
function propose(engine: ConsensusEngine, round: number, hash: Uint8Array, valid: boolean, validRound = -1) {
  return feed(engine, [
    { type: 'proposal', proposal: fx.proposal(H, round, hash, validRound) },
    { type: 'blockValidity', height: H, blockHash: hash, valid },
  ]);
}

/** Moves validator 0 from round `round` to round + 1 through its three timeouts (nil votes). */
function skipRound(engine: ConsensusEngine, round: number): void {
  feed(engine, [
    { type: 'timeout', height: H, round, step: 'propose' },
    { type: 'timeout', height: H, round, step: 'prevote' },
    { type: 'timeout', height: H, round, step: 'precommit' },
  ]);
  assert.equal(engine.snapshot().round, round + 1);
}

/** Validator 0 locks A in round `round` (a proposal for A and prevotes from 1 and 2). */
function lockIn(engine: ConsensusEngine, round: number, hash = A): void {
  propose(engine, round, hash, true);
  deliverVotes(engine, [fx.vote(1, H, round, 'prevote', hash), fx.vote(2, H, round, 'prevote', hash)]);
  const snapshot = engine.snapshot();
  assert.equal(snapshot.lockedRound, round);
  assert.deepEqual(snapshot.lockedValue, hash);
}

describe('StartRound', () => {
  it('a non-proposer schedules TimeoutPropose(h, 0) and asks for no block', () => {
    const actions = fx.engine(0).handle({ type: 'start', height: H });
    assert.deepEqual(actions, [
      { type: 'scheduleTimeout', height: H, round: 0, step: 'propose', durationMs: 3000 },
    ]);
  });

  it('the proposer asks the application for a block, then proposes it (WAL first) and prevotes it', () => {
    const engine = fx.engine(1);
    const started = engine.handle({ type: 'start', height: H });
    assert.deepEqual(actionsOfType(started, 'requestBlock'), [{ type: 'requestBlock', height: H, round: 0 }]);
    const actions = feed(engine, [{ type: 'blockToPropose', height: H, round: 0, blockHash: A }]);
    assert.deepEqual(
      actions.map((a) => a.type),
      ['persistWal', 'broadcastProposal', 'persistWal', 'broadcastVote'],
    );
    const [proposal] = actionsOfType(actions, 'broadcastProposal');
    assert.equal(proposal?.proposal.validRound, -1);
    assert.deepEqual(proposal?.proposal.blockHash, A);
    assertSingleVote(actions, 'prevote', A);
  });

  it('a stale block answer (another round) is ignored', () => {
    const engine = startedEngine(1);
    assert.deepEqual(engine.handle({ type: 'blockToPropose', height: H, round: 1, blockHash: A }), []);
  });

  it('the proposer re-proposes its valid value with its valid round instead of asking for a block', () => {
    const engine = startedEngine(2); // proposer of round 1
    propose(engine, 0, A, true);
    deliverVotes(engine, [fx.vote(0, H, 0, 'prevote', A), fx.vote(1, H, 0, 'prevote', A)]);
    assert.deepEqual(engine.snapshot().validValue, A);
    const actions = feed(engine, [{ type: 'timeout', height: H, round: 0, step: 'precommit' }]);
    assert.equal(actionsOfType(actions, 'requestBlock').length, 0);
    const [proposal] = actionsOfType(actions, 'broadcastProposal');
    assert.equal(proposal?.proposal.round, 1);
    assert.equal(proposal?.proposal.validRound, 0);
    assert.deepEqual(proposal?.proposal.blockHash, A);
  });

  it('rotates the proposer by (height + round) mod n', () => {
    for (let index = 0; index < 4; index += 1) {
      const engine = fx.engine(index);
      let actions = engine.handle({ type: 'start', height: H });
      for (let round = 0; round < 8; round += 1) {
        const isProposer = index === (1 + round) % 4;
        assert.equal(
          actionsOfType(actions, 'requestBlock').length,
          isProposer ? 1 : 0,
          `r${round} v${index}`,
        );
        actions = engine.handle({ type: 'timeout', height: H, round, step: 'precommit' });
      }
    }
  });
});

describe('rule 1: new proposal', () => {
  it('prevotes a valid proposal when not locked, then step = prevote', () => {
    const engine = startedEngine();
    const actions = propose(engine, 0, A, true);
    assertSingleVote(actions, 'prevote', A);
    assert.equal(engine.snapshot().step, 'prevote');
  });

  it('asks the application about the block and waits for the answer before voting', () => {
    const engine = startedEngine();
    const actions = feed(engine, [{ type: 'proposal', proposal: fx.proposal(H, 0, A) }]);
    assert.deepEqual(actions, [{ type: 'requestValidity', height: H, blockHash: A }]);
    assert.equal(engine.snapshot().step, 'propose');
  });

  it('prevotes nil for an invalid block', () => {
    const engine = startedEngine();
    assertSingleVote(propose(engine, 0, A, false), 'prevote', null);
  });

  it('prevotes nil for a new value while locked on another, and the locked value itself', () => {
    const locked = startedEngine();
    lockIn(locked, 0);
    skipRound(locked, 0);
    skipRound(locked, 1);
    assertSingleVote(propose(locked, 2, B, true), 'prevote', null);

    const same = startedEngine();
    lockIn(same, 0);
    skipRound(same, 0);
    skipRound(same, 1);
    assertSingleVote(propose(same, 2, A, true), 'prevote', A);
  });

  it('only while step = propose: a proposal after TimeoutPropose gets no second prevote', () => {
    const engine = startedEngine();
    assertSingleVote(
      feed(engine, [{ type: 'timeout', height: H, round: 0, step: 'propose' }]),
      'prevote',
      null,
    );
    assert.deepEqual(broadcastVotes(propose(engine, 0, A, true)), []);
  });

  it('refuses a proposal from a validator that is not the round’s proposer', () => {
    const engine = startedEngine();
    assert.throws(
      () => engine.handle({ type: 'proposal', proposal: fx.proposal(H, 0, A, -1, 2) }),
      (error) =>
        isShardpayError(error, 'CONSENSUS_MESSAGE_INVALID') && error.meta.reason === 'wrong_proposer',
    );
  });

  it('refuses a badly signed proposal without changing state', () => {
    const engine = startedEngine();
    const forged = { ...fx.proposal(H, 0, A), blockHash: B };
    assert.throws(
      () => engine.handle({ type: 'proposal', proposal: forged }),
      (error) => isShardpayError(error, 'CONSENSUS_MESSAGE_INVALID') && error.meta.reason === 'bad_signature',
    );
    assert.deepEqual(propose(engine, 0, A, true).length > 0, true);
  });
});

describe('rule 2: re-proposal', () => {
  it('prevotes v when locked in an earlier round than the polka round vr', () => {
    const engine = startedEngine();
    lockIn(engine, 0);
    skipRound(engine, 0); // round 1: validators 1, 2, 3 prevote B
    deliverVotes(
      engine,
      [1, 2, 3].map((i) => fx.vote(i, H, 1, 'prevote', B)),
    );
    skipRound(engine, 1);
    assertSingleVote(propose(engine, 2, B, true, 1), 'prevote', B);
  });

  it('prevotes nil when locked in a round after vr on another value', () => {
    const engine = startedEngine();
    deliverVotes(
      engine,
      [1, 2, 3].map((i) => fx.vote(i, H, 0, 'prevote', B)),
    ); // a polka for B in round 0
    skipRound(engine, 0);
    lockIn(engine, 1); // locked on A in round 1
    skipRound(engine, 1);
    assertSingleVote(propose(engine, 2, B, true, 0), 'prevote', null);
  });

  it('with the test-only ignoreLock fault, prevotes v anyway (the bug the simulator must catch)', () => {
    const engine = startedEngine(0, { faults: { ignoreLock: true } });
    deliverVotes(
      engine,
      [1, 2, 3].map((i) => fx.vote(i, H, 0, 'prevote', B)),
    );
    skipRound(engine, 0);
    lockIn(engine, 1);
    skipRound(engine, 1);
    assertSingleVote(propose(engine, 2, B, true, 0), 'prevote', B);
  });

  it('prevotes v when locked on v itself, whatever the rounds', () => {
    const engine = startedEngine();
    deliverVotes(
      engine,
      [1, 2, 3].map((i) => fx.vote(i, H, 0, 'prevote', A)),
    );
    skipRound(engine, 0);
    lockIn(engine, 1);
    skipRound(engine, 1);
    assertSingleVote(propose(engine, 2, A, true, 0), 'prevote', A);
  });

  it('waits for the 2f+1 prevotes of round vr before acting on the proposal', () => {
    const engine = startedEngine();
    skipRound(engine, 0);
    skipRound(engine, 1);
    assert.deepEqual(broadcastVotes(propose(engine, 2, B, true, 1)), []);
    assert.equal(engine.snapshot().step, 'propose');
    deliverVotes(engine, [fx.vote(1, H, 1, 'prevote', B), fx.vote(2, H, 1, 'prevote', B)]);
    const actions = deliverVotes(engine, [fx.vote(3, H, 1, 'prevote', B)]);
    assertSingleVote(actions, 'prevote', B);
  });

  it('refuses a proposal whose valid round is not below its round', () => {
    const engine = startedEngine();
    assert.throws(
      () => engine.handle({ type: 'proposal', proposal: fx.proposal(H, 0, A, 0) }),
      (error) =>
        isShardpayError(error, 'CONSENSUS_MESSAGE_INVALID') && error.meta.reason === 'invalid_valid_round',
    );
  });
});

describe('rule 3: any 2f+1 prevotes', () => {
  it('schedules TimeoutPrevote once, the first time 2f+1 mixed prevotes are seen in step prevote', () => {
    const engine = startedEngine();
    propose(engine, 0, A, true); // own prevote for A
    const two = deliverVotes(engine, [fx.vote(1, H, 0, 'prevote', null)]);
    assert.equal(actionsOfType(two, 'scheduleTimeout').length, 0);
    const three = deliverVotes(engine, [fx.vote(2, H, 0, 'prevote', B)]);
    assert.deepEqual(actionsOfType(three, 'scheduleTimeout'), [
      { type: 'scheduleTimeout', height: H, round: 0, step: 'prevote', durationMs: 1000 },
    ]);
    const four = deliverVotes(engine, [fx.vote(3, H, 0, 'prevote', null)]);
    assert.deepEqual(four, [], 'the first time only');
  });

  it('does not fire in step propose; fires on entering prevote', () => {
    const engine = startedEngine();
    const early = deliverVotes(
      engine,
      [1, 2, 3].map((i) => fx.vote(i, H, 0, 'prevote', i === 1 ? A : B)),
    );
    assert.equal(actionsOfType(early, 'scheduleTimeout').length, 0);
    const actions = feed(engine, [{ type: 'timeout', height: H, round: 0, step: 'propose' }]);
    assert.deepEqual(
      actionsOfType(actions, 'scheduleTimeout').map((a) => a.step),
      ['prevote'],
    );
  });

  it('counts a validator once, however often its prevote arrives', () => {
    const engine = startedEngine();
    propose(engine, 0, A, true);
    const vote = fx.vote(1, H, 0, 'prevote', B);
    const actions = deliverVotes(engine, [vote, vote, vote]);
    assert.equal(actionsOfType(actions, 'scheduleTimeout').length, 0);
  });
});

describe('rule 4: polka for the proposal', () => {
  it('in step prevote: locks v, precommits v, step = precommit, and sets the valid value', () => {
    const engine = startedEngine();
    propose(engine, 0, A, true);
    deliverVotes(engine, [fx.vote(1, H, 0, 'prevote', A)]);
    const actions = deliverVotes(engine, [fx.vote(2, H, 0, 'prevote', A)]);
    assertSingleVote(actions, 'precommit', A);
    const snapshot = engine.snapshot();
    assert.equal(snapshot.step, 'precommit');
    assert.deepEqual([snapshot.lockedValue, snapshot.lockedRound], [A, 0]);
    assert.deepEqual([snapshot.validValue, snapshot.validRound], [A, 0]);
  });

  it('in step precommit: only updates the valid value (no lock, no second precommit)', () => {
    const engine = startedEngine();
    propose(engine, 0, A, true);
    feed(engine, [{ type: 'timeout', height: H, round: 0, step: 'prevote' }]); // precommit nil
    assert.equal(engine.snapshot().step, 'precommit');
    const actions = deliverVotes(engine, [fx.vote(1, H, 0, 'prevote', A), fx.vote(2, H, 0, 'prevote', A)]);
    assert.deepEqual(broadcastVotes(actions), []);
    const snapshot = engine.snapshot();
    assert.deepEqual([snapshot.lockedValue, snapshot.lockedRound], [null, -1]);
    assert.deepEqual([snapshot.validValue, snapshot.validRound], [A, 0]);
  });

  it('needs the proposal: a polka for an unseen block waits for it', () => {
    const engine = startedEngine();
    feed(engine, [{ type: 'timeout', height: H, round: 0, step: 'propose' }]); // prevote nil
    const waiting = deliverVotes(
      engine,
      [1, 2, 3].map((i) => fx.vote(i, H, 0, 'prevote', A)),
    );
    assert.deepEqual(broadcastVotes(waiting), []);
    const actions = propose(engine, 0, A, true);
    assertSingleVote(actions, 'precommit', A);
  });

  it('needs valid(v): no lock on an invalid block', () => {
    const engine = startedEngine();
    propose(engine, 0, A, false); // prevote nil
    const actions = deliverVotes(
      engine,
      [1, 2, 3].map((i) => fx.vote(i, H, 0, 'prevote', A)),
    );
    assert.deepEqual(broadcastVotes(actions), []);
    assert.equal(engine.snapshot().lockedRound, -1);
  });

  it('does not fire in step propose; prevote then precommit come in order once the block is judged', () => {
    const engine = startedEngine();
    feed(engine, [{ type: 'proposal', proposal: fx.proposal(H, 0, A) }]);
    deliverVotes(
      engine,
      [1, 2, 3].map((i) => fx.vote(i, H, 0, 'prevote', A)),
    );
    assert.equal(engine.snapshot().lockedRound, -1);
    const actions = feed(engine, [{ type: 'blockValidity', height: H, blockHash: A, valid: true }]);
    assert.deepEqual(
      broadcastVotes(actions).map((v) => v.type),
      ['prevote', 'precommit'],
    );
  });

  it('fires the first time only: later prevotes for v change nothing', () => {
    const engine = startedEngine();
    propose(engine, 0, A, true);
    deliverVotes(engine, [fx.vote(1, H, 0, 'prevote', A), fx.vote(2, H, 0, 'prevote', A)]);
    assert.deepEqual(deliverVotes(engine, [fx.vote(3, H, 0, 'prevote', A)]), []);
  });
});

describe('rule 5: nil polka', () => {
  it('precommits nil on 2f+1 nil prevotes in step prevote', () => {
    const engine = startedEngine();
    feed(engine, [{ type: 'timeout', height: H, round: 0, step: 'propose' }]);
    const actions = deliverVotes(engine, [
      fx.vote(1, H, 0, 'prevote', null),
      fx.vote(2, H, 0, 'prevote', null),
    ]);
    assertSingleVote(actions, 'precommit', null);
    assert.equal(engine.snapshot().step, 'precommit');
  });

  it('does not fire in step propose', () => {
    const engine = startedEngine();
    const actions = deliverVotes(
      engine,
      [1, 2, 3].map((i) => fx.vote(i, H, 0, 'prevote', null)),
    );
    assert.deepEqual(broadcastVotes(actions), []);
    assert.equal(engine.snapshot().step, 'propose');
  });
});

describe('rule 6: any 2f+1 precommits', () => {
  it('schedules TimeoutPrecommit once, in any step, the first time', () => {
    const engine = startedEngine();
    const actions = deliverVotes(engine, [
      fx.vote(1, H, 0, 'precommit', A),
      fx.vote(2, H, 0, 'precommit', null),
      fx.vote(3, H, 0, 'precommit', B),
    ]);
    assert.equal(engine.snapshot().step, 'propose');
    assert.deepEqual(actionsOfType(actions, 'scheduleTimeout'), [
      { type: 'scheduleTimeout', height: H, round: 0, step: 'precommit', durationMs: 1000 },
    ]);
    feed(engine, [{ type: 'timeout', height: H, round: 0, step: 'propose' }]);
    const later = deliverVotes(engine, [fx.vote(0, H, 0, 'precommit', null)]);
    assert.equal(actionsOfType(later, 'scheduleTimeout').length, 0, 'the first time only');
  });
});

describe('rule 7: decide', () => {
  it('commits v with its certificate on the proposal plus 2f+1 precommits, then starts height + 1', () => {
    const engine = startedEngine();
    propose(engine, 0, A, true);
    const actions = deliverVotes(
      engine,
      [1, 2, 3].map((i) => fx.vote(i, H, 0, 'precommit', A)),
    );
    const [commit] = actionsOfType(actions, 'commit');
    assert.ok(commit !== undefined);
    assert.equal(commit.height, H);
    assert.equal(commit.source, 'consensus');
    assert.deepEqual(commit.blockHash, A);
    assert.deepEqual(
      commit.certificate.signatures.map((s) => s.validatorIndex),
      [1, 2, 3],
    );
    verifyCommitCertificate(commit.certificate, fx.committee, {
      chainId: CHAIN_ID,
      shard: SHARD,
      height: H,
      blockHash: A,
    });
    const snapshot = engine.snapshot();
    assert.deepEqual([snapshot.height, snapshot.round, snapshot.step], [H + 1n, 0, 'propose']);
    assert.deepEqual(
      [snapshot.lockedValue, snapshot.lockedRound, snapshot.validValue, snapshot.validRound],
      [null, -1, null, -1],
    );
    assert.ok(actionsOfType(actions, 'scheduleTimeout').some((a) => a.height === H + 1n && a.round === 0));
  });

  it('decides for any round r: precommits of an earlier round count after the engine moved on', () => {
    const engine = startedEngine();
    feed(engine, [{ type: 'proposal', proposal: fx.proposal(H, 0, A) }]);
    skipRound(engine, 0);
    skipRound(engine, 1);
    const actions = feed(engine, [
      { type: 'blockValidity', height: H, blockHash: A, valid: true },
      ...[1, 2, 3].map((i) => ({ type: 'vote' as const, vote: fx.vote(i, H, 0, 'precommit', A) })),
    ]);
    const [commit] = actionsOfType(actions, 'commit');
    assert.equal(commit?.round, 0);
  });

  it('decides for a later round too, without waiting to get there', () => {
    const engine = startedEngine();
    const actions = feed(engine, [
      { type: 'proposal', proposal: fx.proposal(H, 3, B) },
      { type: 'blockValidity', height: H, blockHash: B, valid: true },
      ...[1, 2, 3].map((i) => ({ type: 'vote' as const, vote: fx.vote(i, H, 3, 'precommit', B) })),
    ]);
    const [commit] = actionsOfType(actions, 'commit');
    assert.equal(commit?.round, 3);
    assert.equal(engine.snapshot().height, H + 1n);
  });

  it('needs the proposal and valid(v)', () => {
    const engine = startedEngine();
    const withoutProposal = deliverVotes(
      engine,
      [1, 2, 3].map((i) => fx.vote(i, H, 0, 'precommit', A)),
    );
    assert.equal(actionsOfType(withoutProposal, 'commit').length, 0);
    const invalid = propose(engine, 0, A, false);
    assert.equal(actionsOfType(invalid, 'commit').length, 0);
    assert.equal(engine.snapshot().height, H);
  });

  it('decides once: precommits of the decided height that arrive later are ignored', () => {
    const engine = startedEngine();
    propose(engine, 0, A, true);
    deliverVotes(
      engine,
      [1, 2, 3].map((i) => fx.vote(i, H, 0, 'precommit', A)),
    );
    const later = deliverVotes(engine, [fx.vote(0, H, 0, 'precommit', A), fx.vote(2, H, 1, 'precommit', A)]);
    assert.deepEqual(later, []);
  });

  it('keeps messages of height + 1 that arrive early and uses them on entering it', () => {
    const engine = startedEngine();
    const next = H + 1n; // proposer of (2, 0) is validator 2
    feed(engine, [{ type: 'proposal', proposal: fx.proposal(next, 0, B) }]);
    propose(engine, 0, A, true);
    const actions = deliverVotes(
      engine,
      [1, 2, 3].map((i) => fx.vote(i, H, 0, 'precommit', A)),
    );
    assert.ok(actionsOfType(actions, 'requestValidity').some((a) => a.height === next));
    const answer = feed(engine, [{ type: 'blockValidity', height: next, blockHash: B, valid: true }]);
    assertSingleVote(answer, 'prevote', B);
  });
});

describe('rule 8: round skip', () => {
  it('starts round r on messages of any kind from f+1 validators in r > round', () => {
    const engine = startedEngine();
    const one = deliverVotes(engine, [fx.vote(2, H, 3, 'prevote', A)]);
    assert.deepEqual(one, []);
    const actions = deliverVotes(engine, [fx.vote(3, H, 3, 'precommit', null)]);
    assert.equal(engine.snapshot().round, 3);
    assert.equal(engine.snapshot().step, 'propose');
    // Validator 0 is the proposer of (1, 3).
    assert.deepEqual(actionsOfType(actions, 'requestBlock'), [{ type: 'requestBlock', height: H, round: 3 }]);
  });

  it('a proposal counts as a message of its proposer', () => {
    const engine = startedEngine();
    feed(engine, [{ type: 'proposal', proposal: fx.proposal(H, 2, A) }]); // from validator 3
    deliverVotes(engine, [fx.vote(1, H, 2, 'prevote', null)]);
    assert.equal(engine.snapshot().round, 2);
  });

  it('one validator twice is not f+1, and earlier rounds never pull back', () => {
    const engine = startedEngine();
    deliverVotes(engine, [fx.vote(2, H, 3, 'prevote', A), fx.vote(2, H, 3, 'precommit', A)]);
    assert.equal(engine.snapshot().round, 0);
    skipRound(engine, 0);
    skipRound(engine, 1);
    deliverVotes(engine, [fx.vote(2, H, 1, 'prevote', null), fx.vote(3, H, 1, 'prevote', null)]);
    assert.equal(engine.snapshot().round, 2);
  });
});

describe('timeouts', () => {
  it('TimeoutPropose in step propose prevotes nil; it does nothing once the step or round moved on', () => {
    const engine = startedEngine();
    assertSingleVote(
      feed(engine, [{ type: 'timeout', height: H, round: 0, step: 'propose' }]),
      'prevote',
      null,
    );
    assert.deepEqual(engine.handle({ type: 'timeout', height: H, round: 0, step: 'propose' }), []);
    const other = startedEngine();
    skipRound(other, 0);
    assert.deepEqual(other.handle({ type: 'timeout', height: H, round: 0, step: 'propose' }), []);
  });

  it('TimeoutPrevote in step prevote precommits nil, and nothing in other steps', () => {
    const engine = startedEngine();
    assert.deepEqual(engine.handle({ type: 'timeout', height: H, round: 0, step: 'prevote' }), []);
    feed(engine, [{ type: 'timeout', height: H, round: 0, step: 'propose' }]);
    assertSingleVote(
      feed(engine, [{ type: 'timeout', height: H, round: 0, step: 'prevote' }]),
      'precommit',
      null,
    );
    assert.deepEqual(engine.handle({ type: 'timeout', height: H, round: 0, step: 'prevote' }), []);
  });

  it('TimeoutPrecommit starts round r + 1, unless height or round moved on', () => {
    const engine = startedEngine();
    feed(engine, [{ type: 'timeout', height: H, round: 0, step: 'precommit' }]);
    assert.equal(engine.snapshot().round, 1);
    assert.deepEqual(engine.handle({ type: 'timeout', height: H, round: 0, step: 'precommit' }), []);
    assert.deepEqual(engine.handle({ type: 'timeout', height: H + 1n, round: 1, step: 'precommit' }), []);
    assert.equal(engine.snapshot().round, 1);
  });

  it('durations grow with the round: base + round × delta, configurable per step', () => {
    const engine = startedEngine(0, {
      timeouts: { propose: { baseMs: 100, deltaMs: 10 }, precommit: { baseMs: 50, deltaMs: 5 } },
    });
    const durations: number[] = [];
    for (let round = 0; round < 4; round += 1) {
      const actions = engine.handle({ type: 'timeout', height: H, round, step: 'precommit' });
      durations.push(...actionsOfType(actions, 'scheduleTimeout').map((a) => a.durationMs));
    }
    assert.deepEqual(durations, [110, 120, 130, 140]);
    const prevote = startedEngine(0, { timeouts: { prevote: { baseMs: 7, deltaMs: 3 } } });
    skipRound(prevote, 0);
    feed(prevote, [{ type: 'timeout', height: H, round: 1, step: 'propose' }]);
    const actions = deliverVotes(prevote, [fx.vote(1, H, 1, 'prevote', A), fx.vote(2, H, 1, 'prevote', B)]);
    assert.deepEqual(
      actionsOfType(actions, 'scheduleTimeout').map((a) => a.durationMs),
      [10],
    );
  });

  it('refuses an unusable timeout configuration', () => {
    assert.throws(
      () => fx.engine(0, { timeouts: { propose: { baseMs: 0, deltaMs: 1 } } }),
      (error) => isShardpayError(error, 'CONSENSUS_CONFIG_INVALID'),
    );
  });
});

describe('messages from peers', () => {
  it('refuses a badly signed vote, or one from outside the committee, or of another chain', () => {
    const engine = startedEngine();
    const vote = fx.vote(1, H, 0, 'prevote', A);
    const cases: Array<[unknown, string]> = [
      [{ ...vote, blockHash: B }, 'bad_signature'],
      [{ ...vote, validatorIndex: 9 }, 'unknown_validator'],
      [{ ...vote, chainId: 'other' }, 'wrong_chain'],
      [{ ...vote, shard: 3 }, 'wrong_shard'],
    ];
    for (const [bad, reason] of cases) {
      assert.throws(
        () => engine.handle({ type: 'vote', vote: bad as typeof vote }),
        (error) => isShardpayError(error, 'CONSENSUS_MESSAGE_INVALID') && error.meta.reason === reason,
        reason,
      );
    }
  });

  it('skips verification when the driver pre-verified signatures', () => {
    const engine = startedEngine(0, { signaturesPreverified: true });
    const unsigned = { ...fx.vote(1, H, 0, 'prevote', A), signature: new Uint8Array(64) };
    engine.handle({ type: 'vote', vote: unsigned });
    engine.handle({ type: 'vote', vote: { ...unsigned, validatorIndex: 2 } });
    const actions = propose(engine, 0, A, true);
    assert.deepEqual(
      broadcastVotes(actions).map((v) => v.type),
      ['prevote', 'precommit'],
    );
  });

  it('ignores messages of past heights and of rounds beyond maxRoundsAhead', () => {
    const engine = startedEngine(0, { maxRoundsAhead: 5 });
    assert.deepEqual(engine.handle({ type: 'vote', vote: fx.vote(1, 0n, 0, 'prevote', A) }), []);
    deliverVotes(engine, [fx.vote(1, H, 6, 'prevote', A), fx.vote(2, H, 6, 'prevote', A)]);
    assert.equal(engine.snapshot().round, 0);
    deliverVotes(engine, [fx.vote(1, H, 5, 'prevote', A), fx.vote(2, H, 5, 'prevote', A)]);
    assert.equal(engine.snapshot().round, 5);
  });

  it('re-sends its own latest messages, the current proposal and its valid value’s polka for gossip', () => {
    const engine = startedEngine();
    propose(engine, 0, A, true);
    deliverVotes(engine, [fx.vote(1, H, 0, 'prevote', A), fx.vote(2, H, 0, 'prevote', A)]);
    const gossip = engine.messagesForGossip();
    const summary = gossip.map((m) =>
      m.type === 'proposal'
        ? `proposal:${m.proposal.proposerIndex}`
        : `${m.vote.type}:${m.vote.validatorIndex}`,
    );
    // Its own votes, the proposal it holds, and the prevotes of the polka behind its valid value.
    assert.deepEqual(summary.sort(), ['precommit:0', 'prevote:0', 'prevote:1', 'prevote:2', 'proposal:1']);
  });
});
