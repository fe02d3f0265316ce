/**
 * The fault planner: a seed names one schedule, network faults (partitions, slow links) join kills
 * and pauses when asked for and never otherwise, and no shard ever has more than f faulty validators
 * at once whichever kinds they are.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPrng } from '../../test/system/prng.ts';
import { faultTolerance, type PlannedFault, planFaults } from './faults.ts';

const seed = Number(process.env.SHARDPAY_TEST_SEED ?? 20261203);

function plan(s: number, networkFaults: boolean, validatorsPerShard = 4): PlannedFault[] {
  const prng = createPrng(s);
  return planFaults(() => prng.next(), {
    shards: 2,
    validatorsPerShard,
    durationMs: 30_000,
    services: true,
    networkFaults,
  });
}

/** The most validators of one shard faulty at the same instant. */
function maxConcurrent(faults: PlannedFault[], shard: number): number {
  const edges = faults
    .filter((f) => f.shard === shard)
    .flatMap((f) => [
      { t: f.at, d: 1 },
      { t: f.at + f.downMs, d: -1 },
    ])
    .sort((a, b) => a.t - b.t || a.d - b.d);
  let now = 0;
  let max = 0;
  for (const edge of edges) {
    now += edge.d;
    max = Math.max(max, now);
  }
  return max;
}

describe(`planFaults (seed ${seed})`, () => {
  it('the same seed gives the same schedule, another seed another', () => {
    assert.deepEqual(plan(seed, true), plan(seed, true));
    assert.notDeepEqual(plan(seed, true), plan(seed + 1, true));
  });

  it('partitions and slow links only with networkFaults, each slow link with its shape', () => {
    const kinds = (network: boolean) =>
      new Set(Array.from({ length: 50 }, (_, i) => plan(seed + i, network).map((f) => f.kind)).flat());
    assert.deepEqual([...kinds(false)].sort(), ['bank-restart', 'gateway-restart', 'kill', 'pause']);
    assert.deepEqual([...kinds(true)].sort(), [
      'bank-restart',
      'gateway-restart',
      'kill',
      'partition',
      'pause',
      'slow',
    ]);
    for (let i = 0; i < 50; i++) {
      for (const fault of plan(seed + i, true)) {
        assert.equal(fault.link !== undefined, fault.kind === 'slow', `${fault.kind} and its link shape`);
        if (fault.link) {
          assert.ok(fault.link.delayMs >= 50 && fault.link.delayMs < 400);
          assert.ok([64, 128, 256, 512].includes(fault.link.rateKbit));
        }
      }
    }
  });

  it('never more than f faulty validators of a shard at once, network faults included', () => {
    for (const n of [4, 7]) {
      for (let i = 0; i < 50; i++) {
        const faults = plan(seed + i, true, n);
        for (const shard of [0, 1]) {
          const max = maxConcurrent(faults, shard);
          assert.ok(max <= faultTolerance(n), `seed ${seed + i}, n ${n}, shard ${shard}: ${max} at once`);
        }
      }
    }
  });
});
