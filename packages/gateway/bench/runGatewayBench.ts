import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NetworkConfig, networkConfigFromJson } from '@shardpay/protocol';
import { createScratchPostgres } from '../test/helpers/scratchPostgres.ts';
import { callApi, callRpc, mapLimit, waitUntil } from './benchHttp.ts';
import { judgeBottleneck, scaling, type Verdict } from './judgeBottleneck.ts';
import { type ProbeSummary, startPhaseProbes } from './probeDuringPhase.ts';
import { type ChainWindow, latestHeights, readChainWindow } from './readChainWindow.ts';
import { cpuPercent, findPostgresPids, findValidatorPids, sampleCpu } from './readProcessCpu.ts';
import { type PhaseResult, runLoadPhase } from './runLoadPhase.ts';
import { type BenchSender, readAccount, setupBenchSenders, signBenchPayments } from './setupBenchSenders.ts';
import { attachBenchDevnet, type BenchDevnet, startBenchDevnet } from './startBenchDevnet.ts';
import { BENCH_RATE_LIMIT_MAX, type GatewayReplica, startGatewayReplicas } from './startGatewayReplicas.ts';

export interface GatewayBenchOptions {
  /** Replica counts, run one after the other (default [1, 2]). */
  replicas: number[];
  /** Seconds per phase. */
  durationSec: number;
  /** autocannon connections in all (split evenly over the replicas). */
  connections: number;
  /** Registered, funded sending wallets. */
  senders: number;
  /** Users owning them (each signs up and logs in once). */
  users: number;
  /** Pre-signed payments per sender per run (the phase stops early if they run out). */
  paymentsPerSender: number;
  /** A running devnet's folder; unset: a new 1 shard × 4 validator devnet for the run. */
  dir?: string;
  /** The PostgreSQL server; a scratch database is made on it and dropped afterwards. */
  databaseUrl: string;
  log?: (line: string) => void;
}

export interface PhaseReport extends Omit<PhaseResult, 'unanswered'> {
  cpuPct: Record<string, number | null>;
  probes: ProbeSummary;
  verdict: Verdict;
}

export interface PaymentsReport extends PhaseReport {
  /** Bodies handed to autocannon (sent, or built when the window closed). */
  sent: number;
  /** Bodies without an answer in the window, sent again with their Idempotency-Key afterwards. */
  retried: number;
  /** The retries' HTTP statuses (all 201 when every payment was accepted once). */
  retryStatuses: Record<string, number>;
  /** 201 in the window plus 201 on the retries. */
  accepted: number;
  /** Σ over senders of the committed nonce's advance: payments final on chain. */
  finalOnChain: number;
  chain: ChainWindow;
}

export interface GatewayBenchRun {
  replicas: number;
  reads: PhaseReport;
  payments: PaymentsReport;
}

export interface GatewayBenchReport {
  shards: number;
  validators: number;
  replicas: number[];
  durationSec: number;
  connections: number;
  senders: number;
  users: number;
  rateLimitMax: number;
  cores: number;
  loadAverage: { start: number; end: number };
  runs: GatewayBenchRun[];
  scaling: { reads: number | null; payments: number | null };
  bottleneck: Verdict;
}

/**
 * The gateway load benchmark (docs/benchmarks.md, "Gateway load"): a devnet's validators, a scratch
 * PostgreSQL database, and for each replica count N gateway processes on it; senders set up through
 * the API, then phase A (authenticated balance reads) and phase B (pre-signed payments, each with its
 * own Idempotency-Key), each measured with autocannon against the replicas, with the chain's finalized
 * tx/s and every process group's CPU over the same window, and a verdict on what limited it.
 */
