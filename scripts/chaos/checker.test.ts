/**
 * The checker against doctored histories: a clean one passes, and each way the system could be
 * wrong (a lost final transfer, a receipt consumed twice, a transfer credited by two receipts, a
 * missing credit, a fork, wrong balances, changed supply, a reserve mismatch) is reported. Since the
 * packages cannot be broken from here, this is how we know the checker would catch a broken build.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkHistory, type ViolationKind } from './checker.ts';
import { type ChainView, type History, historyFromJson, historyToJson } from './history.ts';

const [faucet, alice, bob] = ['spd1faucet', 'spd1alice', 'spd1bob'];

/**
 * Two shards × two validators: an intra-shard transfer A (10 to alice), a cross-shard B (20 to bob,
 * credited), and a cross-shard payment C (30 to bob under a used payment id: refunded).
 */
function cleanHistory(): History {
  const sourceBlock = (validator: number): ChainView => ({
    shard: 0,
    validator,
    blocks: [
      { height: 5n, header: 'h5', txIds: ['aa', 'bb', 'cc'], incoming: [] },
      {
        height: 9n,
        header: 'h9',
        txIds: [],
        incoming: [{ receiptId: 'r4', kind: 'refund', txId: 'cc', sourceShard: 1, to: faucet, amount: 30n }],
      },
    ],
  });
  const targetBlock = (validator: number): ChainView => ({
    shard: 1,
    validator,
    blocks: [
      {
        height: 7n,
        header: 'h7',
        txIds: [],
        incoming: [{ receiptId: 'r1', kind: 'credit', txId: 'bb', sourceShard: 0, to: bob, amount: 20n }],
      },
      {
        height: 8n,
        header: 'h8',
        txIds: [],
        incoming: [{ receiptId: 'r3', kind: 'credit', txId: 'cc', sourceShard: 0, to: bob, amount: 30n }],
      },
    ],
  });
  return {
    seed: 1,
    scenario: 0,
    shards: 2,
    validatorsPerShard: 2,
    durationMs: 10_000,
    faults: [{ kind: 'kill', target: 's0-v1', at: 100, healedAt: 2000 }],
    txs: [
      {
        id: 'aa',
        operation: 'transfer',
        fromShard: 0,
        toShard: 0,
        from: faucet,
        to: alice,
        amount: 10n,
        submittedAt: 1,
        ack: { height: 5n, index: 0, at: 900 },
      },
      {
        id: 'bb',
        operation: 'transfer',
        fromShard: 0,
        toShard: 1,
        from: faucet,
        to: bob,
        amount: 20n,
        submittedAt: 2,
        ack: { height: 5n, index: 1, at: 900 },
        settled: { stage: 'credited', shard: 1, height: 7n, at: 1500 },
      },
      {
        id: 'cc',
        operation: 'pay',
        fromShard: 0,
        toShard: 1,
        from: faucet,
        to: bob,
        amount: 30n,
        submittedAt: 3,
        ack: { height: 5n, index: 2, at: 900 },
        settled: { stage: 'refunded', shard: 0, height: 9n, at: 1800 },
      },
    ],
    start: { supply: 1000n, balances: { [faucet]: 1000n, [alice]: 0n, [bob]: 0n } },
    end: { supply: 1000n, balances: { [faucet]: 970n, [alice]: 10n, [bob]: 20n } },
    chains: [sourceBlock(0), sourceBlock(1), targetBlock(0), targetBlock(1)],
    reserves: [{ at: 500, supply: 1000n, reserve: 1000n, matches: true }],
  };
}

function kindsOf(history: History): ViolationKind[] {
  return [...new Set(checkHistory(history).violations.map((v) => v.kind))].sort();
}

