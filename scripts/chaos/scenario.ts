/**
 * One chaos scenario on a running cluster: draw the fault schedule from the seed, drive the load
 * while injecting the faults, heal, wait until every transfer settled and every validator caught
 * up, read back what the network holds, and check the history.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hexToBytes } from '@shardpay/crypto';
import { type NetworkConfig, networkConfigFromJson } from '@shardpay/protocol';
import { createAccountFromPrivateKey, createNodeClient, type NodeClient } from '@shardpay/sdk';
import { waitFor } from '../../packages/node/test/helpers/waitFor.ts';
import { createPrng } from '../../test/system/prng.ts';
import { type CheckResult, checkHistory } from './checker.ts';
import {
  type Cluster,
  killService,
  killValidator,
  pauseValidator,
  resumeValidator,
  startBank,
  startGateway,
  startValidator,
  validatorHeight,
  validatorName,
} from './cluster.ts';
import { readChainView, readMoney, readReserve } from './collect.ts';
import { describeFault, type PlannedFault, planFaults } from './faults.ts';
import type { FaultEvent, History, ReserveReading } from './history.ts';
import { createLoad } from './load.ts';

export interface ScenarioOptions {
  seed: number;
  /** Its number in the run (for the report; the seed alone names the schedule and the recipients). */
  scenario: number;
  durationMs: number;
  /** Transfers a second over all shards. Default 20. */
  rate?: number;
  /** Share of cross-shard transfers. Default 0.5. */
  crossShare?: number;
  /** Share of cross-shard transfers sent as payments under reused ids (refunded when repeated). Default 0.2. */
  payShare?: number;
  /** A fixed schedule instead of the seeded one (the CI smoke test uses one kill). */
  plan?: PlannedFault[];
  /** Bound on settling and catching up after the load. Default 120 s. */
  healTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface ScenarioResult {
  history: History;
  check: CheckResult;
  plan: PlannedFault[];
  elapsedMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** `count` fresh recipient addresses per shard, derived from the seed (the same seed, the same addresses). */
function seededRecipients(network: NetworkConfig, label: string, count: number): string[][] {
  const recipients: string[][] = Array.from({ length: network.shardCount }, () => []);
  for (let n = 0; recipients.some((list) => list.length < count); n++) {
    const key = new Uint8Array(createHash('sha256').update(`${label}/${n}`).digest());
    const account = createAccountFromPrivateKey(key, network);
    if (recipients[account.shard]!.length < count) recipients[account.shard]!.push(account.address);
  }
  return recipients;
}

/** The highest height any answering validator of `shard` reports (0 if none answers). */
async function shardHeight(cluster: Cluster, shard: number): Promise<bigint> {
  const heights = await Promise.all(cluster.validators.filter((v) => v.shard === shard).map(validatorHeight));
  return heights.reduce<bigint>((max, h) => (h !== undefined && h > max ? h : max), 0n);
}

async function injectFault(cluster: Cluster, fault: PlannedFault, t0: number, events: FaultEvent[]) {
  const validator = cluster.validators.find((v) => v.shard === fault.shard && v.index === fault.index);
  const target = validator ? validatorName(validator) : fault.kind === 'gateway-restart' ? 'gateway' : 'bank';
  await sleep(fault.at - (Date.now() - t0));
  const net = cluster.net;
  if ((fault.kind === 'partition' || fault.kind === 'slow') && net === undefined) {
    throw new Error(
      `a ${fault.kind} fault needs the validators in network namespaces (startCluster's networkFaults)`,
    );
  }
  const event: FaultEvent = { kind: fault.kind, target, at: Date.now() - t0 };
  if (fault.kind === 'slow') event.detail = net!.describe(fault.link!);
  events.push(event);
  if (fault.kind === 'kill') await killValidator(validator!);
  else if (fault.kind === 'pause') pauseValidator(validator!);
  else if (fault.kind === 'partition') net!.partition(validator!.place);
  else if (fault.kind === 'slow') net!.slow(validator!.place, fault.link!);
  else if (fault.kind === 'gateway-restart') await killService(cluster.gateway);
  else await killService(cluster.bank);
  await sleep(fault.downMs);
  if (fault.kind === 'kill') startValidator(validator!);
  else if (fault.kind === 'pause') resumeValidator(validator!);
  else if (fault.kind === 'partition') net!.heal(validator!.place);
  else if (fault.kind === 'slow') net!.unslow(validator!.place);
  else if (fault.kind === 'gateway-restart') await startGateway(cluster);
  else await startBank(cluster);
  event.healedAt = Date.now() - t0;
}

export async function runScenario(cluster: Cluster, options: ScenarioOptions): Promise<ScenarioResult> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const prng = createPrng(options.seed);
  const random = () => prng.next();
  const { manifest, dir } = cluster;
  const plan =
    options.plan ??
    planFaults(random, {
      shards: manifest.shards,
      validatorsPerShard: manifest.validatorsPerShard,
      durationMs: options.durationMs,
      services: cluster.gateway !== undefined,
      networkFaults: cluster.networkFaults,
    });
  log(
    `scenario ${options.scenario} (seed ${options.seed}): ${plan.map((fault) => describeFault(fault, cluster.net?.describe)).join('; ') || 'no faults'}`,
  );

  const network = networkConfigFromJson(JSON.parse(readFileSync(join(dir, 'genesis.json'), 'utf8')));
  const client: NodeClient = createNodeClient({
    urls: cluster.shards.map((shard) => shard.rpc),
    network,
    requestTimeoutMs: 2000,
  });
  const senders = await Promise.all(
    cluster.shards.map(async ({ id }) => {
      const key = JSON.parse(readFileSync(join(dir, 'keys', `faucet-${id}.json`), 'utf8')) as {
        privateKey: string;
      };
      const account = createAccountFromPrivateKey(hexToBytes(key.privateKey), network);
      const state = await client.getAccount(account.address);
      return { account, nonce: state.pendingNonce, expiryHeight: state.height + 1_000_000n };
    }),
  );
  const recipients = seededRecipients(network, `chaos/${options.seed}`, 3);
  const involved = [...senders.map((s) => s.account.address), ...recipients.flat()];
  const fromHeights = await Promise.all(
    cluster.shards.map(async ({ id }) => (await shardHeight(cluster, id)) + 1n),
  );
  const start = await readMoney(client, manifest.shards, involved);

  const t0 = Date.now();
  const load = createLoad({
    client,
    random,
    senders,
    recipients,
    rate: options.rate ?? 20,
    crossShare: options.crossShare ?? 0.5,
    payShare: options.payShare ?? 0.2,
    t0,
  });
  const reserves: ReserveReading[] = [];
  let reading = true;
  const reserveLoop = (async () => {
    while (reading && cluster.gateway !== undefined) {
      const answer = await readReserve(cluster.gateway.url, Date.now() - t0);
      if (answer) reserves.push(answer);
      await sleep(1000);
    }
  })();

  const faults: FaultEvent[] = [];
  await Promise.all([
    load.drive(options.durationMs),
    ...plan.map((fault) => injectFault(cluster, fault, t0, faults)),
  ]);
  log(`  load done: ${load.records().length} transfers; healing`);

  const healTimeoutMs = options.healTimeoutMs ?? 120_000;
  try {
    await waitFor(
      'every transfer final, and every cross-shard one credited or refunded',
      healTimeoutMs,
      () => load.unsettled() === 0,
    );
  } catch {
    log(`  ${load.unsettled()} transfers still unsettled after ${healTimeoutMs / 1000} s`);
  }
  await load.stop();
  reading = false;
  await reserveLoop;

  // Every validator must reach the heights the history names (acks, credits, refunds).
  const records = load.records();
  const needed = cluster.shards.map(({ id }) => {
    let max = fromHeights[id]!;
    for (const r of records) {
      if (r.fromShard === id && r.ack && r.ack.height > max) max = r.ack.height;
      if (r.settled?.shard === id && r.settled.height > max) max = r.settled.height;
    }
    return max;
  });
  try {
    await waitFor('every validator caught up', healTimeoutMs, async () => {
      for (const v of cluster.validators) {
        const h = await validatorHeight(v);
        if (h === undefined || h < needed[v.shard]!) return false;
      }
      return true;
    });
  } catch {
    log('  some validator did not catch up in time');
  }
  const chains = await Promise.all(
    cluster.validators.map((v) => readChainView(v, network, fromHeights[v.shard]!, needed[v.shard]!)),
  );
  const end = await readMoney(client, manifest.shards, involved);
  if (cluster.gateway !== undefined) {
    const gatewayUrl = cluster.gateway.url;
    let last: ReserveReading | undefined;
    await waitFor('the gateway reads the reserves', 30_000, async () => {
      last = await readReserve(gatewayUrl, Date.now() - t0);
      return last !== undefined;
    }).catch(() => log('  the gateway did not answer GET /v1/reserves after healing'));
    if (last) reserves.push(last);
  }

  const history: History = {
    seed: options.seed,
    scenario: options.scenario,
    shards: manifest.shards,
    validatorsPerShard: manifest.validatorsPerShard,
    durationMs: options.durationMs,
    faults,
    txs: records,
    start,
    end,
    chains,
    reserves,
  };
  return { history, check: checkHistory(history), plan, elapsedMs: Date.now() - started };
}