export async function runGatewayBench(options: GatewayBenchOptions): Promise<GatewayBenchReport> {
  const log = options.log ?? (() => {});
  const loadStart = loadavg()[0]!;
  const work = mkdtempSync(join(tmpdir(), 'shardpay-gwbench-logs-'));
  const logFile = join(work, 'gateways.log');
  let devnet: BenchDevnet | undefined;
  let scratch: Awaited<ReturnType<typeof createScratchPostgres>> | undefined;
  let replicas: GatewayReplica[] = [];
  let succeeded = false;
  try {
    log(
      options.dir ? `attaching to the devnet in ${options.dir}` : 'starting a 1 shard × 4 validator devnet',
    );
    devnet = options.dir ? await attachBenchDevnet(options.dir) : await startBenchDevnet(1, 4);
    const shards = devnet.shards;
    const rpc = (shard: number) => shards.find((s) => s.id === shard)!.rpc[0]!;
    const network: NetworkConfig = networkConfigFromJson(
      await callRpc(rpc(shards[0]!.id), 'shardpay_getNetworkConfig'),
    );
    scratch = await createScratchPostgres(options.databaseUrl);
    const scratchUrl = scratch.url;
    const databaseName = new URL(scratchUrl).pathname.slice(1);
    const jwtSecret = randomBytes(32).toString('hex');
    const validatorPids = findValidatorPids(devnet.dir);
    const cores = cpus().length;
    let senders: BenchSender[] | undefined;
    const runs: GatewayBenchRun[] = [];

    for (const count of options.replicas) {
      log(`starting ${count} gateway replica(s)`);
      replicas = await startGatewayReplicas({
        count,
        databaseUrl: scratchUrl,
        jwtSecret,
        shards,
        keysDir: join(devnet.dir, 'keys'),
        logFile,
      });
      const urls = replicas.map((replica) => replica.url);
      const connections = Math.max(count, Math.round(options.connections / count) * count);
      if (senders === undefined) {
        log(`setting up ${options.users} users and ${options.senders} funded wallets through the API`);
        senders = await setupBenchSenders({
          gateway: urls[0]!,
          rpc,
          network,
          users: options.users,
          senders: options.senders,
        });
      }
      const all = senders;
      const groups = () => ({
        gateway: replicas.map((replica) => replica.pid),
        validators: validatorPids,
        postgres: findPostgresPids(databaseName),
      });
      const measure = async <T>(run: () => Promise<T>) => {
        const stopProbes = await startPhaseProbes({
          rpcUrl: rpc(shards[0]!.id),
          databaseUrl: scratchUrl,
          databaseName,
        });
        const start = sampleCpu(groups());
        const result = await run();
        const cpuPct = cpuPercent(start, sampleCpu(groups()));
        return { result, cpuPct, probes: await stopProbes() };
      };
      const readRequest = (index: number) => {
        const sender = all[index % all.length]!;
        return {
          method: 'GET' as const,
          path: `/v1/wallets/${sender.walletId}/balance`,
          headers: { authorization: `Bearer ${sender.token}` },
        };
      };

      log(`${count} replica(s): warm-up (1 s of reads, not measured)`);
      await runLoadPhase({ urls, connections, durationSec: 1, next: readRequest });

      log(`${count} replica(s): phase A, balance reads for ${options.durationSec} s`);
      const reads = await measure(() =>
        runLoadPhase({ urls, connections, durationSec: options.durationSec, next: readRequest }),
      );

      log(`${count} replica(s): signing ${options.paymentsPerSender} payments per sender`);
      const { payments, baseNonces } = await signBenchPayments(all, rpc, options.paymentsPerSender);
      const fromHeights = await latestHeights(shards);
      let handedOut = 0;
      log(`${count} replica(s): phase B, payments for ${options.durationSec} s`);
      const startMs = Date.now();
      const paid = await measure(() =>
        runLoadPhase({
          urls,
          connections,
          durationSec: options.durationSec,
          next: (index) => {
            const payment = payments[index];
            if (payment === undefined) return undefined;
            handedOut = index + 1;
            const sender = all[payment.sender]!;
            return {
              method: 'POST',
              path: '/v1/payments',
              headers: {
                authorization: `Bearer ${sender.token}`,
                'content-type': 'application/json',
                'idempotency-key': payment.idempotencyKey,
              },
              body: payment.body,
            };
          },
        }),
      );
      const endMs = Date.now();

      // Answers lost when the window closed: the client's retry with the same key (stored answer or
      // first run), so every body handed out is accepted exactly once.
      const retries = await mapLimit(paid.result.unanswered, 16, async (index) => {
        const payment = payments[index]!;
        let status = 0;
        // 409 idempotency_key_in_use: the original is still running on a replica; ask again.
        await waitUntil(`the retried payment ${payment.idempotencyKey}`, 60_000, async () => {
          const answer = await callApi(urls[index % urls.length]!, 'POST', '/v1/payments', {
            token: all[payment.sender]!.token,
            body: JSON.parse(payment.body),
            idempotencyKey: payment.idempotencyKey,
          });
          status = answer.status;
          return status !== 409;
        });
        return status;
      });
      const retriedOk = retries.filter((status) => status === 201).length;
      const retryStatuses: Record<string, number> = {};
      for (const status of retries) retryStatuses[status] = (retryStatuses[status] ?? 0) + 1;
      const expected = baseNonces.map((base, sender) => {
        const rounds = Math.floor(handedOut / all.length) + (sender < handedOut % all.length ? 1 : 0);
        return base + BigInt(rounds);
      });
      log(`${count} replica(s): waiting until the ${handedOut} payments are final on chain`);
      let nonces: bigint[] = [];
      await waitUntil('every accepted payment to be final on chain', 180_000, async () => {
        nonces = (await mapLimit(all, 16, (sender) => readAccount(rpc, sender.account))).map((a) => a.nonce);
        return nonces.every((nonce, sender) => nonce >= expected[sender]!);
      });
      const finalOnChain = Number(
        nonces.reduce((sum, nonce, sender) => sum + (nonce - baseNonces[sender]!), 0n),
      );
      const chain = await readChainWindow(shards, fromHeights, startMs, endMs);

      const { unanswered: _readsUnanswered, ...readsResult } = reads.result;
      const { unanswered, ...paidResult } = paid.result;
      const readsFigures = {
        kind: 'reads' as const,
        replicas: count,
        okPerSec: readsResult.okPerSec,
        p50Ms: readsResult.p50Ms,
        probes: reads.probes,
        cpuPct: reads.cpuPct,
        cores,
      };
      runs.push({
        replicas: count,
        reads: {
          ...readsResult,
          cpuPct: reads.cpuPct,
          probes: reads.probes,
          verdict: judgeBottleneck(readsFigures),
        },
        payments: {
          ...paidResult,
          cpuPct: paid.cpuPct,
          probes: paid.probes,
          verdict: judgeBottleneck({
            kind: 'payments',
            replicas: count,
            okPerSec: paidResult.okPerSec,
            p50Ms: paidResult.p50Ms,
            probes: paid.probes,
            cpuPct: paid.cpuPct,
            cores,
            chainTxPerSec: chain.finalizedTxPerSec,
          }),
          sent: handedOut,
          retried: unanswered.length,
          retryStatuses,
          accepted: paidResult.ok + retriedOk,
          finalOnChain,
          chain,
        },
      });
      log(`${count} replica(s): stopping the replicas`);
      await Promise.all(replicas.map((replica) => replica.stop()));
      replicas = [];
    }

    const last = runs.at(-1)!;
    const paymentScaling = scaling(
      runs.map((run) => ({ replicas: run.replicas, okPerSec: run.payments.okPerSec })),
    );
    const readScaling = scaling(
      runs.map((run) => ({ replicas: run.replicas, okPerSec: run.reads.okPerSec })),
    );
    const scalingNote =
      paymentScaling === null
        ? ''
        : `; payments with ${last.replicas} replicas ÷ ${runs[0]!.replicas}: ${paymentScaling}×`;
    succeeded = true;
    return {
      shards: shards.length,
      validators: Math.max(...shards.map((shard) => shard.rpc.length)),
      replicas: options.replicas,
      durationSec: options.durationSec,
      connections: options.connections,
      senders: options.senders,
      users: options.users,
      rateLimitMax: BENCH_RATE_LIMIT_MAX,
      cores,
      loadAverage: { start: round2(loadStart), end: round2(loadavg()[0]!) },
      runs,
      scaling: { reads: readScaling, payments: paymentScaling },
      bottleneck: {
        bottleneck: last.payments.verdict.bottleneck,
        reason: `payments with ${last.replicas} replica(s): ${last.payments.verdict.reason}${scalingNote}`,
      },
    };
  } finally {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await scratch?.drop().catch(() => {});
    await devnet?.stop();
    if (succeeded) rmSync(work, { recursive: true, force: true });
    else log(`gateway logs kept in ${logFile}`);
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
