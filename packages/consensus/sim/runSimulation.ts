import {
  bytesToHex,
  equalBytes,
  isShardpayError,
  publicKeyFromPrivateKey,
  sha256,
  utf8ToBytes,
} from '@shardpay/crypto';
import type { CommitCertificate, Committee, Hash } from '@shardpay/protocol';
import { certificateId, faultTolerance, isCommitCertificateValid } from '@shardpay/protocol';
import type {
  ConsensusAction,
  ConsensusEngine,
  ConsensusEvent,
  ConsensusTestFaults,
  ConsensusTimeouts,
  Step,
  WalRecord,
} from '../src/index.ts';
import {
  createConsensusEngine,
  createPrivateKeySigner,
  DEFAULT_TIMEOUTS,
  restoreConsensusEngine,
  walRecordHeight,
} from '../src/index.ts';
import type { ByzantineBehavior, ByzantineStrategyName } from './ByzantineStrategy.ts';
import { BYZANTINE_STRATEGIES, createByzantineBehavior } from './ByzantineStrategy.ts';
import { createEventQueue } from './createEventQueue.ts';
import type { Prng } from './createPrng.ts';
import { createPrng } from './createPrng.ts';
import { createSafetyChecker } from './createSafetyChecker.ts';
import type { Outgoing, SimMessage } from './SimMessage.ts';
import type { SimBlock } from './simBlock.ts';
import { isSimBlockValid, simBlockHash } from './simBlock.ts';

export interface SimulationOptions {
  seed: number;
  /** Committee size n (3f+1: 4, 7, …). */
  validators: number;
  /** Every honest validator must commit at least this many heights. */
  heights: number;
  /** How many validators are Byzantine; by default the seed picks 0..f, mostly f. */
  byzantine?: number;
  /** Strategies the seed picks from for each Byzantine validator; default all. */
  strategies?: readonly ByzantineStrategyName[];
  /** TEST ONLY: faults injected into every honest engine (see ConsensusTestFaults). */
  faults?: ConsensusTestFaults;
  /** Seeded crashes and restarts of honest validators during the chaos phase (default true). */
  crashes?: boolean;
  /** Seeded network partitions during the chaos phase (default true). */
  partitions?: boolean;
  /** Engine timeouts for every validator; by default the seed picks DEFAULT_TIMEOUTS or FAST_TIMEOUTS. */
  timeouts?: ConsensusTimeouts;
  /** Receives a line per notable event (commits, crashes, partitions, violations). */
  log?: (line: string) => void;
  /** Also log every signed message sent and every timeout fired (very verbose; for replaying a seed). */
  trace?: boolean;
}

export interface SimulationResult {
  seed: number;
  validators: number;
  byzantine: Array<{ validatorIndex: number; strategy: ByzantineStrategyName }>;
  /** The lowest height any honest validator reached. */
  heightsCommitted: number;
  safetyViolations: string[];
  livenessFailures: string[];
  /** When the network healed and every crashed validator was back. */
  healedAtMs: number;
  /** Simulated time from healing to the last honest validator reaching the target height. */
  recoveryMs: number;
  simulatedMs: number;
  events: number;
  crashes: number;
  rejectedMessages: number;
  evidenceReports: number;
}

/** The chain every simulated committee runs. */
const SIM_CHAIN_ID = 'shardpay-sim';
const SIM_SHARD = 0;
/** Nodes re-send their latest messages and their status this often. */
const GOSSIP_INTERVAL_MS = 1000;
/** After healing, each honest validator must commit this many heights beyond the best height then. */
const POST_HEAL_HEIGHTS = 2;
/** The liveness bound: after healing, the target must be reached within base + per-height time. */
export const LIVENESS_BASE_MS = 60_000;
export const LIVENESS_PER_HEIGHT_MS = 20_000;
/**
 * Short timeouts, shorter than the gossip interval: rounds then often end before block sync helps,
 * so runs with them see many more rounds, locks and re-proposals than runs with the defaults.
 */
export const FAST_TIMEOUTS: ConsensusTimeouts = {
  propose: { baseMs: 400, deltaMs: 100 },
  prevote: { baseMs: 150, deltaMs: 50 },
  precommit: { baseMs: 150, deltaMs: 50 },
};
/** A run that needs more events than this is treated as not live (a livelock). */
const MAX_EVENTS = 5_000_000;

