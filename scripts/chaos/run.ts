/**
 * `npm run chaos`: seeded fault scenarios against a multi-process devnet under load, each judged by
 * the checker over its recorded history (docs/chaos.md).
 *
 *   npm run chaos -- [--seed S] [--scenarios N] [--shards 2] [--validators 4] [--duration SEC]
 *                    [--rate TPS] [--no-services] [--no-network-faults] [--break MUTATION] [--keep] [--dir DIR]
 *   npm run chaos -- --check DIR/chaos/scenario-3.json      (re-check a saved history)
 *
 * Scenario i runs with seed S + i·0x9e3779b9 (mod 2^32), printed in the summary: `--seed` with that
 * value replays that scenario's schedule and load as scenario 0. Exit code 1 if any violation.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type CheckResult, checkHistory } from './checker.ts';
import { type Cluster, startCluster, stopCluster } from './cluster.ts';
import { faultTolerance } from './faults.ts';
import { type FaultEvent, loadHistory, saveHistory } from './history.ts';
import { MUTATIONS } from './mutants/mutations.ts';
import { runScenario } from './scenario.ts';

const usage =
  'usage: npm run chaos -- [--seed S] [--scenarios N] [--shards 2] [--validators 4] [--duration SEC] [--rate TPS] [--no-services] [--no-network-faults] [--break consumed-receipt|ledger-check-only] [--keep] [--dir DIR] | --check FILE';

function fail(message: string): never {
  console.error(`chaos: ${message}\n${usage}`);
  process.exit(2);
}

function integer(text: string | undefined, fallback: number, flag: string, min: number, max: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    fail(`--${flag} is a whole number from ${min} to ${max}, not '${text}'`);
  }
  return Number(text);
}

/** The seed of scenario `i` of a run seeded `seed`. */
export function scenarioSeed(seed: number, i: number): number {
  return (seed + Math.imul(i, 0x9e3779b9)) >>> 0;
}

const SHORT: Record<FaultEvent['kind'], string> = {
  kill: 'kill',
  pause: 'pause',
  partition: 'cut',
  slow: 'slow',
  'gateway-restart': 'gw',
  'bank-restart': 'bank',
};

