/**
 * The CI smoke run of `npm run chaos` (docs/chaos.md): one short scenario on a 2 shards × 4
 * validators devnet with its bank and gateway, ~20 s of intra- and cross-shard transfers, one
 * validator SIGKILLed and restarted mid-load; the checker over the recorded history must find no
 * lost final transfer, no double credit, no missing credit, no fork, balances and supply as the
 * history says, and the gateway's supply equal to the bank's reserve. The seed
 * (`SHARDPAY_TEST_SEED`) picks the victim and the load; `SHARDPAY_KEEP_TEST_DIR=1` keeps the devnet.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Cluster, startCluster, stopCluster } from '../../scripts/chaos/cluster.ts';
import { runScenario } from '../../scripts/chaos/scenario.ts';
import { createPrng } from './prng.ts';

const seed = Number(process.env.SHARDPAY_TEST_SEED ?? 20261203);

const root = mkdtempSync(join(tmpdir(), 'shardpay-chaos-smoke-'));

describe(`chaos smoke: one validator killed and restarted under load (seed ${seed})`, {
  timeout: 170_000,
}, () => {
  let cluster: Cluster | undefined;

  before(async () => {
    cluster = await startCluster(join(root, 'devnet'), 2, 4, true);
  });

  after(async () => {
    if (cluster) await stopCluster(cluster);
    if (process.env.SHARDPAY_KEEP_TEST_DIR === '1') console.log(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  });

  it('the checker finds no violation in the history', async () => {
    const prng = createPrng(seed);
    const shard = Math.floor(prng.next() * 2);
    const index = Math.floor(prng.next() * 4);
    const result = await runScenario(cluster!, {
      seed,
      scenario: 0,
      durationMs: 20_000,
      rate: 20,
      plan: [{ kind: 'kill', at: 4000, downMs: 5000, shard, index }],
      healTimeoutMs: 60_000,
    });
    const { stats, violations } = result.check;
    assert.deepEqual(violations, [], `violations (seed ${seed})`);
    assert.equal(stats.faults, 1);
    assert.ok(result.history.faults[0]!.healedAt !== undefined, 'the killed validator was restarted');
    assert.ok(stats.final >= 200, `only ${stats.final} transfers became final`);
    assert.ok(stats.credited > 0, 'no cross-shard transfer was credited');
    assert.ok(stats.refunded > 0, 'no payment under a repeated id was refunded');
    assert.ok(stats.reserveReadings > 0, 'the gateway never answered GET /v1/reserves');
    // Every validator's chain was read over the whole scenario, the restarted one included.
    const restarted = result.history.chains.find((c) => c.shard === shard && c.validator === index)!;
    const other = result.history.chains.find((c) => c.shard === shard && c.validator !== index)!;
    assert.equal(restarted.blocks.length, other.blocks.length, 'the restarted validator caught up');
  });
});