type SimEvent =
  | { kind: 'deliver'; from: number; to: number; message: SimMessage }
  | { kind: 'timer'; node: number; incarnation: number; height: bigint; round: number; step: Step }
  | { kind: 'app'; node: number; incarnation: number; event: ConsensusEvent }
  | { kind: 'gossip'; node: number }
  | { kind: 'crash'; node: number }
  | { kind: 'restart'; node: number }
  | { kind: 'partition'; id: number; groups: number[][] }
  | { kind: 'partitionHeal'; id: number }
  | { kind: 'heal' };

interface ChainEntry {
  blockHash: Hash;
  block: SimBlock | undefined;
  certificate: CommitCertificate;
}

/** One process: a validator instance (twins are two nodes with one validator index). */
interface SimNode {
  id: number;
  validatorIndex: number;
  honest: boolean;
  behavior: ByzantineBehavior | null;
  engine: ConsensusEngine | null;
  incarnation: number;
  /** Crash at the next non-empty action list, after a seeded number of its actions. */
  crashPending: boolean;
  // The disk: survives crashes.
  wal: WalRecord[];
  chain: ChainEntry[];
  blocks: Map<string, SimBlock>;
  // Memory: lost on a crash.
  pendingValidity: Map<string, bigint>;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Runs one seeded simulation of a committee and checks safety and liveness. Same seed, same run. */
export function runSimulation(options: SimulationOptions): SimulationResult {
  const { seed, validators: n, heights } = options;
  const log = options.log ?? (() => {});
  const prng: Prng = createPrng(seed);
  const f = faultTolerance(n);
  const byzantineCount = options.byzantine ?? (prng.chance(0.8) ? f : prng.int(0, f));
  const strategies = options.strategies ?? BYZANTINE_STRATEGIES;
  const byzantineIndexes = prng.shuffle(range(n)).slice(0, byzantineCount);
  const strategyOf = new Map<number, ByzantineStrategyName>(
    byzantineIndexes.map((i) => [i, prng.pick(strategies)]),
  );
  const keys = range(n).map((i) => sha256(utf8ToBytes(`shardpay-sim-key:${seed}:${i}`)));
  const committee: Committee = {
    shard: SIM_SHARD,
    validators: keys.map((key) => ({ publicKey: publicKeyFromPrivateKey(key), addresses: [] })),
  };
  const honestValidators = new Set(range(n).filter((i) => !strategyOf.has(i)));

  const timeouts = options.timeouts ?? (prng.chance(0.5) ? DEFAULT_TIMEOUTS : FAST_TIMEOUTS);
  const chaosEndMs = prng.int(2_000, 20_000);
  let dropRate = options.partitions === false && options.crashes === false ? 0.05 : prng.float() * 0.25;
  let duplicateRate = prng.float() * 0.1;
  let calm = false;

  const queue = createEventQueue<SimEvent>();
  const checker = createSafetyChecker();
  const livenessFailures: string[] = [];
  const certificateCache = new Map<string, boolean>();
  let now = 0;
  let events = 0;
  let crashes = 0;
  let rejectedMessages = 0;
  let evidenceReports = 0;
  let partitionId = 0;
  let groupOf: Map<number, number> | null = null;
  let healedAtMs = -1;
  let targetHeight = heights;
  let deadlineMs = Number.POSITIVE_INFINITY;
  let finishedAtMs = -1;

  // --- nodes ---------------------------------------------------------------------------------
  const nodes: SimNode[] = [];
  for (const validatorIndex of range(n)) {
    const strategy = strategyOf.get(validatorIndex);
    const instances = strategy === 'twins' ? 2 : 1;
    for (let copy = 0; copy < instances; copy += 1) {
      nodes.push({
        id: nodes.length,
        validatorIndex,
        honest: strategy === undefined,
        behavior: null,
        engine: null,
        incarnation: 0,
        crashPending: false,
        wal: [],
        chain: [],
        blocks: new Map(),
        pendingValidity: new Map(),
      });
    }
  }
  const peersOf = (node: SimNode): number[] =>
    nodes.filter((other) => other.id !== node.id).map((other) => other.id);
  const nodeAt = (id: number): SimNode => {
    const node = nodes[id];
    if (node === undefined) throw new Error(`no node ${id}`);
    return node;
  };

  function makeBlock(node: SimNode, height: bigint, round: number, invalid: boolean): SimBlock {
    const block: SimBlock = {
      height,
      round,
      proposerIndex: node.validatorIndex,
      payload: prng.bytes(8),
      invalid,
    };
    node.blocks.set(bytesToHex(simBlockHash(block)), block);
    return block;
  }

  for (const node of nodes) {
    const strategy = strategyOf.get(node.validatorIndex);
    if (strategy === undefined) continue;
    node.behavior = createByzantineBehavior(strategy, {
      prng,
      chainId: SIM_CHAIN_ID,
      shard: SIM_SHARD,
      n,
      validatorIndex: node.validatorIndex,
      privateKey: keys[node.validatorIndex] as Uint8Array,
      peers: peersOf(node),
      validatorOf: (id) => nodeAt(id).validatorIndex,
      makeBlock: (height, round, invalid) => makeBlock(node, height, round, invalid),
    });
  }

  function engineConfig(node: SimNode) {
    const faults = node.honest
      ? options.faults
      : node.behavior?.ignoresLocks
        ? { ignoreLock: true }
        : undefined;
    return {
      chainId: SIM_CHAIN_ID,
      shard: SIM_SHARD,
      committee,
      validatorIndex: node.validatorIndex,
      timeouts,
      ...(faults === undefined ? {} : { faults }),
    };
  }
  const signerOf = (node: SimNode) => createPrivateKeySigner(keys[node.validatorIndex] as Uint8Array);

  // --- network -------------------------------------------------------------------------------
  function transmit(from: number, to: number, message: SimMessage): void {
    if (groupOf !== null && groupOf.get(from) !== groupOf.get(to)) return;
    if (prng.chance(dropRate)) return;
    const delay = () => (calm ? prng.int(1, 100) : prng.chance(0.1) ? prng.int(100, 3000) : prng.int(1, 80));
    queue.push(now + delay(), { kind: 'deliver', from, to, message });
    if (prng.chance(duplicateRate)) queue.push(now + delay(), { kind: 'deliver', from, to, message });
  }

  function describe(message: SimMessage): string {
    const short = (hash: Hash | null) => (hash === null ? 'nil' : bytesToHex(hash).slice(0, 6));
    if (message.kind === 'proposal') {
      const p = message.proposal;
      return `proposal h${p.height} r${p.round} ${short(p.blockHash)} vr${p.validRound}`;
    }
    if (message.kind === 'vote') {
      const v = message.vote;
      return `${v.type} h${v.height} r${v.round} ${short(v.blockHash)}`;
    }
    return message.kind;
  }

  function send(node: SimNode, message: SimMessage): void {
    const outgoing: Outgoing[] =
      node.behavior === null
        ? peersOf(node).map((to) => ({ to, message }))
        : node.behavior.broadcast(message);
    for (const { to, message: m } of outgoing) transmit(node.id, to, m);
    if (options.trace === true) {
      const lines = new Map<string, number[]>();
      for (const { to, message: m } of outgoing)
        lines.set(describe(m), [...(lines.get(describe(m)) ?? []), to]);
      for (const [text, to] of lines) log(`t=${now} node ${node.id} sends ${text} to [${to.join(',')}]`);
    }
  }

  // --- the application ---------------------------------------------------------------------------
  function scheduleApp(node: SimNode, event: ConsensusEvent): void {
    queue.push(now + prng.int(0, 15), { kind: 'app', node: node.id, incarnation: node.incarnation, event });
  }

  function judge(node: SimNode, block: SimBlock, height: bigint): boolean {
    return node.honest ? isSimBlockValid(block, height) : true;
  }

  function storeBlock(node: SimNode, block: SimBlock, blockHash: Hash): boolean {
    if (!equalBytes(simBlockHash(block), blockHash)) return false;
    const key = bytesToHex(blockHash);
    node.blocks.set(key, block);
    const waiting = node.pendingValidity.get(key);
    if (waiting !== undefined) {
      node.pendingValidity.delete(key);
      scheduleApp(node, {
        type: 'blockValidity',
        height: waiting,
        blockHash,
        valid: judge(node, block, waiting),
      });
    }
    return true;
  }

  function isCertificateValid(certificate: CommitCertificate, height: bigint, blockHash: Hash): boolean {
    const key = `${height}/${bytesToHex(certificateId(certificate))}/${bytesToHex(blockHash)}`;
    let valid = certificateCache.get(key);
    if (valid === undefined) {
      valid = isCommitCertificateValid(certificate, committee, {
        chainId: SIM_CHAIN_ID,
        shard: SIM_SHARD,
        height,
        blockHash,
      });
      certificateCache.set(key, valid);
    }
    return valid;
  }

  function commit(node: SimNode, action: Extract<ConsensusAction, { type: 'commit' }>): void {
    const expected = BigInt(node.chain.length + 1);
    if (action.height !== expected) {
      throw new Error(`node ${node.id} committed height ${action.height}, expected ${expected}`);
    }
    const block = node.blocks.get(bytesToHex(action.blockHash));
    node.chain.push({ blockHash: action.blockHash, block, certificate: action.certificate });
    node.wal = node.wal.filter((record) => walRecordHeight(record) > action.height);
    if (!node.honest) return;
    if (!isCertificateValid(action.certificate, action.height, action.blockHash)) {
      checker.recordViolation(
        `certificate: node ${node.id} committed height ${action.height} with an invalid certificate`,
      );
    }
    checker.recordCommit(node.id, action.height, action.blockHash, block, now);
    log(`t=${now} node ${node.id} commits height ${action.height} (${action.source}, round ${action.round})`);
    if (healedAtMs >= 0 && finishedAtMs < 0 && allHonestReached(targetHeight)) finishedAtMs = now;
  }

  function perform(node: SimNode, action: ConsensusAction): void {
    switch (action.type) {
      case 'persistWal':
        node.wal.push(action.record);
        if (node.honest) checker.recordSigned(node.validatorIndex, action.record);
        break;
      case 'broadcastProposal': {
        const block = node.blocks.get(bytesToHex(action.proposal.blockHash));
        if (block === undefined) throw new Error(`node ${node.id} proposes a block it does not hold`);
        send(node, { kind: 'proposal', proposal: action.proposal, block });
        break;
      }
      case 'broadcastVote':
        send(node, { kind: 'vote', vote: action.vote });
        break;
      case 'scheduleTimeout': {
        const { height, round, step, durationMs } = action;
        queue.push(now + durationMs, {
          kind: 'timer',
          node: node.id,
          incarnation: node.incarnation,
          height,
          round,
          step,
        });
        break;
      }
      case 'requestValidity': {
        const block = node.blocks.get(bytesToHex(action.blockHash));
        if (block === undefined) node.pendingValidity.set(bytesToHex(action.blockHash), action.height);
        else {
          const valid = judge(node, block, action.height);
          scheduleApp(node, {
            type: 'blockValidity',
            height: action.height,
            blockHash: action.blockHash,
            valid,
          });
        }
        break;
      }
      case 'requestBlock': {
        const block = makeBlock(
          node,
          action.height,
          action.round,
          node.behavior?.buildsInvalidBlocks ?? false,
        );
        scheduleApp(node, {
          type: 'blockToPropose',
          height: action.height,
          round: action.round,
          blockHash: simBlockHash(block),
        });
        break;
      }
      case 'commit':
        commit(node, action);
        break;
      case 'reportEvidence':
        evidenceReports += 1;
        if (node.honest) checker.recordEvidence(node.id, action.evidence, honestValidators);
        break;
    }
  }

  /** Executes an action list in order; a pending crash cuts it at a seeded point (the rest is lost). */
  function execute(node: SimNode, actions: ConsensusAction[]): void {
    const crashing = node.crashPending && actions.length > 0;
    const limit = crashing ? prng.int(0, actions.length) : actions.length;
    for (const action of actions.slice(0, limit)) perform(node, action);
    if (crashing) crash(node, `after ${limit} of ${actions.length} actions`);
  }

  function runEngine(node: SimNode, event: ConsensusEvent): void {
    if (node.engine === null) return;
    let actions: ConsensusAction[];
    try {
      actions = node.engine.handle(event);
    } catch (error) {
      if (
        isShardpayError(error, 'CONSENSUS_MESSAGE_INVALID') ||
        isShardpayError(error, 'CERTIFICATE_INVALID')
      ) {
        rejectedMessages += 1;
        return;
      }
      throw error;
    }
    execute(node, actions);
  }

  // --- crashes and restarts ------------------------------------------------------------------------
  function crash(node: SimNode, how: string): void {
    node.engine = null;
    node.incarnation += 1;
    node.crashPending = false;
    node.pendingValidity.clear();
    crashes += 1;
    log(`t=${now} node ${node.id} crashes (${how}); its WAL holds ${node.wal.length} records`);
  }

  function start(node: SimNode, restart: boolean): void {
    const height = BigInt(node.chain.length + 1);
    if (!restart) {
      node.engine = createConsensusEngine(engineConfig(node), { signer: signerOf(node) });
      execute(node, node.engine.handle({ type: 'start', height }));
      return;
    }
    const restored = restoreConsensusEngine(
      engineConfig(node),
      { signer: signerOf(node) },
      { height, walRecords: node.wal },
    );
    node.engine = restored.engine;
    log(`t=${now} node ${node.id} restarts at height ${height} from ${node.wal.length} WAL records`);
    execute(node, restored.actions);
  }

  // --- messages -------------------------------------------------------------------------------------
  function deliver(from: number, node: SimNode, message: SimMessage): void {
    if (node.engine === null) return;
    if (options.trace === true && (message.kind === 'proposal' || message.kind === 'vote')) {
      log(`t=${now} node ${node.id} receives ${describe(message)} from ${from}`);
    }
    node.behavior?.observe(message);
    switch (message.kind) {
      case 'proposal':
        if (storeBlock(node, message.block, message.proposal.blockHash)) {
          runEngine(node, { type: 'proposal', proposal: message.proposal });
        }
        break;
      case 'vote':
        runEngine(node, { type: 'vote', vote: message.vote });
        break;
      case 'status': {
        const forged = node.behavior?.forgeSync(message.height) ?? null;
        if (forged !== null) {
          transmit(node.id, from, forged);
          break;
        }
        const last = Math.min(node.chain.length, Number(message.height) + 3);
        for (let height = Number(message.height); height <= last; height += 1) {
          const entry = node.chain[height - 1];
          if (entry?.block !== undefined) {
            transmit(node.id, from, { kind: 'sync', block: entry.block, certificate: entry.certificate });
          }
        }
        break;
      }
      case 'sync': {
        const height = BigInt(node.chain.length + 1);
        const { block, certificate } = message;
        if (block.height !== height || !storeBlock(node, block, certificate.blockHash)) break;
        runEngine(node, { type: 'committedBlock', height, blockHash: certificate.blockHash, certificate });
        break;
      }
    }
  }

  function gossip(node: SimNode): void {
    if (node.engine === null) return;
    for (const message of node.engine.messagesForGossip()) {
      if (message.type === 'vote') send(node, { kind: 'vote', vote: message.vote });
      else {
        const block = node.blocks.get(bytesToHex(message.proposal.blockHash));
        if (block !== undefined) send(node, { kind: 'proposal', proposal: message.proposal, block });
      }
    }
    const status: SimMessage = { kind: 'status', height: BigInt(node.chain.length + 1) };
    for (const peer of peersOf(node)) transmit(node.id, peer, status);
  }

  function allHonestReached(height: number): boolean {
    return nodes.every((node) => !node.honest || node.chain.length >= height);
  }

  function heal(): void {
    healedAtMs = now;
    calm = true;
    groupOf = null;
    dropRate = 0.01;
    duplicateRate = 0.02;
    for (const node of nodes) {
      node.crashPending = false;
      if (node.engine === null) start(node, true);
    }
    const honest = nodes.filter((node) => node.honest);
    const best = Math.max(...honest.map((node) => node.chain.length));
    const lowest = Math.min(...honest.map((node) => node.chain.length));
    targetHeight = Math.max(heights, best + POST_HEAL_HEIGHTS);
    deadlineMs = now + LIVENESS_BASE_MS + LIVENESS_PER_HEIGHT_MS * (targetHeight - lowest);
    log(`t=${now} network healed, all validators up; target height ${targetHeight} by t=${deadlineMs}`);
    if (allHonestReached(targetHeight)) finishedAtMs = now;
  }

  // --- the schedule ------------------------------------------------------------------------------
  for (const node of nodes) {
    queue.push(prng.int(0, GOSSIP_INTERVAL_MS), { kind: 'gossip', node: node.id });
    if (!node.honest || options.crashes === false) continue;
    if (prng.chance(0.5)) {
      const count = prng.int(1, 3);
      for (let i = 0; i < count; i += 1) {
        const at = prng.int(0, chaosEndMs - 1);
        queue.push(at, { kind: 'crash', node: node.id });
        queue.push(Math.min(at + prng.int(100, 6000), chaosEndMs), { kind: 'restart', node: node.id });
      }
    }
  }
  if (options.partitions !== false && prng.chance(0.7)) {
    const count = prng.int(1, 3);
    for (let i = 0; i < count; i += 1) {
      const at = prng.int(0, chaosEndMs - 1);
      const shuffled = prng.shuffle(range(nodes.length));
      const cut = prng.int(1, nodes.length - 1);
      const id = i + 1;
      queue.push(at, { kind: 'partition', id, groups: [shuffled.slice(0, cut), shuffled.slice(cut)] });
      queue.push(Math.min(at + prng.int(500, 8000), chaosEndMs), { kind: 'partitionHeal', id });
    }
  }
  queue.push(chaosEndMs, { kind: 'heal' });

  log(
    `seed ${seed}: n=${n}, Byzantine ${JSON.stringify([...strategyOf])}, ${timeouts === FAST_TIMEOUTS ? 'fast' : 'custom or default'} timeouts, chaos until t=${chaosEndMs}, drop ${dropRate.toFixed(3)}, duplicate ${duplicateRate.toFixed(3)}`,
  );
  for (const node of nodes) start(node, false);

  // --- the loop ----------------------------------------------------------------------------------
  for (;;) {
    if (checker.violations.length > 0 || finishedAtMs >= 0) break;
    const next = queue.pop();
    if (next === undefined) break;
    if (next.time > deadlineMs) {
      now = deadlineMs;
      break;
    }
    now = next.time;
    events += 1;
    if (events > MAX_EVENTS) {
      livenessFailures.push(`liveness: more than ${MAX_EVENTS} events by t=${now} (livelock?)`);
      break;
    }
    const event = next.event;
    switch (event.kind) {
      case 'deliver':
        deliver(event.from, nodeAt(event.to), event.message);
        break;
      case 'timer': {
        const node = nodeAt(event.node);
        if (node.incarnation === event.incarnation) {
          if (options.trace === true)
            log(`t=${now} node ${node.id} timeout ${event.step} h${event.height} r${event.round}`);
          runEngine(node, { type: 'timeout', height: event.height, round: event.round, step: event.step });
        }
        break;
      }
      case 'app': {
        const node = nodeAt(event.node);
        if (node.incarnation === event.incarnation) runEngine(node, event.event);
        break;
      }
      case 'gossip':
        gossip(nodeAt(event.node));
        queue.push(now + GOSSIP_INTERVAL_MS, event);
        break;
      case 'crash': {
        const node = nodeAt(event.node);
        if (node.engine === null || healedAtMs >= 0) break;
        if (prng.chance(0.5)) crash(node, 'while idle');
        else node.crashPending = true;
        break;
      }
      case 'restart': {
        const node = nodeAt(event.node);
        if (node.engine === null && healedAtMs < 0) start(node, true);
        break;
      }
      case 'partition':
        partitionId = event.id;
        groupOf = new Map(event.groups.flatMap((group, g) => group.map((id): [number, number] => [id, g])));
        log(`t=${now} partition ${JSON.stringify(event.groups)}`);
        break;
      case 'partitionHeal':
        if (partitionId === event.id && groupOf !== null) {
          groupOf = null;
          log(`t=${now} partition healed`);
        }
        break;
      case 'heal':
        heal();
        break;
    }
  }

  const honest = nodes.filter((node) => node.honest);
  if (checker.violations.length === 0 && livenessFailures.length === 0 && finishedAtMs < 0) {
    const lagging = honest.filter((node) => node.chain.length < targetHeight);
    livenessFailures.push(
      `liveness: healed at t=${healedAtMs}, but by t=${now} nodes ${lagging
        .map((node) => `${node.id}@${node.chain.length}`)
        .join(', ')} had not reached height ${targetHeight}`,
    );
  }
  for (const line of [...checker.violations, ...livenessFailures]) log(`seed ${seed}: ${line}`);
  for (const node of nodes) {
    const state = node.engine?.snapshot();
    const where = state === undefined ? 'down' : `height ${state.height} round ${state.round} ${state.step}`;
    const lock = state === undefined || state.lockedRound < 0 ? '' : `, locked in round ${state.lockedRound}`;
    log(
      `end: node ${node.id} (validator ${node.validatorIndex}${node.honest ? '' : ', Byzantine'}) chain ${node.chain.length}, ${where}${lock}`,
    );
  }
  return {
    seed,
    validators: n,
    byzantine: [...strategyOf].map(([validatorIndex, strategy]) => ({ validatorIndex, strategy })),
    heightsCommitted: Math.min(...honest.map((node) => node.chain.length)),
    safetyViolations: [...checker.violations],
    livenessFailures,
    healedAtMs,
    recoveryMs: finishedAtMs >= 0 ? finishedAtMs - healedAtMs : -1,
    simulatedMs: now,
    events,
    crashes,
    rejectedMessages,
    evidenceReports,
  };
}
