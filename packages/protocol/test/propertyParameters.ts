/**
 * fast-check settings for this package's property tests: one fixed seed so every run is the same;
 * SHARDPAY_TEST_SEED=<int> explores other seeds. On failure fast-check's message carries
 * `{ seed, path }`, which replays the exact counterexample.
 */
const defaultSeed = 0x70c01;

function readSeed(): number {
  const text = process.env.SHARDPAY_TEST_SEED;
  if (text === undefined || text === '') return defaultSeed;
  const seed = Number.parseInt(text, 10);
  if (!Number.isSafeInteger(seed)) throw new Error(`SHARDPAY_TEST_SEED must be an integer, got '${text}'`);
  return seed;
}

export const testSeed = readSeed();

/** `fc.assert` parameters: the shared seed and `numRuns` runs (1000 by default). */
export function propertyParameters(numRuns = 1000): { seed: number; numRuns: number } {
  return { seed: testSeed, numRuns };
}
