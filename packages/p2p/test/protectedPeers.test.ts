/**
 * Protected peers (a validator's own committee) are never banned nor cut off by scoring: with
 * four validators a shard survives one lost member, so one honest member misjudged by this node
 * must not be disconnected for the whole ban. Their rejected messages are still dropped unforwarded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPeerScoreBook, DEFAULT_PEER_SCORING, gossipTopic } from '@shardpay/p2p';
import { CHAIN_ID, startTestHost, stopAll, type TestHost, waitFor } from './helpers.ts';

const txTopic = gossipTopic(CHAIN_ID, 0, 'tx');

test('a protected peer is floored above the gossip thresholds and never banned', () => {
  const clock = { now: () => 0 };
  const book = createPeerScoreBook({}, { ...clock, isProtected: (peer) => peer === 'member' });
  for (let i = 0; i < 50; i++) {
    assert.equal(book.penalize('member', 'invalid-message').bannedNow, false);
    book.penalize('stranger', 'invalid-message');
  }
  assert.equal(book.isBanned('member'), false);
  assert.equal(book.score('member'), DEFAULT_PEER_SCORING.banThreshold * 0.3);
  assert.equal(book.isBanned('stranger'), true, 'unprotected peers are banned as before');
  book.ban('member', 'misbehaviour');
  assert.equal(book.isBanned('member'), true, 'an explicit ban still applies');
});

test('a protected score floor must lie between the ban threshold and 0', () => {
  assert.throws(() => createPeerScoreBook({ banThreshold: -100, protectedScoreFloor: -100 }), {
    code: 'P2P_INVALID_OPTIONS',
  });
  assert.throws(() => createPeerScoreBook({ protectedScoreFloor: 1 }), { code: 'P2P_INVALID_OPTIONS' });
  createPeerScoreBook({ protectedScoreFloor: -99 });
});

describe('a protected peer that keeps sending messages this host rejects', () => {
  let judge: TestHost | undefined;
  let member: TestHost | undefined;
  let stranger: TestHost | undefined;
  const banned: string[] = [];

  before(async () => {
    member = await startTestHost(31);
    stranger = await startTestHost(32);
    judge = await startTestHost(
      30,
      {
        protectedPeers: [member.host.peerId],
        bootstrap: [...member.host.multiaddrs(), ...stranger.host.multiaddrs()],
      },
      { onPeerBanned: (peer) => banned.push(peer) },
    );
    for (const host of [judge, member, stranger]) host.host.subscribe(txTopic);
  });
  after(() => stopAll(judge, member, stranger));

  test('stays connected and heard, while an unprotected one is banned', async () => {
    const judgeId = judge!.host.peerId;
    await waitFor('both senders to see the judge subscribed', () =>
      [member!, stranger!].every((host) => host.host.subscribers(txTopic).includes(judgeId)),
    );
    for (let i = 0; i < 14; i += 1) {
      await member!.host.publish(txTopic, Uint8Array.from([0xff, 1, i]));
      await stranger!.host.publish(txTopic, Uint8Array.from([0xff, 2, i]));
    }
    await waitFor('the stranger banned', () => judge!.host.isBanned(stranger!.host.peerId));
    await waitFor(
      'all 14 of the member rejected',
      () => judge!.seen.filter((entry) => entry.message.from === member!.host.peerId).length === 14,
    );
    assert.deepEqual(banned, [stranger!.host.peerId]);
    assert.equal(judge!.host.isBanned(member!.host.peerId), false);
    assert.ok(judge!.host.connectedPeers().includes(member!.host.peerId), 'the member was cut off');
    const score = judge!.host.peerScore(member!.host.peerId);
    assert.ok(
      score < 0 && score >= DEFAULT_PEER_SCORING.banThreshold * 0.3,
      `score ${score}: penalized, floored`,
    );
    // Still heard: a valid message from the member is delivered.
    await member!.host.publish(txTopic, Uint8Array.from([1, 2, 3]));
    await waitFor('the member heard again', () => judge!.accepted().includes('010203'));
  });
});
