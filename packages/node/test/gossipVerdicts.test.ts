/**
 * Gossip verdicts against honest-but-out-of-step messages (docs/node.md "Gossip verdicts"). The chaos
 * runner found shards halting after a validator restart: their validators banned each other for
 * `invalid-message`. Here validators 0–2 of a 1 × 4 shard run for real and validator 3 is a bare p2p
 * host with its key, sending what an honest validator 3 can send after a restart or while out of
 * step — a re-proposal (validRound ≥ 0) of a block another validator built, its WAL's votes for
 * heights already committed, votes for a height the others have not reached — and then frames that
 * are provably garbage. The honest ones must never be rejected; the garbage is rejected and logged,
 * yet validator 3, a committee member, is never banned or cut off, and the shard keeps committing.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { bytesToHex } from '@shardpay/crypto';
import { createP2PHost, gossipTopic, type P2PHost, peerIdFromValidatorPublicKey } from '@shardpay/p2p';
import {
  type Block,
  encodeBlock,
  encodeProposal,
  encodeVote,
  headerId,
  proposerIndex,
  signProposal,
  signVote,
} from '@shardpay/protocol';
import { createValidatorNode } from '../src/createValidatorNode.ts';
import type { ValidatorNode } from '../src/ValidatorNode.ts';
import { encodeFrame, FrameKind } from '../src/wire/frames.ts';
import { createLocalNetwork, type LocalNetwork } from './helpers/localNetwork.ts';
import { waitFor } from './helpers/waitFor.ts';

interface LoggedEvent {
  node: number;
  event: string;
  fields: Record<string, unknown>;
}

describe('gossip verdicts: an out-of-step committee member is never rejected nor banned', {
  timeout: 90_000,
}, () => {
  let net: LocalNetwork;
  const nodes: ValidatorNode[] = [];
  const events: LoggedEvent[] = [];
  let outsider: P2PHost;
  let sequence = 1_000_000;

  before(async () => {
    net = await createLocalNetwork(1, 4);
    for (const config of net.configs[0]!.slice(0, 3)) {
      const node = config.validatorIndex;
      nodes.push(
        await createValidatorNode(config, { log: (event, fields) => events.push({ node, event, fields }) }),
      );
    }
    await Promise.all(nodes.map((node) => node.start()));
    const bootstrap = net.configs[0]!.slice(0, 3).map(
      (config, index) =>
        `${config.p2p.listen[0]}/p2p/${peerIdFromValidatorPublicKey(net.genesis.validators[0]![index]!.publicKey)}`,
    );
    outsider = await createP2PHost(
      {
        validatorKey: net.genesis.validators[0]![3]!.privateKey,
        chainId: net.genesis.config.chainId,
        shard: 0,
        listen: net.configs[0]![3]!.p2p.listen,
        bootstrap,
        redial: { initialDelayMs: 50, maxDelayMs: 500 },
      },
      { onGossip: () => 'ignore' },
    );
    outsider.subscribe(gossipTopic(net.genesis.config.chainId, 0, 'consensus'));
    await outsider.start();
  });

  after(async () => {
    await outsider?.stop();
    await Promise.all(nodes.map((node) => node.stop()));
    rmSync(net.dir, { recursive: true, force: true });
  });

  const publishFrame = async (kind: number, parts: Uint8Array[]) => {
    sequence += 1;
    await outsider.publish(
      gossipTopic(net.genesis.config.chainId, 0, 'consensus'),
      encodeFrame(kind, parts, sequence),
    );
  };

  it('ignores re-proposals, stale and future votes; rejects garbage without banning; keeps committing', async () => {
    const topic = gossipTopic(net.genesis.config.chainId, 0, 'consensus');
    await waitFor(
      'validators 0-2 subscribed to the outsider',
      30_000,
      () => outsider.subscribers(topic).length === 3,
    );
    await waitFor('height 2 committed with 3 of 4 validators', 60_000, () =>
      nodes.every((node) => node.latestHeight() >= 2n),
    );
    const peers = outsider.subscribers(topic);
    const { chainId } = net.genesis.config;
    const key = net.genesis.validators[0]![3]!.privateKey;

    // Validator 3 never ran, so no committed block is its own: every re-proposal below carries a
    // block whose header names another proposer — what an honest proposer sends for validRound ≥ 0.
    const block: Block = nodes[0]!.getBlock(2n)!;
    assert.notEqual(block.header.proposerIndex, 3);
    const blockHash = headerId(block.header);
    const rounds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].filter((r) => proposerIndex(2n, r, 4) === 3);
    assert.ok(rounds.length >= 2);
    const honest: Array<() => Promise<void>> = [];
    for (const round of rounds) {
      const proposal = signProposal(
        { chainId, shard: 0, height: 2n, round, validRound: round - 1, blockHash, proposerIndex: 3 },
        key,
      );
      honest.push(() => publishFrame(FrameKind.proposal, [encodeProposal(proposal), encodeBlock(block)]));
    }
    // A restarted validator re-gossips its WAL: votes for heights the others have committed.
    for (const height of [1n, 2n]) {
      for (const type of ['prevote', 'precommit'] as const) {
        const vote = signVote(
          { chainId, shard: 0, height, round: 0, type, blockHash, validatorIndex: 3 },
          key,
        );
        honest.push(() => publishFrame(FrameKind.vote, [encodeVote(vote)]));
      }
    }
    // A validator ahead of this one (e.g. it synced first) votes for a height not reached here.
    const ahead = nodes[0]!.latestHeight() + 50n;
    const future = signVote(
      { chainId, shard: 0, height: ahead, round: 0, type: 'prevote', blockHash: null, validatorIndex: 3 },
      key,
    );
    honest.push(() => publishFrame(FrameKind.vote, [encodeVote(future)]));
    // Re-gossiped each second in the real node: send every one of them several times (≥ 10 bans).
    for (let pass = 0; pass < 4; pass++) for (const send of honest) await send();

    // Then provable garbage (a frame that does not decode), more than a ban's worth of rejections.
    for (let i = 0; i < 12; i++) await publishFrame(FrameKind.vote, [Uint8Array.of(0xff, i)]);
    const outsiderPeer = outsider.peerId;
    const rejections = (node: number) =>
      events.filter(
        (e) => e.node === node && e.event === 'gossip_rejected' && e.fields.peer === outsiderPeer,
      );
    await waitFor('each validator rejected the garbage', 30_000, () =>
      [0, 1, 2].every((node) =>
        rejections(node).some((e) => String(e.fields.reason).startsWith('WIRE_MALFORMED')),
      ),
    );

    const wrong = events.filter(
      (e) => e.event === 'gossip_rejected' && !String(e.fields.reason).startsWith('WIRE_MALFORMED'),
    );
    assert.deepEqual(
      wrong.map((e) => ({ node: e.node, ...e.fields })),
      [],
      'honest messages were rejected',
    );
    assert.deepEqual(
      events.filter((e) => e.event === 'peer_banned'),
      [],
      'a committee member was banned',
    );
    assert.deepEqual(outsider.subscribers(topic).sort(), [...peers].sort(), 'the outsider was cut off');
    const before = nodes[0]!.latestHeight();
    await waitFor('the shard keeps committing', 60_000, () =>
      nodes.every((node) => node.latestHeight() >= before + 1n),
    );
    assert.equal(
      new Set(nodes.map((node) => bytesToHex(node.getHeader(before)!.stateRoot))).size,
      1,
      'the validators agree',
    );
  });
});
