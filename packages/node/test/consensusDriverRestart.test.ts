/**
 * A restarted proposer: its WAL holds the proposal it signed but not the block (block bodies live in
 * memory), so when the others' precommits arrive its engine decides a block the driver cannot
 * commit (`commit_without_body`). The engine moves to the next height and ignores a catch-up for
 * the decided one; the block that block sync then brings must still be committed, or the chain
 * stays one height behind its engine for good (every later message looks like a future height).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCommitCertificate, createPrivateKeySigner, encodeWalRecord } from '@shardpay/consensus';
import {
  type Block,
  committeeOf,
  headerId,
  proposerIndex,
  signProposal,
  signVote,
  type Vote,
} from '@shardpay/protocol';
import { createMemoryChainStore } from '@shardpay/storage';
import { openShardChain, type ShardChain } from '../src/chain/createShardChain.ts';
import { createConsensusDriver } from '../src/consensus/createConsensusDriver.ts';
import { createDevnetGenesis } from '../src/genesis/createDevnetGenesis.ts';

const CHAIN_ID = 'shardpay-driver-restart';
const GENESIS_TIME_MS = 1_750_000_000_000n;
const genesis = createDevnetGenesis({
  chainId: CHAIN_ID,
  shards: 1,
  validatorsPerShard: 4,
  p2pPort: (_shard, index) => 41_000 + index,
  faucetBalance: '1000',
  genesisTimeMs: GENESIS_TIME_MS,
});
const keys = genesis.validators[0]!.map((validator) => validator.privateKey);
const openChain = (): ShardChain =>
  openShardChain(genesis.config, 0, createMemoryChainStore({ chainId: CHAIN_ID, shard: 0 }), {});

describe('a restarted proposer whose engine decided without the block body', () => {
  it('commits the block that block sync brings, and its chain catches up with its engine', () => {
    const proposer = proposerIndex(1n, 0, 4);
    const built = openChain().build({
      transactions: [],
      incoming: [],
      proposerIndex: proposer,
      timestampMs: GENESIS_TIME_MS + 1_000n,
      maxTransactions: 10,
    });
    const blockHash = built.hash;
    const base = { chainId: CHAIN_ID, shard: 0, height: 1n, round: 0 } as const;
    const proposal = signProposal(
      { ...base, validRound: -1, blockHash, proposerIndex: proposer },
      keys[proposer]!,
    );
    const vote = (type: 'prevote' | 'precommit', validatorIndex: number): Vote =>
      signVote({ ...base, type, blockHash, validatorIndex }, keys[validatorIndex]!);

    // What the proposer had made durable before it was killed: its proposal and its two votes.
    const chain = openChain();
    chain.store.appendWal(1n, encodeWalRecord({ type: 'proposal', proposal }));
    chain.store.appendWal(1n, encodeWalRecord({ type: 'vote', vote: vote('prevote', proposer) }));
    chain.store.appendWal(1n, encodeWalRecord({ type: 'vote', vote: vote('precommit', proposer) }));

    const logged: string[] = [];
    const behind: bigint[] = [];
    const committed: Block[] = [];
    const schedule = { baseMs: 600_000, deltaMs: 0 };
    const driver = createConsensusDriver(
      {
        committee: committeeOf(genesis.config, 0),
        validatorIndex: proposer,
        timeouts: { propose: schedule, prevote: schedule, precommit: schedule },
        idleIntervalMs: 600_000,
        minIntervalMs: 0,
      },
      {
        chain,
        signer: createPrivateKeySigner(keys[proposer]!),
        buildBlock: () => assert.fail('the restored proposer does not build again'),
        hasWork: () => false,
        publishProposal: () => assert.fail('there is no body to publish'),
        publishVote: () => {},
        onCommitted: (block) => committed.push(block.block),
        onBehind: (height) => behind.push(height),
        onEvidence: () => assert.fail('no equivocation here'),
        log: (event) => logged.push(event),
        nowMs: () => Number(GENESIS_TIME_MS + 2_000n),
      },
    );
    driver.start();
    try {
      assert.ok(logged.includes('consensus_restored'));
      const others = [0, 1, 2, 3].filter((index) => index !== proposer).slice(0, 2);
      for (const index of others) assert.equal(driver.onVote(vote('precommit', index)), 'accept');
      assert.ok(logged.includes('commit_without_body'), 'decided with its own proposal but no block');
      assert.equal(driver.height(), 2n, 'the engine moved on');
      assert.equal(chain.height(), 0n);
      assert.deepEqual(behind, [1n], 'block sync was asked for');

      // Block sync brings the block with a certificate (verified by the node before this call).
      const certificate = buildCommitCertificate({
        ...base,
        blockHash,
        precommits: [proposer, ...others].map((index) => vote('precommit', index)),
      });
      driver.onSyncedBlock(built.block, headerId(built.block.header), certificate);
      assert.equal(chain.height(), 1n, 'the synced block was committed');
      assert.equal(committed.length, 1);
      assert.equal(driver.height(), 2n);
    } finally {
      driver.stop();
    }
  });
});