/** `5: 2 kill, 1 cut, 2 slow` for the table (`cut` is a partition), or the long names for the totals. */
function describeFaults(faults: FaultEvent[], long = false): string {
  const counts = new Map<string, number>();
  for (const fault of faults) {
    const name = long ? fault.kind : SHORT[fault.kind];
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const parts = [...counts].map(([name, n]) => `${n} ${name}`).join(', ');
  return long ? parts || 'none' : `${faults.length}${parts ? `: ${parts}` : ''}`;
}

function printCheck(label: string, check: CheckResult): void {
  const s = check.stats;
  console.log(
    `${label}: ${s.transfers} transfers, ${s.final} final, ${s.crossShard} cross-shard (${s.credited} credited, ${s.refunded} refunded), ` +
      `${s.faults} faults, ${s.blocksChecked} blocks checked, ${s.reserveReadings} reserve readings: ` +
      `${check.violations.length === 0 ? 'no violation' : `${check.violations.length} VIOLATIONS`}`,
  );
  const byKind = new Map<string, number>();
  for (const violation of check.violations) byKind.set(violation.kind, (byKind.get(violation.kind) ?? 0) + 1);
  if (byKind.size > 0) console.log(`  by kind: ${[...byKind].map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
  for (const violation of check.violations.slice(0, 10))
    console.log(`  [${violation.kind}] ${violation.message}`);
  if (check.violations.length > 10) {
    console.log(`  … and ${check.violations.length - 10} more (all of them: --check on the saved history)`);
  }
}

async function main(): Promise<void> {
  const { values } = (() => {
    try {
      return parseArgs({
        options: {
          seed: { type: 'string' },
          scenarios: { type: 'string' },
          shards: { type: 'string' },
          validators: { type: 'string' },
          duration: { type: 'string' },
          rate: { type: 'string' },
          'no-services': { type: 'boolean' },
          'no-network-faults': { type: 'boolean' },
          keep: { type: 'boolean' },
          dir: { type: 'string' },
          check: { type: 'string' },
          break: { type: 'string' },
          help: { type: 'boolean' },
        },
      });
    } catch (error) {
      fail((error as Error).message);
    }
  })();
  if (values.help) {
    console.log(usage);
    return;
  }
  if (values.check !== undefined) {
    const check = checkHistory(loadHistory(values.check));
    printCheck(values.check, check);
    process.exitCode = check.violations.length === 0 ? 0 : 1;
    return;
  }
  const seed = integer(values.seed, randomInt(2 ** 32 - 1), 'seed', 0, 2 ** 32 - 1);
  const scenarios = integer(values.scenarios, 1, 'scenarios', 1, 1000);
  const shards = integer(values.shards, 2, 'shards', 1, 16);
  const validators = integer(values.validators, 4, 'validators', 1, 25);
  const durationMs = integer(values.duration, 30, 'duration', 5, 3600) * 1000;
  const rate = integer(values.rate, 20, 'rate', 1, 10_000);
  const services = values['no-services'] !== true;
  const mutation = values.break;
  if (mutation !== undefined && !(mutation in MUTATIONS)) {
    fail(`--break is one of ${Object.keys(MUTATIONS).join(', ')}, not '${mutation}'`);
  }
  const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'shardpay-chaos-'));
  mkdirSync(join(dir, 'chaos'), { recursive: true });
  console.log(
    `chaos: seed ${seed}, ${scenarios} scenario(s), ${shards} shards × ${validators} validators (f = ${faultTolerance(validators)}), ` +
      `${durationMs / 1000} s of load at ${rate} tx/s, bank and gateway ${services ? 'on' : 'off'}, devnet in ${dir}${mutation ? `, BROKEN BUILD: ${mutation}` : ''}`,
  );

  let cluster: Cluster | undefined;
  const stop = async () => {
    if (cluster) await stopCluster(cluster);
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  process.once('SIGTERM', () => void stop().then(() => process.exit(143)));
  // Last resort (an uncaught error, process.exit): the namespaces and veths go even then.
  process.once('exit', () => cluster?.net?.teardown());
  const rows: Array<{
    i: number;
    seed: number;
    faults: FaultEvent[];
    check?: CheckResult;
    seconds: number;
    error?: string;
  }> = [];
  try {
    cluster = await startCluster(join(dir, 'devnet'), shards, validators, services, mutation, {
      networkFaults: values['no-network-faults'] !== true,
    });
    // Off without --no-network-faults: startCluster already said why, in one line.
    if (cluster.networkFaults || values['no-network-faults'] === true)
      console.log(
        cluster.networkFaults
          ? `chaos: network faults on: validators in namespaces ${cluster.net!.prefix}* at 10.${cluster.net!.subnet}.K.2; ` +
              `partitions take a veth down, slow links are ${cluster.net!.netem ? 'netem delay/jitter/loss' : 'a tbf bandwidth cap (this kernel has no netem)'}`
          : `chaos: network faults off${cluster.net ? ' (validators in namespaces, --no-network-faults)' : ''}`,
      );
    for (let i = 0; i < scenarios; i++) {
      const s = scenarioSeed(seed, i);
      const started = Date.now();
      try {
        const result = await runScenario(cluster, {
          seed: s,
          scenario: i,
          durationMs,
          rate,
          log: (line) => console.log(line),
        });
        const file = join(dir, 'chaos', `scenario-${i}.json`);
        saveHistory(file, result.history);
        printCheck(`scenario ${i} (seed ${s}, history ${file})`, result.check);
        rows.push({
          i,
          seed: s,
          faults: result.history.faults,
          check: result.check,
          seconds: result.elapsedMs / 1000,
        });
        if (result.check.violations.some((v) => v.kind === 'not-final')) {
          // A shard stopped committing: later scenarios on this devnet would only repeat it.
          console.log('a shard stopped making progress; stopping the run (the devnet and its logs are kept)');
          break;
        }
      } catch (error) {
        console.log(`scenario ${i} (seed ${s}) could not run: ${(error as Error).stack ?? error}`);
        rows.push({
          i,
          seed: s,
          faults: [],
          seconds: (Date.now() - started) / 1000,
          error: (error as Error).message,
        });
      }
    }
  } finally {
    await stop();
  }

  console.log(
    '\n| scenario | seed | faults | transfers | final | cross: credited / refunded | violations | seconds |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const row of rows) {
    const s = row.check?.stats;
    console.log(
      `| ${row.i} | ${row.seed} | ${describeFaults(row.faults)} | ${s?.transfers ?? '-'} | ${s?.final ?? '-'} | ` +
        `${s ? `${s.credited} / ${s.refunded} of ${s.crossShard}` : '-'} | ` +
        `${row.error ? `did not run: ${row.error}` : row.check!.violations.length} | ${row.seconds.toFixed(0)} |`,
    );
  }
  const passed = rows.filter((row) => row.check && row.check.violations.length === 0).length;
  const violations = rows.reduce((sum, row) => sum + (row.check?.violations.length ?? 0), 0);
  const allFaults = rows.flatMap((row) => row.faults);
  console.log(`\nfaults: ${allFaults.length} (${describeFaults(allFaults, true)})`);
  console.log(`seed ${seed}: ${passed}/${rows.length} scenarios passed, ${violations} violations`);
  if (passed === rows.length && !values.keep && values.dir === undefined)
    rmSync(dir, { recursive: true, force: true });
  else console.log(`devnet, logs and histories kept in ${dir}`);
  process.exitCode = passed === rows.length ? 0 : 1;
}

if (import.meta.main) await main();
