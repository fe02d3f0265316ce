/**
 * The checker: judges a recorded history (history.ts) after healing, and lists every violation of
 * what Shardpay promises under crash faults:
 *
 * - `not-final`: a submitted transfer never became final, though it was resubmitted until the end.
 * - `lost-final`: a transfer acknowledged final at (height, index) is not there on some validator of
 *   its shard after healing (a missing block counts: every validator should have caught up).
 * - `fork`: two validators of a shard serve different blocks at one height.
 * - `double-credit`: a chain consumed one receipt twice, or two credit receipts for one transfer.
 * - `missing-credit`: a final cross-shard transfer was never credited nor refunded, or its receipt
 *   is not in the target shard's chain (or the refund not in the source's) on some validator.
 * - `balance`: an involved account does not end with its start balance plus what the history says
 *   it received, minus what it sent.
 * - `supply`: transfers changed the network's supply, or the involved accounts' total.
 * - `reserve`: the gateway's reading of supply against the bank's reserve did not match.
 *
 * Pure: no I/O, so a unit test can feed it doctored histories and see each violation reported.
 */
import type { ChainView, History, TxRecord } from './history.ts';

export type ViolationKind =
  | 'not-final'
  | 'lost-final'
  | 'fork'
  | 'double-credit'
  | 'missing-credit'
  | 'balance'
  | 'supply'
  | 'reserve';

export interface Violation {
  kind: ViolationKind;
  message: string;
  txId?: string;
}

export interface CheckStats {
  transfers: number;
  final: number;
  crossShard: number;
  credited: number;
  refunded: number;
  faults: number;
  blocksChecked: number;
  reserveReadings: number;
}

export interface CheckResult {
  violations: Violation[];
  stats: CheckStats;
}

const name = (chain: ChainView) => `s${chain.shard}-v${chain.validator}`;

export function checkHistory(history: History): CheckResult {
  const violations: Violation[] = [];
  const seen = new Set<string>();
  const report = (violation: Violation) => {
    const key = `${violation.kind}|${violation.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    violations.push(violation);
  };
  const chainsOf = (shard: number) => history.chains.filter((chain) => chain.shard === shard);
  const byHeight = new Map(
    history.chains.map((chain) => [chain, new Map(chain.blocks.map((block) => [block.height, block]))]),
  );

  checkAgreement(history, report);
  checkReceiptsConsumedOnce(history, report);

  for (const tx of history.txs) {
    if (tx.ack === undefined) {
      report({ kind: 'not-final', txId: tx.id, message: `transfer ${tx.id} never became final` });
      continue;
    }
    const { height, index } = tx.ack;
    for (const chain of chainsOf(tx.fromShard)) {
      const block = byHeight.get(chain)!.get(height);
      if (block?.txIds[index] !== tx.id) {
        const what = block === undefined ? 'has no block' : `holds ${block.txIds[index] ?? 'nothing'}`;
        report({
          kind: 'lost-final',
          txId: tx.id,
          message: `transfer ${tx.id} was acknowledged final at ${height}#${index} but ${name(chain)} ${what} there`,
        });
      }
    }
    if (tx.fromShard !== tx.toShard) checkCrossShard(tx, chainsOf, report);
  }

  checkMoney(history, report);
  for (const reading of history.reserves) {
    if (!reading.matches || reading.supply !== reading.reserve) {
      report({
        kind: 'reserve',
        message: `at ${reading.at} ms the supply ${reading.supply} did not match the reserve ${reading.reserve}`,
      });
    }
  }

  const cross = history.txs.filter((tx) => tx.fromShard !== tx.toShard);
  return {
    violations,
    stats: {
      transfers: history.txs.length,
      final: history.txs.filter((tx) => tx.ack !== undefined).length,
      crossShard: cross.length,
      credited: cross.filter((tx) => tx.settled?.stage === 'credited').length,
      refunded: cross.filter((tx) => tx.settled?.stage === 'refunded').length,
      faults: history.faults.length,
      blocksChecked: history.chains.reduce((sum, chain) => sum + chain.blocks.length, 0),
      reserveReadings: history.reserves.length,
    },
  };
}

