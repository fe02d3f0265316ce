/** Shared fixtures for the engine tests: a committee with fixed keys and helpers to sign messages. */
import assert from 'node:assert/strict';
import { publicKeyFromPrivateKey, sha256, utf8ToBytes } from '@shardpay/crypto';
import type { Committee, Hash, Proposal, Vote, VoteType } from '@shardpay/protocol';
import { signProposal, signVote } from '@shardpay/protocol';
import type { ConsensusAction, ConsensusConfig, ConsensusEngine, WalRecord } from '../src/index.ts';
import { createConsensusEngine, createPrivateKeySigner } from '../src/index.ts';

export const CHAIN_ID = 'shardpay-test';
export const SHARD = 0;

/** A block hash standing for a block named `label`. */
export function blockHash(label: string): Hash {
  return sha256(utf8ToBytes(`block:${label}`));
}

export interface CommitteeFixture {
  n: number;
  keys: Uint8Array[];
  committee: Committee;
  config(validatorIndex: number, overrides?: Partial<ConsensusConfig>): ConsensusConfig;
  engine(validatorIndex: number, overrides?: Partial<ConsensusConfig>): ConsensusEngine;
  vote(validatorIndex: number, height: bigint, round: number, type: VoteType, hash: Hash | null): Vote;
  proposal(height: bigint, round: number, hash: Hash, validRound?: number, proposerIndex?: number): Proposal;
}

/** A committee of `n` validators whose keys are sha256('validator-key:i'). */
export function createCommitteeFixture(n: number): CommitteeFixture {
  const keys = Array.from({ length: n }, (_, i) => sha256(utf8ToBytes(`validator-key:${i}`)));
  const committee: Committee = {
    shard: SHARD,
    validators: keys.map((key) => ({ publicKey: publicKeyFromPrivateKey(key), addresses: [] })),
  };
  const keyOf = (index: number): Uint8Array => {
    const key = keys[index];
    assert.ok(key !== undefined, `no key ${index}`);
    return key;
  };
  const config = (validatorIndex: number, overrides: Partial<ConsensusConfig> = {}): ConsensusConfig => ({
    chainId: CHAIN_ID,
    shard: SHARD,
    committee,
    validatorIndex,
    ...overrides,
  });
  return {
    n,
    keys,
    committee,
    config,
    engine: (validatorIndex, overrides) =>
      createConsensusEngine(config(validatorIndex, overrides), {
        signer: createPrivateKeySigner(keyOf(validatorIndex)),
      }),
    vote: (validatorIndex, height, round, type, hash) =>
      signVote(
        { chainId: CHAIN_ID, shard: SHARD, height, round, type, blockHash: hash, validatorIndex },
        keyOf(validatorIndex),
      ),
    proposal: (
      height,
      round,
      hash,
      validRound = -1,
      proposerIndex = Number((height + BigInt(round)) % BigInt(n)),
    ) =>
      signProposal(
        { chainId: CHAIN_ID, shard: SHARD, height, round, validRound, blockHash: hash, proposerIndex },
        keyOf(proposerIndex),
      ),
  };
}

/** The actions of one type, narrowed. */
export function actionsOfType<T extends ConsensusAction['type']>(
  actions: readonly ConsensusAction[],
  type: T,
): Array<Extract<ConsensusAction, { type: T }>> {
  return actions.filter((a): a is Extract<ConsensusAction, { type: T }> => a.type === type);
}

/** The votes an action list broadcasts, as `type:value` strings ('prevote:nil', 'precommit:<hex>'). */
export function broadcastVotes(actions: readonly ConsensusAction[]): Vote[] {
  return actionsOfType(actions, 'broadcastVote').map((a) => a.vote);
}

/** The WAL records an action list persists. */
export function persistedRecords(actions: readonly ConsensusAction[]): WalRecord[] {
  return actionsOfType(actions, 'persistWal').map((a) => a.record);
}

/** Asserts that the list broadcasts exactly one vote, of `type`, for `hash` (null: nil). */
export function assertSingleVote(
  actions: readonly ConsensusAction[],
  type: VoteType,
  hash: Hash | null,
): Vote {
  const votes = broadcastVotes(actions);
  assert.equal(votes.length, 1, `expected one ${type}, got ${votes.length}`);
  const [vote] = votes;
  assert.ok(vote !== undefined);
  assert.equal(vote.type, type);
  if (hash === null) assert.equal(vote.blockHash, null);
  else assert.deepEqual(vote.blockHash, hash);
  return vote;
}

/**
 * Asserts the crash-safety order: every broadcast of a message this engine signed is preceded, in the
 * same list, by the `persistWal` of that very message. `alreadyPersisted` holds messages restored from
 * a WAL (their re-broadcast needs no new record).
 */
export function assertPersistBeforeBroadcast(
  actions: readonly ConsensusAction[],
  alreadyPersisted: WalRecord[] = [],
): void {
  const persisted: unknown[] = alreadyPersisted.map((r) => (r.type === 'proposal' ? r.proposal : r.vote));
  for (const action of actions) {
    if (action.type === 'persistWal') {
      persisted.push(action.record.type === 'proposal' ? action.record.proposal : action.record.vote);
    } else if (action.type === 'broadcastVote') {
      assert.ok(persisted.includes(action.vote), 'a vote was broadcast before its WAL record');
    } else if (action.type === 'broadcastProposal') {
      assert.ok(persisted.includes(action.proposal), 'a proposal was broadcast before its WAL record');
    }
  }
}

/** Feeds events one after another and returns all actions, checking the persist-before-broadcast order. */
export function feed(
  engine: ConsensusEngine,
  events: Parameters<ConsensusEngine['handle']>[0][],
): ConsensusAction[] {
  const all: ConsensusAction[] = [];
  for (const event of events) {
    const actions = engine.handle(event);
    assertPersistBeforeBroadcast(actions);
    all.push(...actions);
  }
  return all;
}

/** Delivers votes to an engine. */
export function deliverVotes(engine: ConsensusEngine, votes: Vote[]): ConsensusAction[] {
  return feed(
    engine,
    votes.map((vote) => ({ type: 'vote', vote })),
  );
}
