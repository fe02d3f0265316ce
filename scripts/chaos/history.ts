/**
 * The history a chaos scenario records: every transaction it submitted with the acknowledgement it
 * got (final at a height and index) and the credit or refund it later observed, every fault it
 * injected and healed, the gateway's reserve readings, the money before and after, and, once healed,
 * what each validator's chain holds over the scenario's heights. The checker judges this record
 * alone, so a history saved to a file (`saveHistory`) can be checked again, or doctored in a test.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** One submitted transfer or payment. Times are milliseconds since the scenario started. */
export interface TxRecord {
  /** Hex transaction id. */
  id: string;
  /** A `pay` carries a payment id the merchant may already have received: then it is refunded. */
  operation: 'transfer' | 'pay';
  fromShard: number;
  toShard: number;
  /** bech32m addresses. */
  from: string;
  to: string;
  amount: bigint;
  submittedAt: number;
  /** Set once a node said `final`: where it was committed on `fromShard`. */
  ack?: { height: bigint; index: number; at: number };
  /** Cross-shard only: the credit on `toShard`, or the refund back on `fromShard`, once observed. */
  settled?: { stage: 'credited' | 'refunded'; shard: number; height: bigint; at: number };
}

/** `partition`: the validator's veth down; `slow`: its link shaped (netns.ts). */
export type FaultKind = 'kill' | 'pause' | 'partition' | 'slow' | 'gateway-restart' | 'bank-restart';

/** A fault as it happened: injected at `at`, healed at `healedAt` (restart, SIGCONT, veth up, shaping off). */
export interface FaultEvent {
  kind: FaultKind;
  /** `s<shard>-v<index>` for a validator, `gateway` or `bank`. */
  target: string;
  /** For a slow link: how it was shaped (`tbf 256kbit`, `netem delay 120ms 30ms loss 1%`). */
  detail?: string;
  at: number;
  healedAt?: number;
}

/** One incoming receipt a block consumed. */
export interface IncomingView {
  receiptId: string;
  kind: 'credit' | 'refund';
  txId: string;
  sourceShard: number;
  to: string;
  amount: bigint;
}

/** One block as one validator serves it. */
export interface BlockView {
  height: bigint;
  /** The header's roots and parent, joined: two validators agree on a block iff these are equal. */
  header: string;
  txIds: string[];
  incoming: IncomingView[];
}

/** One validator's chain over the scenario's heights (`from` to its end, after healing). */
export interface ChainView {
  shard: number;
  validator: number;
  blocks: BlockView[];
}

/** The network's supply (Σ over shards of minted − burned) and the balances of every involved account. */
export interface MoneyView {
  supply: bigint;
  balances: Record<string, bigint>;
}

/** A reading of the gateway's `GET /v1/reserves` during or after the run. */
export interface ReserveReading {
  at: number;
  supply: bigint;
  reserve: bigint;
  matches: boolean;
}

export interface History {
  seed: number;
  scenario: number;
  shards: number;
  validatorsPerShard: number;
  durationMs: number;
  faults: FaultEvent[];
  txs: TxRecord[];
  start: MoneyView;
  end: MoneyView;
  chains: ChainView[];
  reserves: ReserveReading[];
}

/** JSON with bigints as `"123n"` strings, so a saved history reads back exactly. */
export function historyToJson(history: History): string {
  return JSON.stringify(history, (_key, value) => (typeof value === 'bigint' ? `${value}n` : value), 1);
}

export function historyFromJson(text: string): History {
  return JSON.parse(text, (_key, value) =>
    typeof value === 'string' && /^-?\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value,
  ) as History;
}

export function saveHistory(path: string, history: History): void {
  writeFileSync(path, historyToJson(history));
}

export function loadHistory(path: string): History {
  return historyFromJson(readFileSync(path, 'utf8'));
}
