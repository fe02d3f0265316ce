/**
 * Worker thread of `signBenchTransfersInParallel`: signs the transfers of its share of the senders
 * and posts back their hex encodings, one list per sender.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type BenchSigningKey, type BenchTransferOptions, signBenchTransfers } from './createBenchSenders.ts';

/** One worker's share of the signing. */
export interface SignTransfersJob {
  options: BenchTransferOptions;
  senders: BenchSigningKey[];
  first: number;
  count: number;
}

const job = workerData as SignTransfersJob;
parentPort?.postMessage(
  job.senders.map((sender) => signBenchTransfers(sender, job.first, job.count, job.options)),
);