describe('the chaos checker', () => {
  it('finds nothing wrong with a clean history, and counts it', () => {
    const result = checkHistory(cleanHistory());
    assert.deepEqual(result.violations, []);
    assert.equal(result.stats.transfers, 3);
    assert.equal(result.stats.credited, 1);
    assert.equal(result.stats.refunded, 1);
    assert.equal(result.stats.blocksChecked, 8);
  });

  it('reports a transfer acknowledged final that a validator no longer holds', () => {
    const history = cleanHistory();
    history.chains[1]!.blocks[0]!.txIds[0] = 'ff';
    const violations = checkHistory(history).violations;
    assert.equal(violations.length, 1);
    const [violation] = violations;
    assert.equal(violation?.kind, 'lost-final');
    assert.equal(violation?.txId, 'aa');
    assert.match(violation!.message, /s0-v1/);
  });

  it('reports a final transfer whose block is missing on a validator', () => {
    const history = cleanHistory();
    history.chains[0]!.blocks.shift();
    assert.deepEqual(kindsOf(history), ['lost-final']);
  });

  it('reports a receipt consumed twice (a skipped consumed-receipt check)', () => {
    const history = cleanHistory();
    const again = structuredClone(history.chains[3]!.blocks[0]!.incoming[0]!);
    history.chains[3]!.blocks[1]!.incoming.push(again);
    history.end.balances[bob] = 40n;
    const violations = checkHistory(history).violations;
    assert.ok(violations.some((v) => v.kind === 'double-credit' && v.txId === 'bb'));
    assert.ok(
      violations.some((v) => v.kind === 'balance'),
      'and the extra money shows in the balances',
    );
  });

  it('reports a transfer credited by two different receipts', () => {
    const history = cleanHistory();
    history.chains[2]!.blocks[1]!.incoming.push({
      receiptId: 'r5',
      kind: 'credit',
      txId: 'bb',
      sourceShard: 0,
      to: bob,
      amount: 20n,
    });
    assert.deepEqual(kindsOf(history), ['double-credit']);
  });

  it('reports a final cross-shard transfer never credited nor refunded', () => {
    const history = cleanHistory();
    delete history.txs[1]!.settled;
    for (const chain of history.chains) for (const block of chain.blocks) block.incoming = [];
    history.end.balances[faucet] = 970n;
    history.end.balances[bob] = 0n;
    const violations = checkHistory(history).violations;
    assert.ok(violations.some((v) => v.kind === 'missing-credit' && v.txId === 'bb'));
  });

  it('reports a credit observed through the status but absent from a validator of the target shard', () => {
    const history = cleanHistory();
    history.chains[3]!.blocks[0]!.incoming = [];
    assert.deepEqual(kindsOf(history), ['missing-credit']);
  });

  it('reports a refund observed through the status but absent from a validator of the source shard', () => {
    const history = cleanHistory();
    history.chains[0]!.blocks[1]!.incoming = [];
    const violations = checkHistory(history).violations;
    assert.deepEqual(kindsOf(history), ['missing-credit']);
    assert.equal(violations[0]!.txId, 'cc');
  });

  it('reports a transfer that never became final', () => {
    const history = cleanHistory();
    delete history.txs[0]!.ack;
    history.end.balances = { [faucet]: 980n, [alice]: 0n, [bob]: 20n };
    assert.deepEqual(kindsOf(history), ['not-final']);
  });

  it('reports validators of one shard serving different blocks at a height', () => {
    const history = cleanHistory();
    history.chains[1]!.blocks[0]!.header = 'other';
    assert.deepEqual(kindsOf(history), ['fork']);
  });

  it('reports balances the history does not explain, created money, and a reserve mismatch', () => {
    const history = cleanHistory();
    history.end.balances[alice] = 11n;
    history.end.supply = 1001n;
    history.reserves.push({ at: 600, supply: 1001n, reserve: 1000n, matches: false });
    assert.deepEqual(kindsOf(history), ['balance', 'reserve', 'supply']);
  });

  it('reads back a saved history exactly, bigints included', () => {
    const history = cleanHistory();
    assert.deepEqual(historyFromJson(historyToJson(history)), history);
  });
});
