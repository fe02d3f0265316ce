/** The WAL: records, restart in each step, and no conflicting signature after any crash. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex, isShardpayError } from '@shardpay/crypto';
import { encodeProposal, encodeVote } from '@shardpay/protocol';
import fc from 'fast-check';
import type { ConsensusAction, ConsensusEngine, ConsensusEvent, WalRecord } from '../src/index.ts';
import {
  createConsensusEngine,
  createPrivateKeySigner,
  decodeWalRecord,
  encodeWalRecord,
  restoreConsensusEngine,
  walRecordStep,
} from '../src/index.ts';
import {
  actionsOfType,
  assertPersistBeforeBroadcast,
  assertSingleVote,
  blockHash,
  broadcastVotes,
  createCommitteeFixture,
  deliverVotes,
  feed,
  persistedRecords,
} from './consensusFixture.ts';

const H = 1n;
const A = blockHash('A');
const B = blockHash('B');
const fx = createCommitteeFixture(4);

function restore(index: number, walRecords: WalRecord[], height = H) {
  const { engine, actions } = restoreConsensusEngine(
    fx.config(index),
    { signer: createPrivateKeySigner(fx.keys[index] ?? new Uint8Array(32)) },
    { height, walRecords },
  );
  assertPersistBeforeBroadcast(actions, walRecords);
  return { engine, actions };
}

function messageBytes(record: WalRecord): string {
  return bytesToHex(record.type === 'proposal' ? encodeProposal(record.proposal) : encodeVote(record.vote));
}

describe('WAL records', () => {
  it('encode and decode both kinds canonically', () => {
    const records: WalRecord[] = [
      { type: 'proposal', proposal: fx.proposal(H, 2, A, 1) },
      { type: 'vote', vote: fx.vote(2, H, 0, 'precommit', null) },
      { type: 'vote', vote: fx.vote(1, 7n, 3, 'prevote', B) },
    ];
    for (const record of records) {
      const bytes = encodeWalRecord(record);
      assert.deepEqual(decodeWalRecord(bytes), record);
      assert.deepEqual(encodeWalRecord(decodeWalRecord(bytes)), bytes);
    }
    assert.deepEqual(walRecordStep(records[0] as WalRecord), { height: H, round: 2, step: 'propose' });
    assert.deepEqual(walRecordStep(records[1] as WalRecord), { height: H, round: 0, step: 'precommit' });
  });

  it('refuses an unknown tag and truncated bytes', () => {
    const bytes = encodeWalRecord({ type: 'vote', vote: fx.vote(2, H, 0, 'prevote', A) });
    assert.throws(
      () => decodeWalRecord(Uint8Array.of(9, ...bytes.subarray(1))),
      (error) => isShardpayError(error, 'CONSENSUS_WAL_INVALID'),
    );
    assert.throws(
      () => decodeWalRecord(bytes.subarray(0, bytes.length - 1)),
      (error) => isShardpayError(error, 'DECODE_ERROR'),
    );
  });
});

describe('restart from the WAL', () => {
  it('in step propose: a proposer that persisted its proposal re-sends the same one and asks for no block', () => {
    const engine = fx.engine(1);
    feed(engine, [{ type: 'start', height: H }]);
    const actions = engine.handle({ type: 'blockToPropose', height: H, round: 0, blockHash: A });
    // Crash right after the first action: the proposal is on disk, nothing was sent.
    const wal = persistedRecords(actions.slice(0, 1));
    assert.equal(wal.length, 1);
    const restored = restore(1, wal);
    const [resent] = actionsOfType(restored.actions, 'broadcastProposal');
    assert.ok(resent !== undefined);
    assert.equal(
      messageBytes({ type: 'proposal', proposal: resent.proposal }),
      messageBytes(wal[0] as WalRecord),
    );
    assert.equal(actionsOfType(restored.actions, 'requestBlock').length, 0);
    // The prevote for its own proposal never left the process: it is signed now, WAL first.
    assertSingleVote(restored.actions, 'prevote', A);
    assert.deepEqual(
      restored.engine.handle({ type: 'blockToPropose', height: H, round: 0, blockHash: B }),
      [],
    );
  });

  it('in step prevote: re-sends its prevote and signs no other for that round', () => {
    const engine = fx.engine(0);
    feed(engine, [{ type: 'start', height: H }]);
    const actions = feed(engine, [
      { type: 'proposal', proposal: fx.proposal(H, 0, A) },
      { type: 'blockValidity', height: H, blockHash: A, valid: true },
    ]);
    const wal = persistedRecords(actions);
    const { engine: restored, actions: resent } = restore(0, wal);
    assert.deepEqual(
      broadcastVotes(resent).map((v) => bytesToHex(encodeVote(v))),
      wal.map(messageBytes),
    );
    assert.equal(actionsOfType(resent, 'persistWal').length, 0);
    assert.deepEqual([restored.snapshot().round, restored.snapshot().step], [0, 'prevote']);
    assert.deepEqual(
      broadcastVotes(restored.handle({ type: 'timeout', height: H, round: 0, step: 'propose' })),
      [],
    );
  });

  it('in step precommit: keeps its lock, so a new value in a later round gets a nil prevote', () => {
    const engine = fx.engine(0);
    feed(engine, [{ type: 'start', height: H }]);
    const actions = [
      ...feed(engine, [
        { type: 'proposal', proposal: fx.proposal(H, 0, A) },
        { type: 'blockValidity', height: H, blockHash: A, valid: true },
      ]),
      ...deliverVotes(engine, [fx.vote(1, H, 0, 'prevote', A), fx.vote(2, H, 0, 'prevote', A)]),
    ];
    const wal = persistedRecords(actions);
    assert.deepEqual(
      wal.map((r) => walRecordStep(r).step),
      ['prevote', 'precommit'],
    );
    const { engine: restored } = restore(0, wal);
    const snapshot = restored.snapshot();
    assert.deepEqual([snapshot.round, snapshot.step, snapshot.lockedRound], [0, 'precommit', 0]);
    assert.deepEqual(snapshot.lockedValue, A);
    assert.deepEqual(
      broadcastVotes(restored.handle({ type: 'timeout', height: H, round: 0, step: 'prevote' })),
      [],
    );
    feed(restored, [{ type: 'timeout', height: H, round: 0, step: 'precommit' }]);
    const next = feed(restored, [
      { type: 'proposal', proposal: fx.proposal(H, 1, B) },
      { type: 'blockValidity', height: H, blockHash: B, valid: true },
    ]);
    assertSingleVote(next, 'prevote', null);
  });

  it('resumes the latest signed round, then decides when peers re-send their votes', () => {
    const engine = fx.engine(0);
    feed(engine, [{ type: 'start', height: H }]);
    const actions = feed(engine, [
      { type: 'timeout', height: H, round: 0, step: 'propose' },
      { type: 'timeout', height: H, round: 0, step: 'prevote' },
      { type: 'timeout', height: H, round: 0, step: 'precommit' },
      { type: 'timeout', height: H, round: 1, step: 'propose' },
    ]);
    const { engine: restored } = restore(0, persistedRecords(actions));
    assert.deepEqual([restored.snapshot().round, restored.snapshot().step], [1, 'prevote']);
    const decided = feed(restored, [
      { type: 'proposal', proposal: fx.proposal(H, 1, A) },
      { type: 'blockValidity', height: H, blockHash: A, valid: true },
      ...[1, 2, 3].map((i): ConsensusEvent => ({ type: 'vote', vote: fx.vote(i, H, 1, 'precommit', A) })),
    ]);
    assert.equal(actionsOfType(decided, 'commit').length, 1);
  });

  it('with no record of the height, starts it afresh; records of other heights are ignored', () => {
    const old: WalRecord = { type: 'vote', vote: fx.vote(0, H, 0, 'prevote', A) };
    const { engine, actions } = restore(0, [old], H + 1n);
    assert.deepEqual(actions, [
      { type: 'scheduleTimeout', height: H + 1n, round: 0, step: 'propose', durationMs: 3000 },
    ]);
    assert.equal(engine.snapshot().height, H + 1n);
  });

  it('refuses records of another validator, or two different messages for one step', () => {
    assert.throws(
      () => restore(0, [{ type: 'vote', vote: fx.vote(1, H, 0, 'prevote', A) }]),
      (error) => isShardpayError(error, 'CONSENSUS_WAL_INVALID') && error.meta.reason === 'foreign_record',
    );
    assert.throws(
      () =>
        restore(0, [
          { type: 'vote', vote: fx.vote(0, H, 0, 'prevote', A) },
          { type: 'vote', vote: fx.vote(0, H, 0, 'prevote', B) },
        ]),
      (error) =>
        isShardpayError(error, 'CONSENSUS_WAL_INVALID') && error.meta.reason === 'conflicting_records',
    );
  });

  it('refuses to start twice', () => {
    const engine = fx.engine(0);
    engine.handle({ type: 'start', height: H });
    assert.throws(
      () => engine.handle({ type: 'restore', height: H, walRecords: [] }),
      (error) => isShardpayError(error, 'CONSENSUS_STATE_INVALID'),
    );
  });
});

/** Events a property run draws from: messages of rounds 0..3 at heights 1..2, timeouts, answers. */
function eventArbitrary(): fc.Arbitrary<ConsensusEvent | 'crash'> {
  const height = fc.constantFrom(1n, 2n);
  const round = fc.integer({ min: 0, max: 3 });
  const value = fc.constantFrom<Uint8Array | null>(A, B, null);
  const block = fc.constantFrom(A, B);
  return fc.oneof(
    fc
      .record({ h: height, r: round, v: block, vr: fc.integer({ min: -1, max: 2 }) })
      .map(({ h, r, v, vr }) => ({
        type: 'proposal' as const,
        proposal: fx.proposal(h, r, v, Math.min(vr, r - 1)),
      })),
    fc
      .record({
        i: fc.integer({ min: 1, max: 3 }),
        h: height,
        r: round,
        t: fc.constantFrom('prevote', 'precommit'),
        v: value,
      })
      .map(({ i, h, r, t, v }) => ({
        type: 'vote' as const,
        vote: fx.vote(i, h, r, t as 'prevote' | 'precommit', v),
      })),
    fc
      .record({ h: height, r: round, s: fc.constantFrom('propose', 'prevote', 'precommit') })
      .map(({ h, r, s }) => ({
        type: 'timeout' as const,
        height: h,
        round: r,
        step: s as 'propose' | 'prevote' | 'precommit',
      })),
    fc.record({ h: height, v: block, ok: fc.boolean() }).map(({ h, v, ok }) => ({
      type: 'blockValidity' as const,
      height: h,
      blockHash: v,
      valid: ok,
    })),
    fc.record({ h: height, r: round, v: block }).map(({ h, r, v }) => ({
      type: 'blockToPropose' as const,
      height: h,
      round: r,
      blockHash: v,
    })),
    fc.constant('crash' as const),
  );
}

