import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isShardpayError } from '@shardpay/crypto';
import { assertValidDevnetShape, devnetPorts, MAX_DEVNET_VALIDATORS } from '../src/devnet/devnetPorts.ts';

describe('devnet port derivation', () => {
  it('puts validator k on RPC P+10+k and p2p P+110+k, shard by shard', () => {
    const ports = devnetPorts(8080, 2, 4);
    assert.equal(ports.length, 8);
    assert.deepEqual(ports[0], { shard: 0, index: 0, position: 0, rpcPort: 8090, p2pPort: 8190 });
    assert.deepEqual(ports[5], { shard: 1, index: 1, position: 5, rpcPort: 8095, p2pPort: 8195 });
    assert.deepEqual(ports[7], { shard: 1, index: 3, position: 7, rpcPort: 8097, p2pPort: 8197 });
  });

  it('never lets two validators, or RPC and p2p, share a port', () => {
    for (const [shards, validators] of [
      [1, 1],
      [2, 4],
      [4, 25],
      [10, 10],
    ] as const) {
      const ports = devnetPorts(20_000, shards, validators);
      const all = ports.flatMap((p) => [p.rpcPort, p.p2pPort]);
      assert.equal(new Set(all).size, all.length);
      assert.ok(
        all.every((port) => port > 20_000),
        'P itself stays free for the gateway',
      );
    }
  });

  it('derives the same ports every time (a resumed devnet reuses them)', () => {
    assert.deepEqual(devnetPorts(9000, 3, 4), devnetPorts(9000, 3, 4));
  });

  it('refuses shapes that do not fit, naming the flag', () => {
    const flagOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        assert.ok(isShardpayError(error, 'USAGE'));
        return error.meta.field;
      }
      assert.fail('accepted');
    };
    assert.equal(
      flagOf(() => assertValidDevnetShape(0, 4, 8080)),
      'shards',
    );
    assert.equal(
      flagOf(() => assertValidDevnetShape(2, 0, 8080)),
      'validators',
    );
    assert.equal(
      flagOf(() => assertValidDevnetShape(2, 1.5, 8080)),
      'validators',
    );
    assert.equal(
      flagOf(() => assertValidDevnetShape(11, 10, 8080)),
      'validators',
    );
    assert.equal(
      flagOf(() => assertValidDevnetShape(1, 4, 0)),
      'port',
    );
    assert.equal(
      flagOf(() => assertValidDevnetShape(1, 4, 65_400)),
      'port',
    );
    assert.doesNotThrow(() => assertValidDevnetShape(1, MAX_DEVNET_VALIDATORS, 65535 - 209));
  });
});
