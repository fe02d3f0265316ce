/**
 * `shardpay bench` end to end: a real one-validator devnet in separate processes, a 3 s window, the
 * JSON object of CLI.md; with a PostgreSQL server (SHARDPAY_BENCH_DATABASE_URL, or the suite's
 * SHARDPAY_TEST_DATABASE_URL) the peers run too, for 3 s each.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const bin = join(import.meta.dirname, '..', 'bin', 'shardpay.js');
const databaseUrl = process.env.SHARDPAY_BENCH_DATABASE_URL ?? process.env.SHARDPAY_TEST_DATABASE_URL;

/** Runs the CLI with a bound on its time; resolves with its exit code and output. */
function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGINT'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function assertPeer(peer: unknown): void {
  const p = peer as { ran: boolean; tps?: number; reason?: string };
  if (p.ran) assert.ok((p.tps ?? 0) > 0, `a peer that ran has tx/s: ${JSON.stringify(p)}`);
  else assert.match(p.reason ?? '', /\S/, 'a peer that did not run says why');
}

describe('shardpay bench', () => {
  it('refuses a cross-shard percentage above 100 with a usage error', () => {
    const result = spawnSync(process.execPath, [bin, 'bench', '--cross-shard', '101', '--json'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(result.status, 1);
    assert.equal(JSON.parse(result.stdout).error.code, 'usage');
  });

  it('measures a 1 × 1 devnet for 3 s and prints the CLI.md object', { timeout: 150_000 }, async () => {
    const args = ['bench', '--shards', '1', '--validators', '1', '--duration', '3', '--warmup', '1'];
    args.push('--senders', '50', '--json');
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '' };
    if (databaseUrl) {
      args.push('--peers', '--peer-clients', '4');
      env.SHARDPAY_BENCH_DATABASE_URL = databaseUrl;
    } else {
      delete env.SHARDPAY_BENCH_DATABASE_URL;
    }
    const { code, stdout, stderr } = await runCli(args, env, 140_000);
    assert.equal(code, 0, `exit ${code}\n${stderr.slice(-3000)}\n${stdout}`);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 1, 'exactly one JSON object on stdout');
    const result = JSON.parse(lines[0]!);
    for (const key of [
      'tps',
      'p50Ms',
      'p90Ms',
      'p99Ms',
      'crossShardP50Ms',
      'crossShardP99Ms',
      'cpuUsPerTxPerValidator',
      'limitTps',
      'ratioToLimit',
      'peers',
    ]) {
      assert.ok(key in result, `missing ${key}`);
    }
    assert.ok(result.tps > 0, `tps ${result.tps}`);
    assert.ok(result.p50Ms > 0 && result.p99Ms >= result.p50Ms, `latency ${result.p50Ms} / ${result.p99Ms}`);
    assert.ok(result.limitTps > 0);
    assert.equal(result.ratioToLimit, Number((result.tps / result.limitTps).toFixed(2)));
    assert.equal(result.crossShardP99Ms, null, 'one shard has no cross-shard transfers');
    assert.equal(typeof result.peers, 'object');
    if (databaseUrl) {
      assert.equal(result.peers.postgres.ran, true, JSON.stringify(result.peers.postgres));
      assertPeer(result.peers.postgres);
      assertPeer(result.peers.hardhat);
    } else {
      assert.deepEqual(result.peers, {});
    }
  });
});