describe('crash safety (property)', () => {
  it('across crashes at any action, a validator never sends two different messages for one (height, round, step)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.tuple(eventArbitrary(), fc.nat()), { minLength: 1, maxLength: 60 }),
        (index, steps) => {
          const signer = createPrivateKeySigner(fx.keys[index] ?? new Uint8Array(32));
          const wal: WalRecord[] = [];
          let committedHeight = 0n;
          const sent = new Map<string, string>();
          let engine: ConsensusEngine = createConsensusEngine(fx.config(index), { signer });
          let pending: ConsensusAction[] = engine.handle({ type: 'start', height: 1n });

          /** Executes actions; `upTo` models a crash that loses everything after it. */
          const execute = (actions: ConsensusAction[], upTo = actions.length): void => {
            for (const action of actions.slice(0, upTo)) {
              if (action.type === 'persistWal') wal.push(action.record);
              if (action.type === 'commit') committedHeight = action.height;
              if (action.type === 'broadcastVote' || action.type === 'broadcastProposal') {
                const record: WalRecord =
                  action.type === 'broadcastVote'
                    ? { type: 'vote', vote: action.vote }
                    : { type: 'proposal', proposal: action.proposal };
                assert.ok(
                  wal.some((r) => messageBytes(r) === messageBytes(record)),
                  'broadcast of a message that is not in the WAL',
                );
                const { height, round, step } = walRecordStep(record);
                const key = `${height}/${round}/${step}`;
                const previous = sent.get(key);
                assert.ok(
                  previous === undefined || previous === messageBytes(record),
                  `two messages for ${key}`,
                );
                sent.set(key, messageBytes(record));
              }
            }
          };

          for (const [event, cut] of steps) {
            if (event === 'crash') {
              execute(pending, cut % (pending.length + 1));
              const restored = restoreConsensusEngine(
                fx.config(index),
                { signer },
                { height: committedHeight + 1n, walRecords: wal },
              );
              engine = restored.engine;
              pending = restored.actions;
              continue;
            }
            execute(pending);
            try {
              pending = engine.handle(event);
            } catch (error) {
              // Events the fixture can make invalid (a valid round the engine refuses) change nothing.
              assert.ok(isShardpayError(error, 'CONSENSUS_MESSAGE_INVALID'), String(error));
              pending = [];
            }
          }
          execute(pending);
        },
      ),
      { numRuns: 300, seed: 20240611 },
    );
  });
});
