/**
 * Ledger throughput and state-root cost, on one core.
 *
 *   npx node packages/ledger/bench/ledgerBench.ts      (or: npm run bench:ledger)
 *
 * Rates come from the CPU time of the executing thread (process.threadCpuUsage): the one-core figure even
 * when other work shares the machine's two cores; wall-clock figures are printed beside them and under
 * "wall" in the JSON (on an idle machine the two agree).
 *
 * Prints a table, then as its LAST line a JSON object:
 *   applyTxPerSec        transfers per second through executeBlock('build') — checks, ids, apply, all four
 *                        roots and the diff — with the signature check injected as "verified"
 *   verifyApplyTxPerSec  the same with real native secp256k1 verification of every signature
 *   stateRootMs          the state root (account-tree update + root) of one block of 5,000 transfers
 *                        between distinct accounts of a shard holding 1,000,000 accounts (median of runs)
 */
import { cpus, loadavg } from 'node:os';
import { addressFromPublicKey, publicKeyFromPrivateKey, secp256k1Backend, sha256 } from '@shardpay/crypto';
import type { Address, NetworkConfig, Transaction } from '@shardpay/protocol';
import { BUCKET_COUNT, signTransaction } from '@shardpay/protocol';
import { applyTransaction } from '../src/applyTransaction.ts';
import {
  type BlockBuild,
  commitStateDiff,
  createBlockContext,
  createGenesisDiff,
  createMemoryShardStore,
  createStateOverlay,
  executeBlock,
  type LedgerState,
  type MemoryShardStore,
  openLedgerState,
} from '../src/index.ts';

const BLOCK_SIZE = 5_000;
/** The signature check injected as "already verified". */
const trusted = { isTransactionSignatureValid: () => true };
const BIG_ACCOUNT_COUNT = 1_000_000;

/** mulberry32: a small seeded PRNG, so every run executes the same blocks. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Sender {
  privateKey: Uint8Array;
  publicKey: Uint8Array;
  address: Address;
  nonce: bigint;
}

function createSenders(count: number, seed: string): Sender[] {
  const senders: Sender[] = [];
  for (let i = 0; i < count; i++) {
    const privateKey = sha256(new TextEncoder().encode(`${seed}/${i}`));
    const publicKey = publicKeyFromPrivateKey(privateKey);
    senders.push({ privateKey, publicKey, address: addressFromPublicKey(publicKey), nonce: 0n });
  }
  return senders;
}

function recipientAddress(i: number): Address {
  const address = new Uint8Array(20);
  const view = new DataView(address.buffer);
  view.setUint32(0, Math.imul(i + 1, 0x9e3779b1) >>> 0);
  view.setUint32(16, i);
  return address;
}

function createConfig(senders: Sender[], extraAccounts: number): NetworkConfig {
  const initialBalances = senders.map((sender) => ({ address: sender.address, amount: 1_000_000_000n }));
  for (let i = 0; i < extraAccounts; i++)
    initialBalances.push({ address: recipientAddress(i), amount: 1_000n });
  return {
    chainId: 'shardpay-bench',
    addressPrefix: 'spd',
    shardCount: 1,
    bucketToShard: new Array<number>(BUCKET_COUNT).fill(0),
    committees: [{ shard: 0, validators: [] }],
    issuers: [senders[0]!.address],
    flatFee: 1n,
    feeCollectors: [recipientAddress(extraAccounts + 1)],
    initialBalances,
    genesisTimeMs: 0n,
  };
}

function openShard(config: NetworkConfig): { store: MemoryShardStore; state: LedgerState } {
  const store = createMemoryShardStore();
  const state = openLedgerState(store);
  commitStateDiff(state, createGenesisDiff(config, 0), store.applyDiff);
  return { store, state };
}

/** One block of transfers: sender i (round robin) to `recipientOf(i)`, an existing account. */
function makeBlock(
  config: NetworkConfig,
  senders: Sender[],
  recipientOf: (i: number) => number,
  random: () => number,
  sign: boolean,
): Transaction[] {
  const txs: Transaction[] = [];
  for (let i = 0; i < BLOCK_SIZE; i++) {
    const sender = senders[i % senders.length]!;
    const body = {
      chainId: config.chainId,
      shard: 0,
      nonce: sender.nonce++,
      fee: config.flatFee,
      expiryHeight: 1_000_000n,
      publicKey: sender.publicKey,
      operation: {
        type: 'transfer' as const,
        to: recipientAddress(recipientOf(i)),
        amount: 1n + BigInt(Math.floor(random() * 100)),
        memo: '',
      },
    };
    txs.push(sign ? signTransaction(body, sender.privateKey) : { ...body, signature: new Uint8Array(64) });
  }
  return txs;
}

