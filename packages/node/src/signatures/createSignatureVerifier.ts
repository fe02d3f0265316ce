import { Worker } from 'node:worker_threads';
import type { VerifyRequest, VerifyResponse } from './signatureWorker.ts';

export interface SignatureVerifierOptions {
  /** Worker threads (≥ 1). */
  threads: number;
  /** Transactions per message to a worker: larger batches cost less messaging. */
  maxBatch: number;
}

export interface SignatureVerifier {
  /** Verifies the signatures of encoded transactions off the main thread; one boolean each. */
  verify(encodedTransactions: Uint8Array[]): Promise<boolean[]>;
  /** Signature checks done so far (for metrics). */
  checked(): number;
  close(): Promise<void>;
}

interface Pending {
  resolve: (valid: boolean[]) => void;
  reject: (error: Error) => void;
}

/**
 * A pool of worker threads that check transaction signatures as transactions arrive, so the
 * consensus thread never waits on secp256k1 and each transaction is checked once.
 */
export function createSignatureVerifier(options: SignatureVerifierOptions): SignatureVerifier {
  const workers: Worker[] = [];
  const pending = new Map<number, Pending>();
  let nextBatch = 0;
  let nextWorker = 0;
  let checked = 0;
  let closed = false;

  for (let i = 0; i < Math.max(1, options.threads); i++) {
    const worker = new Worker(new URL('./signatureWorker.ts', import.meta.url));
    worker.on('message', (response: VerifyResponse) => {
      const entry = pending.get(response.batchId);
      if (!entry) return;
      pending.delete(response.batchId);
      checked += response.valid.length;
      entry.resolve(response.valid);
    });
    worker.on('error', (error) => {
      for (const entry of pending.values()) entry.reject(error);
      pending.clear();
    });
    worker.unref();
    workers.push(worker);
  }

  function verifyBatch(transactions: Uint8Array[]): Promise<boolean[]> {
    const batchId = nextBatch++;
    const worker = workers[nextWorker++ % workers.length]!;
    return new Promise<boolean[]>((resolve, reject) => {
      pending.set(batchId, { resolve, reject });
      worker.postMessage({ batchId, transactions } satisfies VerifyRequest);
    });
  }

  return {
    async verify(encodedTransactions) {
      if (closed) throw new Error('signature verifier is closed');
      if (encodedTransactions.length === 0) return [];
      const batches: Promise<boolean[]>[] = [];
      for (let i = 0; i < encodedTransactions.length; i += options.maxBatch) {
        batches.push(verifyBatch(encodedTransactions.slice(i, i + options.maxBatch)));
      }
      return (await Promise.all(batches)).flat();
    },
    checked: () => checked,
    async close() {
      closed = true;
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
