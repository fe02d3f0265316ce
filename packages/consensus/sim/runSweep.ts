import type { ConsensusTestFaults, ConsensusTimeouts } from '../src/index.ts';
import type { ByzantineStrategyName } from './ByzantineStrategy.ts';
import type { SimulationResult } from './runSimulation.ts';
import { runSimulation } from './runSimulation.ts';

export interface SweepOptions {
  /** Number of runs; seeds are firstSeed, firstSeed + 1, … */
  runs: number;
  firstSeed: number;
  /** A fixed committee size, or undefined to take 4 for even seeds and 7 for odd ones. */
  validators?: number;
  heights: number;
  byzantine?: number;
  strategies?: readonly ByzantineStrategyName[];
  /** TEST ONLY: faults for the honest engines. */
  faults?: ConsensusTestFaults;
  /** Engine timeouts for every run; by default each seed picks a profile. */
  timeouts?: ConsensusTimeouts;
  /** Stop at the first failing run. */
  stopOnFailure?: boolean;
  /** Receives every line a run logs (verbose mode). */
  log?: (line: string) => void;
  /** Called after each run. */
  onRun?: (result: SimulationResult) => void;
}

export interface SweepSummary {
  runs: number;
  safetyViolations: number;
  livenessFailures: number;
  validators: number[];
  heightsCommitted: number;
  seconds: number;
  failures: SimulationResult[];
  /** The slowest recovery after healing, in simulated ms (how close runs come to the liveness bound). */
  maxRecoveryMs: number;
}

/** The committee size a seed runs with when none is fixed: alternate 4 and 7, so a seed alone replays a run. */
export function validatorsForSeed(seed: number): number {
  return seed % 2 === 0 ? 4 : 7;
}

function crashedRun(seed: number, validators: number, error: unknown): SimulationResult {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    seed,
    validators,
    byzantine: [],
    heightsCommitted: 0,
    safetyViolations: [`exception: ${message}`],
    livenessFailures: [],
    healedAtMs: -1,
    recoveryMs: -1,
    simulatedMs: 0,
    events: 0,
    crashes: 0,
    rejectedMessages: 0,
    evidenceReports: 0,
  };
}

/** Runs many seeded simulations and sums what they found; an exception in a run counts as a safety violation. */
export function runSweep(options: SweepOptions): SweepSummary {
  const started = performance.now();
  const sizes = new Set<number>();
  const failures: SimulationResult[] = [];
  let safetyViolations = 0;
  let livenessFailures = 0;
  let heightsCommitted = 0;
  let maxRecoveryMs = 0;
  let runs = 0;
  for (let i = 0; i < options.runs; i += 1) {
    const seed = options.firstSeed + i;
    const validators = options.validators ?? validatorsForSeed(seed);
    sizes.add(validators);
    let result: SimulationResult;
    try {
      result = runSimulation({
        seed,
        validators,
        heights: options.heights,
        ...(options.byzantine === undefined ? {} : { byzantine: options.byzantine }),
        ...(options.strategies === undefined ? {} : { strategies: options.strategies }),
        ...(options.faults === undefined ? {} : { faults: options.faults }),
        ...(options.timeouts === undefined ? {} : { timeouts: options.timeouts }),
        ...(options.log === undefined ? {} : { log: options.log }),
      });
    } catch (error) {
      // An engine or simulator exception is a failure of the run, reported with its seed like any other.
      result = crashedRun(seed, validators, error);
    }
    runs += 1;
    safetyViolations += result.safetyViolations.length;
    livenessFailures += result.livenessFailures.length;
    heightsCommitted += result.heightsCommitted;
    maxRecoveryMs = Math.max(maxRecoveryMs, result.recoveryMs);
    options.onRun?.(result);
    if (result.safetyViolations.length + result.livenessFailures.length > 0) {
      failures.push(result);
      if (options.stopOnFailure === true) break;
    }
  }
  return {
    runs,
    safetyViolations,
    livenessFailures,
    validators: [...sizes].sort((a, b) => a - b),
    heightsCommitted,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    failures,
    maxRecoveryMs,
  };
}
