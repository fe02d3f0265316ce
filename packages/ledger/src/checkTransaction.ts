import type { Hash, NetworkConfig, Transaction } from '@shardpay/protocol';
import { applyTransaction } from './applyTransaction.ts';
import { createBlockContext } from './BlockContext.ts';
import type { LedgerState } from './LedgerState.ts';
import { createStateOverlay } from './StateOverlay.ts';

/**
 * Tries `tx` on committed state as if it were the next block's first transaction at `timestampMs`, and
 * throws the refusal the ledger would make (its coded ShardpayError): how a node answers a submitter
 * at once instead of dropping the transaction from a block later. Nothing is kept. The signature is
 * taken as valid — the node verifies it when admitting the transaction — so this costs one overlay
 * and the operation's own checks. Only meaningful for the sender's next nonce: a later one depends on
 * transactions still waiting in the mempool.
 */
export function checkTransaction(
  state: LedgerState,
  config: NetworkConfig,
  shard: number,
  tx: Transaction,
  options: { txId: Hash; timestampMs: bigint },
): void {
  const context = createBlockContext(
    config,
    shard,
    createStateOverlay(state),
    { isTransactionSignatureValid: () => true },
    options.timestampMs,
  );
  applyTransaction(context, tx, options.txId);
}
