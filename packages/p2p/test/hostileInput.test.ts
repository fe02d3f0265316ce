import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { privateKeyFromRaw } from '@libp2p/crypto/keys';
import { identify } from '@libp2p/identify';
import type { Libp2p, Stream } from '@libp2p/interface';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { gossipTopic, SYNC_PROTOCOL } from '@shardpay/p2p';
import fc from 'fast-check';
import { encode } from 'it-length-prefixed';
import { createLibp2p } from 'libp2p';
import { CHAIN_ID, startTestHost, stopAll, type TestHost, testValidatorKey, waitFor } from './helpers.ts';

const seed = Number(process.env.P2P_FUZZ_SEED ?? 20240601);

/**
 * Sends raw bytes on a fresh stream; with `drain`, waits (bounded) until the server closes or
 * resets it, whatever it makes of them.
 */
async function sendRaw(
  attacker: Libp2p,
  target: string,
  protocol: string,
  bytes: Uint8Array,
  drain: boolean,
): Promise<void> {
  let stream: Stream;
  try {
    stream = await attacker.dialProtocol(multiaddr(target), protocol);
  } catch {
    return;
  }
  const guard = setTimeout(() => stream.abort(new Error('server never closed the stream')), 5_000);
  try {
    stream.send(bytes);
    await stream.close();
    if (drain) {
      for await (const _ of stream) {
        // until the server closes or resets
      }
    }
  } catch {
    // a reset is a fine answer to garbage
  } finally {
    clearTimeout(guard);
    if (!drain) stream.abort(new Error('done'));
  }
}

describe('hostile input', () => {
  let server: TestHost | undefined;
  let honest: TestHost | undefined;
  let attacker: Libp2p | undefined;

  before(async () => {
    server = await startTestHost(
      80,
      // Never ban here: the point is to push many bad inputs through the same connection.
      { scoring: { banThreshold: -1e12 } },
      { requestHandlers: { [SYNC_PROTOCOL]: async (body) => Uint8Array.from(body) } },
    );
    server.host.subscribe(gossipTopic(CHAIN_ID, 0, 'tx'));
    honest = await startTestHost(81, { bootstrap: server.host.multiaddrs() });
    attacker = await createLibp2p({
      privateKey: privateKeyFromRaw(testValidatorKey(82)),
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: { identify: identify() },
    });
  });
  after(async () => {
    await stopAll(server, honest);
    await attacker?.stop();
  });

  test('malformed request frames are penalized and never crash the server', async () => {
    const target = server!.host.multiaddrs()[0]!;
    const attackerId = attacker!.peerId.toString();
    // A length prefix that never ends (varint longer than allowed).
    await sendRaw(attacker!, target, SYNC_PROTOCOL, new Uint8Array(12).fill(0xff), true);
    await waitFor('a penalty for the bad varint', () => server!.host.peerScore(attackerId) < 0);
    const afterVarint = server!.host.peerScore(attackerId);
    // A frame announcing 100 bytes and delivering 3.
    await sendRaw(attacker!, target, SYNC_PROTOCOL, Uint8Array.from([100, 1, 2, 3]), true);
    await waitFor(
      'a penalty for the truncated frame',
      () => server!.host.peerScore(attackerId) < afterVarint,
    );

    const refusedBefore = server!.host.stats().requestsRefused;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (garbage) => {
        await sendRaw(attacker!, target, SYNC_PROTOCOL, garbage, true);
        await sendRaw(attacker!, target, '/meshsub/1.1.0', encode.single(garbage).subarray(), false);
        await sendRaw(attacker!, target, '/meshsub/1.1.0', garbage, false);
      }),
      { seed, numRuns: 40 },
    );
    assert.ok(server!.host.stats().requestsRefused > refusedBefore, 'some garbage was refused');
    assert.equal(server!.host.isStarted(), true);
    const echo = await honest!.host.request(server!.host.peerId, SYNC_PROTOCOL, Uint8Array.of(4, 2));
    assert.deepEqual([...echo], [4, 2], `server still serves (fuzz seed ${seed})`);
    assert.equal(server!.host.peerScore(honest!.host.peerId), 0);
  });
});
