import { bytesToHex, encodeAddress } from '@shardpay/crypto';
import { type Block, type NetworkConfig, receiptId, shardOfAddress, transactionId } from '@shardpay/protocol';
import { operationParties } from './operationParties.ts';

/** A receipt the block consumed, as its `chain_credits` row will say (before its outcome is known). */
export interface CreditRow {
  receiptId: string;
  txId: string;
  kind: 'credit' | 'refund';
  operation: string;
  sourceShard: number;
  sourceHeight: bigint;
  /** Place among the block's consumed receipts, over all its incoming batches. */
  position: number;
  sender: string;
  recipient: string;
  amount: bigint;
  paymentId: string;
  refundOf: string | null;
  /** Whether the ledger may refuse it as a repeated payment id (a credit of a `pay`). */
  isPayCredit: boolean;
}

/** A transaction of the block, as its `chain_transactions` row will say. */
export interface TransactionRow {
  txId: string;
  position: number;
  operation: string;
  sender: string;
  recipient: string | null;
  amount: bigint;
  fee: bigint;
  /** The shard its credit goes to when it leaves this one, else null. */
  targetShard: number | null;
  paymentId: string | null;
  /** Whether it paid someone else on this shard (a transfer.received now, not at the credit). */
  paysHere: boolean;
}

/** The block's consumed receipts in the ledger's order (incoming batches in order, each in order). */
export function creditRowsOf(network: NetworkConfig, block: Block): CreditRow[] {
  const prefix = network.addressPrefix;
  return block.incoming
    .flatMap((batch) => batch.receipts.map(({ receipt }) => receipt))
    .map((receipt, position) => ({
      receiptId: bytesToHex(receiptId(receipt)),
      txId: bytesToHex(receipt.txId),
      kind: receipt.kind,
      operation: receipt.operation,
      sourceShard: receipt.sourceShard,
      sourceHeight: receipt.sourceHeight,
      position,
      sender: encodeAddress(receipt.from, prefix),
      recipient: encodeAddress(receipt.to, prefix),
      amount: receipt.amount,
      paymentId: receipt.paymentId,
      refundOf: receipt.refundOf === null ? null : bytesToHex(receipt.refundOf),
      isPayCredit: receipt.kind === 'credit' && receipt.operation === 'pay',
    }));
}

/** The block's transactions in order, for a block of `shard`. */
export function transactionRowsOf(network: NetworkConfig, shard: number, block: Block): TransactionRow[] {
  const prefix = network.addressPrefix;
  return block.transactions.map((transaction, position) => {
    // The new operations (escrow, time locks, multisig, issuer controls): see operationParties.
    const parties = operationParties(network, transaction);
    const sender = encodeAddress(parties.from, prefix);
    const to = parties.to === null ? null : encodeAddress(parties.to, prefix);
    const target = parties.to === null || !parties.credits ? null : shardOfAddress(network, parties.to);
    const crossShard = target !== null && target !== shard;
    return {
      txId: bytesToHex(transactionId(transaction)),
      position,
      operation: transaction.operation.type,
      sender,
      recipient: to,
      amount: parties.amount,
      fee: transaction.fee,
      targetShard: crossShard ? target : null,
      paymentId: parties.paymentId,
      paysHere: parties.credits && to !== null && !crossShard && to !== sender,
    };
  });
}
