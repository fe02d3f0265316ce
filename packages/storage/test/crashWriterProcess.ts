/**
 * The child process of the crash test: opens the LMDB store at argv[2], then for each height
 * appends WAL records (recording each as the last signed step first) and commits the fixture
 * block, printing one line per acknowledged write: `W <height> <seq>` and `B <height>`. It
 * resumes wherever a previous (killed) run stopped, and runs until killed or the chain ends.
 * With KILL_HEIGHT and KILL_POSITION it SIGKILLs itself inside the commit of that height, after
 * that many state writes went into the open LMDB transaction.
 *
 *   node crashWriterProcess.ts DIR SEED [KILL_HEIGHT KILL_POSITION]
 */
import { createLmdbChainStore, type StateWrite } from '../src/index.ts';
import { CRASH_CHAIN_LENGTH, CRASH_WAL_RECORDS_PER_HEIGHT, crashWalRecord } from './crashFixtures.ts';
import { buildFixtureChain, CHAIN_ID, fixtureGenesisHash, SHARD } from './fixtures.ts';

const [path, seedText, killHeightText, killPositionText] = process.argv.slice(2);
if (path === undefined || seedText === undefined) throw new Error('usage: crashWriterProcess.ts DIR SEED');
const seed = Number(seedText);
const killHeight = killHeightText === undefined ? undefined : BigInt(killHeightText);
const killPosition = Number(killPositionText);

function* killedMidway(writes: readonly StateWrite[], position: number): Generator<StateWrite> {
  for (let index = 0; index < position; index++) yield writes[index]!;
  process.kill(process.pid, 'SIGKILL');
}
const chain = buildFixtureChain({ seed, length: CRASH_CHAIN_LENGTH });
const store = createLmdbChainStore({ path, chainId: CHAIN_ID, shard: SHARD });
store.commitGenesis({ genesisHash: fixtureGenesisHash(seed) });

// Pipes to the parent are synchronous on Linux, so a printed line left after the write returned.
const acknowledge = (line: string) => process.stdout.write(`${line}\n`);

for (let height = store.latestHeight() + 1n; height <= BigInt(CRASH_CHAIN_LENGTH); height++) {
  for (let sequence = store.readWal(height).length; sequence < CRASH_WAL_RECORDS_PER_HEIGHT; sequence++) {
    const record = crashWalRecord(seed, height, sequence);
    store.setLastSigned({ height, round: sequence, step: 'prevote', signBytes: record });
    const written = store.appendWal(height, record);
    if (written !== sequence) throw new Error(`WAL sequence ${written}, expected ${sequence}`);
    acknowledge(`W ${height} ${sequence}`);
  }
  const commit = chain[Number(height) - 1]!;
  store.commitBlock(
    height === killHeight
      ? { ...commit, stateWrites: killedMidway(commit.stateWrites, killPosition) }
      : commit,
  );
  acknowledge(`B ${height}`);
  // Keep the WAL of the last two heights, as a node would, so pruning runs under crashes too.
  store.pruneWal(height - 1n);
}
acknowledge('DONE');
await store.close();
