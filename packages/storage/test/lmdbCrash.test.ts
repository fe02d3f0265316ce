/**
 * kill -9 test: a child process commits blocks and appends WAL records in a loop, printing each
 * acknowledged write. A seeded PRNG picks the crash points. Two kinds alternate on one directory:
 * the parent SIGKILLs the child after N acknowledgements (plus 0-2 ms, so the kill lands at
 * varied points of the write and fsync cycle), or the child SIGKILLs itself inside the open
 * LMDB transaction of a chosen height, after a chosen number of state writes. After each crash
 * the parent reopens the store and checks that every acknowledged write is there and that no
 * height is partly stored; the next crash resumes from the recovered store.
 * SHARDPAY_TEST_SEED=n replays one seed (the kill timing of external kills still varies).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLmdbChainStore } from '../src/index.ts';
import { assertCommitAbsent, assertCommitStored } from './chainStoreCompliance.ts';
import { CRASH_CHAIN_LENGTH, CRASH_WAL_RECORDS_PER_HEIGHT, crashWalRecord } from './crashFixtures.ts';
import {
  buildFixtureChain,
  bytesOf,
  CHAIN_ID,
  createPrng,
  heightStateKey,
  randomInt,
  SHARD,
} from './fixtures.ts';

const childScript = join(import.meta.dirname, 'crashWriterProcess.ts');
const scratch = mkdtempSync(join(tmpdir(), 'shardpay-storage-crash-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const seeds =
  process.env.SHARDPAY_TEST_SEED === undefined ? [1, 2] : [Number(process.env.SHARDPAY_TEST_SEED)];
const CHILD_TIME_LIMIT_MS = 30_000;

interface Acknowledged {
  blocks: bigint[];
  wal: Array<{ height: bigint; sequence: number }>;
  finished: boolean;
}

/** Where the run ends: SIGKILL from the parent after N acknowledgements, or from the child inside a commit. */
type CrashPoint =
  | { kind: 'external'; killAfter: number; delayMs: number }
  | { kind: 'inside-commit'; height: bigint; position: number };

/** Runs the child until the crash point, and collects what it acknowledged. */
async function runChildUntilKilled(path: string, seed: number, crash: CrashPoint): Promise<Acknowledged> {
  const selfKill = crash.kind === 'inside-commit' ? [String(crash.height), String(crash.position)] : [];
  const child = spawn(process.execPath, [childScript, path, String(seed), ...selfKill], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acknowledged: Acknowledged = { blocks: [], wal: [], finished: false };
  let count = 0;
  let stderr = '';
  let pending = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const [kind, height, sequence] = line.split(' ');
      if (kind === 'B') acknowledged.blocks.push(BigInt(height!));
      else if (kind === 'W') acknowledged.wal.push({ height: BigInt(height!), sequence: Number(sequence) });
      else if (kind === 'DONE') acknowledged.finished = true;
      count++;
      if (crash.kind === 'external' && count === crash.killAfter) {
        setTimeout(() => child.kill('SIGKILL'), crash.delayMs);
      }
    }
  });
  const { promise: exited, resolve } = Promise.withResolvers<{
    code: number | null;
    signal: string | null;
  }>();
  child.on('exit', (code, signal) => resolve({ code, signal }));
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIME_LIMIT_MS);
  const { code, signal } = await exited;
  clearTimeout(timer);
  assert.ok(
    signal === 'SIGKILL' || (code === 0 && acknowledged.finished),
    `child ended with code ${code}, signal ${signal} after ${count} acknowledgements: ${stderr}`,
  );
  if (crash.kind === 'external') {
    assert.ok(
      count >= crash.killAfter || acknowledged.finished,
      `child stopped early after ${count} acknowledgements: ${stderr}`,
    );
  }
  return acknowledged;
}

/** Every acknowledged write is stored, every stored height is whole, nothing above the tip exists. */
async function checkRecoveredStore(path: string, seed: number, acknowledged: Acknowledged): Promise<bigint> {
  const chain = buildFixtureChain({ seed, length: CRASH_CHAIN_LENGTH });
  const store = createLmdbChainStore({ path, chainId: CHAIN_ID, shard: SHARD });
  try {
    const latest = store.latestHeight();
    for (const height of acknowledged.blocks)
      assert.ok(height <= latest, `acknowledged block ${height} lost (tip ${latest})`);
    for (let height = 1n; height <= latest; height++) {
      const commit = chain[Number(height) - 1]!;
      assertCommitStored(store, commit);
      assert.deepEqual(store.getState(heightStateKey(height)), commit.stateWrites[0]![1]);
      for (const update of commit.statusUpdates) assert.equal(store.getTxStatus(update.txId)?.height, height);
    }
    if (latest > 0n) assert.deepEqual(store.getState(bytesOf('latest')), bytesOf(latest.toString()));
    for (let height = latest + 1n; height <= latest + 3n && height <= BigInt(CRASH_CHAIN_LENGTH); height++) {
      assertCommitAbsent(store, chain[Number(height) - 1]!);
    }
    // WAL: acknowledged records of unpruned heights are there; every height holds a clean prefix.
    for (const { height, sequence } of acknowledged.wal) {
      if (height < latest - 1n) continue;
      assert.deepEqual(
        store.readWal(height)[sequence],
        crashWalRecord(seed, height, sequence),
        `WAL ${height}/${sequence}`,
      );
    }
    for (let height = 1n; height <= latest + 1n; height++) {
      const records = store.readWal(height);
      assert.ok(records.length <= CRASH_WAL_RECORDS_PER_HEIGHT);
      records.forEach((record, sequence) => {
        assert.deepEqual(record, crashWalRecord(seed, height, sequence));
      });
    }
    const lastWal = acknowledged.wal.at(-1);
    if (lastWal !== undefined) {
      const lastSigned = store.getLastSigned();
      assert.ok(lastSigned !== undefined, 'last signed record lost');
      const stored = [lastSigned.height, lastSigned.round] as const;
      assert.ok(
        stored[0] > lastWal.height || (stored[0] === lastWal.height && stored[1] >= lastWal.sequence),
        `last signed ${stored} is behind acknowledged ${lastWal.height}/${lastWal.sequence}`,
      );
    }
    return latest;
  } finally {
    await store.close();
  }
}

describe('LMDB store under kill -9', () => {
  for (const seed of seeds) {
    it(`keeps every acknowledged block and WAL record, and no partial height (seed ${seed})`, async () => {
      const path = join(scratch, `seed-${seed}`);
      const random = createPrng(seed);
      let latest = 0n;
      for (let round = 0; round < 4; round++) {
        const crash: CrashPoint =
          round % 2 === 0
            ? { kind: 'external', killAfter: 5 + randomInt(random, 150), delayMs: randomInt(random, 3) }
            : {
                kind: 'inside-commit',
                height: latest + 1n + BigInt(randomInt(random, 20)),
                position: randomInt(random, 5),
              };
        try {
          const acknowledged = await runChildUntilKilled(path, seed, crash);
          latest = await checkRecoveredStore(path, seed, acknowledged);
          // A kill inside the commit of height h leaves exactly h-1 committed.
          if (crash.kind === 'inside-commit') assert.equal(latest, crash.height - 1n);
        } catch (error) {
          throw new Error(
            `crash test failed: seed ${seed}, round ${round}, ${JSON.stringify(crash, (_, value) => (typeof value === 'bigint' ? `${value}` : value))} (replay with SHARDPAY_TEST_SEED=${seed})`,
            { cause: error },
          );
        }
      }
    });
  }
});