/** CPU milliseconds used by the executing thread: the one-core figure, even on a busy machine. */
function cpuMs(): number {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** One measured span: wall-clock and CPU milliseconds. */
interface Span {
  wallMs: number;
  cpuMs: number;
}

function measure(run: () => void): Span {
  const wallStarted = performance.now();
  const cpuStarted = cpuMs();
  run();
  return { wallMs: performance.now() - wallStarted, cpuMs: cpuMs() - cpuStarted };
}

function medianSpan(spans: Span[]): Span {
  return { wallMs: median(spans.map((span) => span.wallMs)), cpuMs: median(spans.map((span) => span.cpuMs)) };
}

/** Builds `blocks` blocks of 5,000 transfers (after one warm-up block); the median block. */
function measureThroughput(sign: boolean, blocks: number): Span {
  const random = createRandom(sign ? 2 : 1);
  const senders = createSenders(1_000, sign ? 'verify-sender' : 'apply-sender');
  const recipients = 20_000;
  const config = createConfig(senders, recipients);
  const { store, state } = openShard(config);
  const checks = sign ? {} : trusted;
  const spans: Span[] = [];
  for (let b = 0; b < blocks + 1; b++) {
    const transactions = makeBlock(config, senders, () => Math.floor(random() * recipients), random, sign);
    let built: BlockBuild | undefined;
    const span = measure(() => {
      built = executeBlock({ mode: 'build', config, shard: 0, state, transactions, incoming: [], checks });
    });
    if (built === undefined || built.refusals.length > 0)
      throw new Error('a bench block refused a transaction');
    commitStateDiff(state, built.diff, store.applyDiff);
    if (b > 0) spans.push(span); // the first block warms up the JIT
  }
  return medianSpan(spans);
}

interface StateRootResult {
  root: Span;
  apply: Span;
  /** A whole build (ids, checks, apply, all roots) of such a block: the worst case for throughput. */
  build: Span;
  rebuild: Span;
  setupMs: number;
}

/** 1,000,000 accounts, then blocks of 5,000 transfers between distinct accounts: the state root of each. */
function measureStateRoot(runs: number): StateRootResult {
  const setupStarted = performance.now();
  const senders = createSenders(BLOCK_SIZE, 'root-sender');
  const recipients = BIG_ACCOUNT_COUNT - BLOCK_SIZE;
  const config = createConfig(senders, recipients);
  const { store } = openShard(config);
  const setupMs = performance.now() - setupStarted;
  let reopened: LedgerState | undefined;
  const rebuild = measure(() => {
    reopened = openLedgerState(store);
  });
  if (reopened === undefined || reopened.accountTree.count !== BIG_ACCOUNT_COUNT) {
    throw new Error(`expected ${BIG_ACCOUNT_COUNT} accounts`);
  }
  const state: LedgerState = reopened;
  const random = createRandom(3);
  const roots: Span[] = [];
  const applies: Span[] = [];
  for (let run = 0; run < runs + 1; run++) {
    // Distinct recipients (7919 is coprime with their count), so the block touches 10,001 accounts.
    const first = run * BLOCK_SIZE;
    const transactions = makeBlock(config, senders, (i) => ((first + i) * 7919) % recipients, random, false);
    const overlay = createStateOverlay(state);
    const context = createBlockContext(config, 0, overlay, trusted);
    const apply = measure(() => {
      for (const tx of transactions) applyTransaction(context, tx);
    });
    let diff: ReturnType<typeof overlay.toStateDiff> | undefined;
    const root = measure(() => {
      diff = overlay.toStateDiff();
    });
    if (diff === undefined || diff.accounts.length < 2 * BLOCK_SIZE)
      throw new Error('the block touched too few accounts');
    commitStateDiff(state, diff, store.applyDiff);
    if (run > 0) {
      roots.push(root);
      applies.push(apply);
    }
  }
  const builds: Span[] = [];
  for (let run = runs + 1; run < 2 * runs + 2; run++) {
    const first = run * BLOCK_SIZE;
    const transactions = makeBlock(config, senders, (i) => ((first + i) * 7919) % recipients, random, false);
    let built: BlockBuild | undefined;
    const build = measure(() => {
      built = executeBlock({
        mode: 'build',
        config,
        shard: 0,
        state,
        transactions,
        incoming: [],
        checks: trusted,
      });
    });
    if (built === undefined || built.refusals.length > 0)
      throw new Error('a bench block refused a transaction');
    commitStateDiff(state, built.diff, store.applyDiff);
    if (run > runs + 1) builds.push(build);
  }
  return { root: medianSpan(roots), apply: medianSpan(applies), build: medianSpan(builds), rebuild, setupMs };
}

function describeSpan(span: Span): string {
  return `${span.cpuMs.toFixed(1)} ms CPU (${span.wallMs.toFixed(1)} ms wall)`;
}

function perSecond(ms: number): number {
  return Math.round((BLOCK_SIZE / ms) * 1000);
}

function main(): void {
  const loadBefore = loadavg()[0]!;
  const apply = measureThroughput(false, 6);
  const verify = measureThroughput(true, 3);
  const root = measureStateRoot(5);
  const rows: Array<[string, string]> = [
    ['secp256k1 backend', secp256k1Backend()],
    [
      'machine load (1 min avg, before → after)',
      `${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
    ],
    [
      '21k accounts, 1k senders: build 5,000 transfers, trusted',
      `${describeSpan(apply)} → ${perSecond(apply.cpuMs)} tx/s`,
    ],
    [
      '21k accounts, 1k senders: build 5,000 transfers, verified',
      `${describeSpan(verify)} → ${perSecond(verify.cpuMs)} tx/s`,
    ],
    ['1M accounts: genesis setup (untimed)', `${(root.setupMs / 1000).toFixed(1)} s wall`],
    ['1M accounts: rebuild account tree at start', describeSpan(root.rebuild)],
    ['1M accounts: apply 5,000 transfers (5,000 senders)', describeSpan(root.apply)],
    ['1M accounts: state root of the block', describeSpan(root.root)],
    [
      '1M accounts: whole build, 10,001 distinct accounts',
      `${describeSpan(root.build)} → ${perSecond(root.build.cpuMs)} tx/s`,
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(
    'ledger benchmark: one core; rates from CPU time (wall time in parentheses, inflated on a busy machine)',
  );
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
  console.log(
    JSON.stringify({
      applyTxPerSec: perSecond(apply.cpuMs),
      verifyApplyTxPerSec: perSecond(verify.cpuMs),
      stateRootMs: Number(root.root.cpuMs.toFixed(1)),
      wall: {
        applyTxPerSec: perSecond(apply.wallMs),
        verifyApplyTxPerSec: perSecond(verify.wallMs),
        stateRootMs: Number(root.root.wallMs.toFixed(1)),
      },
      loadAverage: Number(loadBefore.toFixed(2)),
    }),
  );
}

main();
