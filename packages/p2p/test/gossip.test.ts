import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { publicKeyFromPrivateKey } from '@shardpay/crypto';
import { gossipTopic, peerIdFromValidatorPublicKey } from '@shardpay/p2p';
import {
  CHAIN_ID,
  hex,
  startTestHost,
  stopAll,
  type TestHost,
  testValidatorKey,
  waitFor,
} from './helpers.ts';

const txTopic = gossipTopic(CHAIN_ID, 0, 'tx');

describe('three fully connected hosts', () => {
  let a: TestHost | undefined;
  let b: TestHost | undefined;
  let c: TestHost | undefined;

  before(async () => {
    a = await startTestHost(0);
    b = await startTestHost(1, { bootstrap: a.host.multiaddrs() });
    c = await startTestHost(2, { bootstrap: [...a.host.multiaddrs(), ...b.host.multiaddrs()] });
    for (const node of [a, b, c]) node.host.subscribe(txTopic);
  });
  after(() => stopAll(a, b, c));

  test('each peer id is the one computed from the validator public key', () => {
    for (const [index, node] of [a!, b!, c!].entries()) {
      const expected = peerIdFromValidatorPublicKey(publicKeyFromPrivateKey(testValidatorKey(index)));
      assert.equal(node.host.peerId, expected);
      assert.ok(node.host.multiaddrs().every((address) => address.endsWith(`/p2p/${expected}`)));
    }
  });

  test('a published message reaches every other subscriber, once', async () => {
    await waitFor('a to see b and c on the topic', () => {
      const subscribers = a!.host.subscribers(txTopic);
      return subscribers.includes(b!.host.peerId) && subscribers.includes(c!.host.peerId);
    });
    const payload = Uint8Array.from([1, 2, 3, 4]);
    const result = await a!.host.publish(txTopic, payload);
    assert.ok(result.recipients >= 2, `recipients ${result.recipients}`);
    await waitFor(
      'b and c to receive',
      () => b!.accepted().includes('01020304') && c!.accepted().includes('01020304'),
    );
    const delivered = c!.seen.find((entry) => hex(entry.message.data) === '01020304');
    assert.equal(delivered?.message.kind, 'tx');
    assert.equal(delivered?.message.shard, 0);
    assert.equal(delivered?.message.chainId, CHAIN_ID);
    assert.match(delivered?.message.messageId ?? '', /^[0-9a-f]{64}$/);
    // Content-addressed ids: the same bytes again are a duplicate, not a second delivery.
    await a!.host.publish(txTopic, payload);
    const marker = Uint8Array.from([9, 9]);
    await a!.host.publish(txTopic, marker);
    await waitFor(
      'the marker to arrive',
      () => b!.accepted().includes('0909') && c!.accepted().includes('0909'),
    );
    assert.equal(b!.accepted().filter((data) => data === '01020304').length, 1);
    assert.equal(c!.accepted().filter((data) => data === '01020304').length, 1);
    assert.equal(a!.accepted().length, 0, 'a host does not deliver its own messages to itself');
  });

  test('publishing from another host reaches the others too', async () => {
    await waitFor('c to see a and b on the topic', () => c!.host.subscribers(txTopic).length >= 2);
    await c!.host.publish(txTopic, Uint8Array.from([7, 7, 7]));
    await waitFor(
      'a and b to receive',
      () => a!.accepted().includes('070707') && b!.accepted().includes('070707'),
    );
  });

  test('publish refuses oversized messages and foreign topics with coded errors', async () => {
    await assert.rejects(a!.host.publish(txTopic, new Uint8Array(512 * 1024 + 1)), {
      code: 'P2P_MESSAGE_TOO_LARGE',
    });
    await assert.rejects(a!.host.publish(gossipTopic('other-chain', 0, 'tx'), Uint8Array.of(1)), {
      code: 'P2P_INVALID_TOPIC',
    });
    await assert.rejects(a!.host.publish('/random/topic', Uint8Array.of(1)), { code: 'P2P_INVALID_TOPIC' });
    assert.throws(() => a!.host.subscribe('/shardpay/p2p-test/0/tx/2'), { code: 'P2P_INVALID_TOPIC' });
  });
});

