/**
 * Worker thread: verifies transaction signatures with the native secp256k1 binding. Receives
 * batches of encoded transactions, answers one boolean per transaction (undecodable → false).
 */
import { parentPort } from 'node:worker_threads';
import { decodeTransaction, isTransactionSignatureValid } from '@shardpay/protocol';

export interface VerifyRequest {
  batchId: number;
  transactions: Uint8Array[];
}

export interface VerifyResponse {
  batchId: number;
  valid: boolean[];
}

parentPort?.on('message', (request: VerifyRequest) => {
  const valid = request.transactions.map((bytes) => {
    try {
      return isTransactionSignatureValid(decodeTransaction(bytes));
    } catch {
      return false;
    }
  });
  parentPort?.postMessage({ batchId: request.batchId, valid } satisfies VerifyResponse);
});
