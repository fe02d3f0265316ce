import { Worker } from 'node:worker_threads';
import type { BenchSender, BenchTransferOptions } from './createBenchSenders.ts';
import type { SignTransfersJob } from './signTransfersWorker.ts';

/**
 * Pre-signs `perSender` more transfers for every sender on `threads` worker threads (senders split
 * evenly) and appends them to each sender's `transactions`.
 */
export async function signBenchTransfersInParallel(
  senders: readonly BenchSender[],
  perSender: number,
  options: BenchTransferOptions,
  threads: number,
): Promise<void> {
  const first = senders[0]?.transactions.length ?? 0;
  if (senders.some((sender) => sender.transactions.length !== first)) {
    throw new Error('every sender must hold the same number of signed transfers');
  }
  const shares = Array.from({ length: Math.max(1, Math.min(threads, senders.length)) }, (_, worker) =>
    senders.filter((_, i) => i % threads === worker),
  );
  await Promise.all(
    shares.map(
      (share) =>
        new Promise<void>((resolve, reject) => {
          const job: SignTransfersJob = {
            options,
            senders: share.map(({ shard, privateKey, publicKey }) => ({ shard, privateKey, publicKey })),
            first,
            count: perSender,
          };
          const worker = new Worker(new URL('./signTransfersWorker.ts', import.meta.url), {
            workerData: job,
          });
          worker.once('message', (signed: string[][]) => {
            share.forEach((sender, i) => {
              sender.transactions.push(...signed[i]!);
            });
            resolve();
          });
          worker.once('error', reject);
          worker.once('exit', (code) => {
            if (code !== 0) reject(new Error(`a signing worker exited with code ${code}`));
          });
        }),
    ),
  );
}