/** Every validator of a shard serves the same block at every height both of them hold. */
function checkAgreement(history: History, report: (v: Violation) => void): void {
  const first = new Map<string, { chain: ChainView; header: string }>();
  for (const chain of history.chains) {
    for (const block of chain.blocks) {
      const key = `${chain.shard}/${block.height}`;
      const other = first.get(key);
      if (other === undefined) first.set(key, { chain, header: block.header });
      else if (other.header !== block.header) {
        report({
          kind: 'fork',
          message: `shard ${chain.shard} at height ${block.height}: ${name(other.chain)} and ${name(chain)} serve different blocks`,
        });
      }
    }
  }
}

/**
 * In each validator's chain, each receipt id is consumed once, and each transfer credited (or
 * refunded) by one receipt. Reported once per shard and receipt, however many validators show it.
 */
function checkReceiptsConsumedOnce(history: History, report: (v: Violation) => void): void {
  for (const chain of history.chains) {
    const receipts = new Map<string, { txId: string; heights: bigint[] }>();
    const perTransfer = new Map<string, Set<string>>();
    for (const block of chain.blocks) {
      for (const incoming of block.incoming) {
        const seen = receipts.get(incoming.receiptId) ?? { txId: incoming.txId, heights: [] };
        seen.heights.push(block.height);
        receipts.set(incoming.receiptId, seen);
        const key = `${incoming.kind} receipts for transfer ${incoming.txId}`;
        perTransfer.set(key, (perTransfer.get(key) ?? new Set()).add(incoming.receiptId));
      }
    }
    for (const [receiptId, { txId, heights }] of receipts) {
      if (heights.length < 2) continue;
      report({
        kind: 'double-credit',
        txId,
        message: `shard ${chain.shard} consumed receipt ${receiptId} (transfer ${txId}) ${heights.length} times (first at ${heights[0]}, again at ${heights[1]})`,
      });
    }
    for (const [key, ids] of perTransfer) {
      if (ids.size < 2) continue;
      report({
        kind: 'double-credit',
        txId: key.slice(key.lastIndexOf(' ') + 1),
        message: `shard ${chain.shard} consumed ${ids.size} different ${key}`,
      });
    }
  }
}

/** A final cross-shard transfer is credited on its target, or refunded back to its sender. */
function checkCrossShard(
  tx: TxRecord,
  chainsOf: (shard: number) => ChainView[],
  report: (v: Violation) => void,
): void {
  if (tx.settled === undefined) {
    report({
      kind: 'missing-credit',
      txId: tx.id,
      message: `cross-shard transfer ${tx.id} (shard ${tx.fromShard} → ${tx.toShard}) was never credited nor refunded`,
    });
    return;
  }
  const where = tx.settled.stage === 'credited' ? tx.toShard : tx.fromShard;
  const kind = tx.settled.stage === 'credited' ? 'credit' : 'refund';
  for (const chain of chainsOf(where)) {
    const found = chain.blocks.some((block) =>
      block.incoming.some((incoming) => incoming.txId === tx.id && incoming.kind === kind),
    );
    if (!found) {
      report({
        kind: 'missing-credit',
        txId: tx.id,
        message: `transfer ${tx.id} was observed ${tx.settled.stage} but ${name(chain)} has no ${kind} receipt for it`,
      });
    }
  }
}

/** Balances follow from the history, and transfers neither create nor destroy money. */
function checkMoney(history: History, report: (v: Violation) => void): void {
  const { start, end } = history;
  const expected = new Map<string, bigint>(Object.entries(start.balances));
  const add = (address: string, amount: bigint) => {
    if (expected.has(address)) expected.set(address, expected.get(address)! + amount);
  };
  for (const tx of history.txs) {
    if (tx.ack === undefined) continue;
    add(tx.from, -tx.amount);
    if (tx.fromShard === tx.toShard || tx.settled?.stage === 'credited') add(tx.to, tx.amount);
    else if (tx.settled?.stage === 'refunded') add(tx.from, tx.amount);
  }
  for (const [address, want] of expected) {
    const got = end.balances[address];
    if (got !== want) {
      report({
        kind: 'balance',
        message: `${address} holds ${got ?? 'nothing'}, the history says ${want}`,
      });
    }
  }
  if (end.supply !== start.supply) {
    report({ kind: 'supply', message: `transfers changed the supply: ${start.supply} → ${end.supply}` });
  }
  const total = (balances: Record<string, bigint>) => Object.values(balances).reduce((a, b) => a + b, 0n);
  if (total(end.balances) !== total(start.balances)) {
    report({
      kind: 'supply',
      message: `the involved accounts held ${total(start.balances)} and now hold ${total(end.balances)}`,
    });
  }
}
