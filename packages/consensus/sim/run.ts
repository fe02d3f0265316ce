/**
 * The consensus simulator: `npm run sim -- [--runs N] [--seed S] [--first-seed S] [--validators 4|7]
 * [--heights H] [--verbose]`. Each run is one seeded committee with a faulty network, crashes and
 * Byzantine validators; a failing run prints its seed and the command that replays it. The last line
 * is a JSON summary; the exit code is 1 on any safety violation or liveness failure.
 */
import { parseArgs } from 'node:util';
import { LIVENESS_BASE_MS, LIVENESS_PER_HEIGHT_MS } from './runSimulation.ts';
import { runSweep, validatorsForSeed } from './runSweep.ts';

const DEFAULT_RUNS = 100;
const DEFAULT_HEIGHTS = 6;

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    console.error(`--${name} must be a non-negative integer, got ${text}`);
    process.exit(2);
  }
  return value;
}

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    seed: { type: 'string' },
    'first-seed': { type: 'string' },
    validators: { type: 'string' },
    heights: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
  strict: true,
});

const replaying = values.seed !== undefined;
const firstSeed = replaying
  ? positiveInteger('seed', values.seed, 1)
  : positiveInteger('first-seed', values['first-seed'], 1);
const runs = replaying ? 1 : positiveInteger('runs', values.runs, DEFAULT_RUNS);
const heights = positiveInteger('heights', values.heights, DEFAULT_HEIGHTS);
const validators =
  values.validators === undefined ? undefined : positiveInteger('validators', values.validators, 4);
if (validators !== undefined && validators < 4) {
  console.error('--validators must be at least 4 (n = 3f + 1 with f ≥ 1)');
  process.exit(2);
}

const summary = runSweep({
  runs,
  firstSeed,
  heights,
  ...(validators === undefined ? {} : { validators }),
  ...(values.verbose ? { log: (line: string) => console.log(line) } : {}),
  onRun: (result) => {
    const failed = result.safetyViolations.length + result.livenessFailures.length > 0;
    if (!failed) return;
    console.log(
      `FAIL seed ${result.seed} (n=${result.validators}, Byzantine ${JSON.stringify(result.byzantine)})`,
    );
    for (const line of [...result.safetyViolations, ...result.livenessFailures]) console.log(`  ${line}`);
    const n = validators ?? validatorsForSeed(result.seed);
    console.log(
      `  replay: npm run sim -- --seed ${result.seed} --validators ${n} --heights ${heights} --verbose`,
    );
  },
});

console.log(
  `slowest recovery after healing: ${summary.maxRecoveryMs} ms of simulated time (bound: ${LIVENESS_BASE_MS} ms + ${LIVENESS_PER_HEIGHT_MS} ms per height)`,
);
console.log(
  JSON.stringify({
    runs: summary.runs,
    safetyViolations: summary.safetyViolations,
    livenessFailures: summary.livenessFailures,
    validators: summary.validators,
    heightsCommitted: summary.heightsCommitted,
    seconds: summary.seconds,
  }),
);
process.exitCode = summary.safetyViolations + summary.livenessFailures > 0 ? 1 : 0;
