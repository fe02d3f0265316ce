/**
 * What `shardpay bench` (the CLI) uses of the node benchmark: one run as a function, the signature
 * check rate that bounds it, and the percentile helper. `npm run bench:node` uses the same run.
 */
export {
  type AttachBenchNetworkOptions,
  type AttachedBenchNetwork,
  attachBenchNetwork,
  type BenchFunder,
} from './attachBenchNetwork.ts';
export { isCrossShardTransfer } from './createBenchSenders.ts';
export { type MeasureVerifyRateResult, measureVerifyRate } from './measureVerifyRate.ts';
export {
  defaultPresignCount,
  type NodeBenchHooks,
  type NodeBenchJson,
  type NodeBenchOptions,
  type NodeBenchReport,
  runNodeBench,
} from './runNodeBench.ts';
export type { BenchNetwork } from './startBenchNetwork.ts';
export { percentile } from './summarizeWindow.ts';
