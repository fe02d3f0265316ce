/**
 * CI smoke of `npm run bench:gateway` (packages/gateway/bench/): a real 1 shard × 4 validator devnet,
 * 1 then 2 gateway processes on a scratch PostgreSQL database, 2 s per phase. Checks the report's shape
 * and that it is sane: requests answered 2xx in both phases, no error and no 5xx, every payment handed
 * out accepted exactly once and final on chain, latencies and CPU figures present, a verdict.
 * Skipped, saying why, unless SHARDPAY_TEST_DATABASE_URL is set (CI sets it).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatGatewayBench } from '../bench/formatGatewayBench.ts';
import { type PhaseReport, runGatewayBench } from '../bench/runGatewayBench.ts';

const databaseUrl = process.env.SHARDPAY_TEST_DATABASE_URL;

function assertPhaseSane(phase: PhaseReport, what: string): void {
  assert.ok(phase.ok > 0, `${what}: no 2xx answer`);
  assert.ok(phase.okPerSec > 0, `${what}: okPerSec ${phase.okPerSec}`);
  assert.equal(phase.errors, 0, `${what}: socket errors`);
  assert.equal(phase.timeouts, 0, `${what}: timeouts`);
  assert.deepEqual(phase.errorCodes, {}, `${what}: non-2xx answers`);
  for (const status of Object.keys(phase.statuses))
    assert.match(status, /^2\d\d$/, `${what}: status ${status}`);
  for (const key of ['p50Ms', 'p90Ms', 'p99Ms'] as const) {
    assert.ok(Number.isFinite(phase[key]) && phase[key] > 0, `${what}: ${key} = ${phase[key]}`);
  }
  assert.ok(phase.p99Ms >= phase.p50Ms, `${what}: p99 below p50`);
  for (const group of ['gateway', 'validators', 'postgres', 'bench']) {
    assert.equal(typeof phase.cpuPct[group], 'number', `${what}: CPU of ${group}`);
  }
  assert.ok((phase.cpuPct.gateway ?? 0) > 0, `${what}: the gateway used no CPU`);
  assert.ok(phase.probes.samples > 0, `${what}: no probe sample`);
  assert.equal(typeof phase.probes.rpcP50Ms, 'number', `${what}: no validator RPC probe`);
  assert.ok(['gateway', 'chain', 'database'].includes(phase.verdict.bottleneck));
  assert.ok(phase.verdict.reason.length > 0);
}

describe('npm run bench:gateway (smoke)', () => {
  it('1 and 2 replicas, 2 s per phase: answered, no errors, every payment accepted once and final', {
    timeout: 150_000,
    skip:
      databaseUrl === undefined || databaseUrl === ''
        ? 'SHARDPAY_TEST_DATABASE_URL is unset: set it to a postgres:// URL to run the gateway load smoke'
        : false,
  }, async () => {
    const report = await runGatewayBench({
      replicas: [1, 2],
      durationSec: 2,
      connections: 8,
      senders: 32,
      users: 2,
      paymentsPerSender: 16,
      databaseUrl: databaseUrl!,
    });
    assert.equal(report.shards, 1);
    assert.equal(report.validators, 4);
    assert.deepEqual(
      report.runs.map((run) => run.replicas),
      [1, 2],
    );
    for (const run of report.runs) {
      assertPhaseSane(run.reads, `${run.replicas} replica(s), reads`);
      assertPhaseSane(run.payments, `${run.replicas} replica(s), payments`);
      const payments = run.payments;
      assert.ok(payments.sent > 0);
      assert.ok(!payments.exhausted, 'ran out of pre-signed payments');
      for (const status of Object.keys(payments.retryStatuses)) assert.equal(status, '201');
      assert.equal(payments.accepted, payments.sent, 'every payment handed out accepted once');
      assert.equal(payments.finalOnChain, payments.accepted, 'accepted payments = payments final on chain');
      assert.ok(payments.chain.finalizedTxPerSec >= 0 && Number.isInteger(payments.chain.transactions));
    }
    assert.ok(['gateway', 'chain', 'database'].includes(report.bottleneck.bottleneck));
    assert.equal(report.rateLimitMax, 1_000_000);
    const table = formatGatewayBench(report);
    assert.match(table, /\| 2 \| payments \|/);
    assert.match(table, /^bottleneck: (gateway|chain|database) \(/m);
  });
});
