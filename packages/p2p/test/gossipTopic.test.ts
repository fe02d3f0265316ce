import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GOSSIP_TOPIC_KINDS, gossipTopic, parseGossipTopic, shardTopics } from '@shardpay/p2p';
import fc from 'fast-check';

const seed = Number(process.env.P2P_PROPERTY_SEED ?? 7);

test('topic names are per chain, shard and kind', () => {
  assert.equal(gossipTopic('devnet', 0, 'tx'), '/shardpay/devnet/0/tx/1');
  assert.deepEqual(shardTopics('devnet', 3), {
    tx: '/shardpay/devnet/3/tx/1',
    consensus: '/shardpay/devnet/3/consensus/1',
    headers: '/shardpay/devnet/3/headers/1',
    receipts: '/shardpay/devnet/3/receipts/1',
  });
});

test('gossipTopic refuses unsafe parts with P2P_INVALID_TOPIC', () => {
  assert.throws(() => gossipTopic('a/b', 0, 'tx'), { code: 'P2P_INVALID_TOPIC' });
  assert.throws(() => gossipTopic('', 0, 'tx'), { code: 'P2P_INVALID_TOPIC' });
  assert.throws(() => gossipTopic('devnet', -1, 'tx'), { code: 'P2P_INVALID_TOPIC' });
  assert.throws(() => gossipTopic('devnet', 1.5, 'tx'), { code: 'P2P_INVALID_TOPIC' });
  assert.throws(() => gossipTopic('devnet', 0, 'blocks' as 'tx'), { code: 'P2P_INVALID_TOPIC' });
});

test('parseGossipTopic inverts gossipTopic', () => {
  const chainId = fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/);
  fc.assert(
    fc.property(
      chainId,
      fc.integer({ min: 0, max: 0xffff }),
      fc.constantFrom(...GOSSIP_TOPIC_KINDS),
      (c, s, k) => {
        assert.deepEqual(parseGossipTopic(gossipTopic(c, s, k)), { chainId: c, shard: s, kind: k });
      },
    ),
    { seed },
  );
});

test('parseGossipTopic returns null for anything else, and never throws', () => {
  for (const topic of [
    '',
    '/shardpay/devnet/0/tx/2',
    '/shardpay/devnet/00/tx/1',
    '/shardpay/devnet/0/blocks/1',
    '/shardpay/dev net/0/tx/1',
    '/shardpay/devnet/70000/tx/1',
    'shardpay/devnet/0/tx/1',
  ]) {
    assert.equal(parseGossipTopic(topic), null, topic);
  }
  fc.assert(
    fc.property(fc.string({ maxLength: 120 }), (topic) => {
      const parsed = parseGossipTopic(topic);
      if (parsed) assert.equal(gossipTopic(parsed.chainId, parsed.shard, parsed.kind), topic);
    }),
    { seed },
  );
});
