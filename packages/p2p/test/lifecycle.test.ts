import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createP2PHost, gossipTopic, peerIdFromValidatorKey, SYNC_PROTOCOL } from '@shardpay/p2p';
import { CHAIN_ID, startTestHost, stopAll, type TestHost, testValidatorKey, waitFor } from './helpers.ts';

const txTopic = gossipTopic(CHAIN_ID, 0, 'tx');

describe('stop()', () => {
  let u: TestHost | undefined;
  let v: TestHost | undefined;
  after(() => stopAll(u, v));

  test('closes connections, is idempotent, and leaves a host that refuses work with coded errors', async () => {
    u = await startTestHost(40);
    v = await startTestHost(41, { bootstrap: u.host.multiaddrs() });
    v.host.subscribe(txTopic);
    await waitFor('v to connect', () => u!.host.connectedPeers().includes(v!.host.peerId));
    await v.host.stop();
    assert.equal(v.host.isStarted(), false);
    assert.deepEqual(v.host.connectedPeers(), []);
    assert.deepEqual(v.host.multiaddrs(), []);
    await waitFor('u to notice', () => !u!.host.connectedPeers().includes(v!.host.peerId));
    await v.host.stop();
    await assert.rejects(v.host.publish(txTopic, Uint8Array.of(1)), { code: 'P2P_NOT_STARTED' });
    await assert.rejects(v.host.request(u.host.peerId, SYNC_PROTOCOL, Uint8Array.of(1)), {
      code: 'P2P_NOT_STARTED',
    });
    assert.deepEqual(v.host.subscribers(txTopic), []);
    assert.deepEqual(v.errors, [], 'no errors reported by a clean stop');
  });
});

describe('bootstrap redial', () => {
  let a: TestHost | undefined;
  let b: TestHost | undefined;
  let b2: TestHost | undefined;
  after(() => stopAll(a, b, b2));

  test('reconnects when the bootstrap peer comes back on the same address', async () => {
    b = await startTestHost(50);
    const address = b.host.multiaddrs()[0]!;
    const port = /\/tcp\/(\d+)\//.exec(address)?.[1];
    assert.ok(port, address);
    a = await startTestHost(51, { bootstrap: [address] });
    await waitFor('a to reach b', () => a!.host.connectedPeers().includes(b!.host.peerId));
    await b.host.stop();
    await waitFor('a to lose b', () => !a!.host.connectedPeers().includes(b!.host.peerId));
    b2 = await startTestHost(50, { listen: [`/ip4/127.0.0.1/tcp/${port}`] });
    assert.equal(b2.host.peerId, b.host.peerId, 'same key, same peer id');
    await waitFor('a to redial b', () => a!.host.connectedPeers().includes(b2!.host.peerId));
  });
});

describe('allow-list', () => {
  let gate: TestHost | undefined;
  let member: TestHost | undefined;
  let stranger: TestHost | undefined;
  const admitted: string[] = [];
  after(() => stopAll(gate, member, stranger));

  test('admits listed peers only, and drops peers removed from the list', async () => {
    gate = await startTestHost(
      60,
      { allowedPeers: [peerIdFromValidatorKey(testValidatorKey(61))] },
      { onPeerConnected: (peer) => admitted.push(peer) },
    );
    member = await startTestHost(61, { bootstrap: gate.host.multiaddrs() });
    stranger = await startTestHost(62);
    await waitFor('the member to be admitted', () =>
      gate!.host.connectedPeers().includes(member!.host.peerId),
    );
    await stranger.host.dial(gate.host.multiaddrs()[0]!).catch((error: unknown) => {
      assert.equal((error as { code?: string }).code, 'P2P_DIAL_FAILED');
    });
    await waitFor(
      'the stranger to be cut off',
      () => !stranger!.host.connectedPeers().includes(gate!.host.peerId),
    );
    assert.ok(!admitted.includes(stranger.host.peerId), 'the stranger was never admitted');
    await assert.rejects(gate.host.request(stranger.host.peerId, SYNC_PROTOCOL, Uint8Array.of(1)), {
      code: 'P2P_PEER_NOT_ALLOWED',
    });

    gate.host.setAllowedPeers([stranger.host.peerId]);
    await waitFor(
      'the removed member to be dropped',
      () => !gate!.host.connectedPeers().includes(member!.host.peerId),
    );
    await stranger.host.dial(gate.host.multiaddrs()[0]!);
    await waitFor('the newly listed peer to be admitted', () => admitted.includes(stranger!.host.peerId));
  });
});

describe('createP2PHost options', () => {
  test('bad options are refused with coded errors', async () => {
    const base = { validatorKey: testValidatorKey(70), chainId: CHAIN_ID, shard: 0 };
    await assert.rejects(createP2PHost({ ...base, validatorKey: new Uint8Array(31) }), {
      code: 'P2P_INVALID_VALIDATOR_KEY',
    });
    await assert.rejects(createP2PHost({ ...base, validatorKey: new Uint8Array(32) }), {
      code: 'P2P_INVALID_VALIDATOR_KEY',
    });
    await assert.rejects(createP2PHost({ ...base, chainId: 'a/b' }), { code: 'P2P_INVALID_OPTIONS' });
    await assert.rejects(createP2PHost({ ...base, shard: -1 }), { code: 'P2P_INVALID_OPTIONS' });
    await assert.rejects(createP2PHost({ ...base, bootstrap: ['/ip4/127.0.0.1/tcp/1'] }), {
      code: 'P2P_INVALID_MULTIADDR',
    });
    await assert.rejects(createP2PHost({ ...base, bootstrap: ['not a multiaddr'] }), {
      code: 'P2P_INVALID_MULTIADDR',
    });
    await assert.rejects(createP2PHost({ ...base, maxMessageBytes: { tx: 0 } }), {
      code: 'P2P_INVALID_OPTIONS',
    });
  });
});