describe('a rejected message', () => {
  // A line: x — y — z. z only hears what y forwards.
  let x: TestHost | undefined;
  let y: TestHost | undefined;
  let z: TestHost | undefined;

  before(async () => {
    y = await startTestHost(10);
    x = await startTestHost(11, { bootstrap: y.host.multiaddrs() });
    z = await startTestHost(12, { bootstrap: y.host.multiaddrs() }, {}, () => 'accept');
    for (const node of [x, y, z]) node.host.subscribe(txTopic);
  });
  after(() => stopAll(x, y, z));

  test('is not forwarded, and lowers the sender score', async () => {
    assert.ok(!x!.host.connectedPeers().includes(z!.host.peerId), 'x and z are not neighbours');
    await waitFor(
      'the mesh x-y-z',
      () =>
        x!.host.subscribers(txTopic).includes(y!.host.peerId) &&
        // y forwards only to its mesh, so z must be in it before x publishes.
        y!.host.meshPeers(txTopic).includes(z!.host.peerId),
    );
    await x!.host.publish(txTopic, Uint8Array.from([1, 1]));
    await waitFor('a valid message to cross the line', () => z!.accepted().includes('0101'));
    assert.equal(y!.host.peerScore(x!.host.peerId), 0);

    await x!.host.publish(txTopic, Uint8Array.from([0xff, 1]));
    await x!.host.publish(txTopic, Uint8Array.from([2, 2]));
    await waitFor(
      'y to judge the bad one and z to get the next good one',
      () => y!.seen.some((entry) => hex(entry.message.data) === 'ff01') && z!.accepted().includes('0202'),
    );
    assert.ok(
      !z!.seen.some((entry) => hex(entry.message.data) === 'ff01'),
      'z never saw the rejected message',
    );
    assert.ok(y!.host.peerScore(x!.host.peerId) < 0, 'the sender lost score');
    assert.equal(y!.host.peerScore(z!.host.peerId), 0, 'innocent peers keep theirs');
    assert.equal(y!.host.stats().gossipRejected, 1);
    assert.ok(!y!.host.isBanned(x!.host.peerId), 'one mistake is not a ban');
  });
});

describe('a peer that keeps sending invalid messages', () => {
  let honest: TestHost | undefined;
  let spammer: TestHost | undefined;
  const banned: string[] = [];
  const connected: string[] = [];

  before(async () => {
    honest = await startTestHost(
      20,
      {},
      { onPeerBanned: (peer) => banned.push(peer), onPeerConnected: (peer) => connected.push(peer) },
    );
    spammer = await startTestHost(21, { bootstrap: honest.host.multiaddrs() });
    honest.host.subscribe(txTopic);
    spammer.host.subscribe(txTopic);
  });
  after(() => stopAll(honest, spammer));

  test('is disconnected, banned and refused when it comes back', async () => {
    const spammerId = spammer!.host.peerId;
    await waitFor('the spammer to see the honest subscriber', () =>
      spammer!.host.subscribers(txTopic).includes(honest!.host.peerId),
    );
    // Ten rejections reach the default ban threshold (-100); send a few more in case of decay.
    for (let i = 0; i < 14; i += 1) {
      await spammer!.host.publish(txTopic, Uint8Array.from([0xff, i]));
    }
    await waitFor(
      'the ban and the disconnection',
      () =>
        honest!.host.isBanned(spammerId) &&
        !honest!.host.connectedPeers().includes(spammerId) &&
        !spammer!.host.connectedPeers().includes(honest!.host.peerId),
    );
    assert.deepEqual(banned, [spammerId]);
    assert.equal(honest!.host.bans()[0]?.reason, 'invalid-message');
    assert.ok(honest!.host.peerScore(spammerId) <= -100);
    // Coming back: the dial may fail outright or complete on the spammer's side and be cut at
    // once by the honest host's gater; either way the honest host never admits it.
    const admissions = connected.filter((peer) => peer === spammerId).length;
    await spammer!.host.dial(honest!.host.multiaddrs()[0]!).catch((error: unknown) => {
      assert.equal((error as { code?: string }).code, 'P2P_DIAL_FAILED');
    });
    await waitFor(
      'the returning spammer to be dropped',
      () => !spammer!.host.connectedPeers().includes(honest!.host.peerId),
    );
    assert.equal(connected.filter((peer) => peer === spammerId).length, admissions, 'not re-admitted');
    assert.ok(!honest!.host.connectedPeers().includes(spammerId));
    await assert.rejects(honest!.host.request(spammerId, '/shardpay/sync/1', Uint8Array.of(1)), {
      code: 'P2P_PEER_BANNED',
    });
  });
});
