/** The pieces of `shardpay bench` that need no network: the cross-shard mix and the peers' workload. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCrossShardTransfer } from '@shardpay/node/bench';
import { createPeerWorkload } from '../src/bench/peerWorkload.ts';

describe('bench workload', () => {
  const key = (i: number) => Uint8Array.from({ length: 33 }, (_, k) => (i * 31 + k * 7) & 0xff);
  const recipients = [[], []];

  it('sends about PCT % of the transfers across shards, the same ones every time', () => {
    let crossing = 0;
    const total = 20 * 1000;
    for (let s = 0; s < 20; s++) {
      for (let nonce = 0; nonce < 1000; nonce++) {
        const a = isCrossShardTransfer(key(s), nonce, { crossShardPct: 25, recipients });
        assert.equal(a, isCrossShardTransfer(key(s), nonce, { crossShardPct: 25, recipients }));
        if (a) crossing++;
      }
    }
    assert.ok(Math.abs(crossing / total - 0.25) < 0.02, `share ${crossing / total}`);
    assert.equal(isCrossShardTransfer(key(1), 5, { crossShardPct: 100, recipients: [[]] }), false);
    assert.equal(isCrossShardTransfer(key(1), 5, { crossShardPct: 0, recipients }), false);
    assert.equal(isCrossShardTransfer(key(1), 5, { crossShardPct: 100, recipients }), true);
  });

  it('gives the peers a seeded stream of transfers in range', () => {
    const a = createPeerWorkload(200, 256, 7);
    const b = createPeerWorkload(200, 256, 7);
    for (let i = 0; i < 1000; i++) {
      const x = a.next();
      assert.deepEqual(x, b.next());
      assert.ok(x.from >= 0 && x.from < 200 && x.to >= 0 && x.to < 256);
      assert.ok(x.amount >= 1n && x.amount <= 100n);
    }
  });
});
