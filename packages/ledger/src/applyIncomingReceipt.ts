import { ShardpayError } from '@shardpay/crypto';
import type { Hash, Receipt } from '@shardpay/protocol';
import { receiptId as computeReceiptId, MAX_AMOUNT, shardOfAddress } from '@shardpay/protocol';
import { type BlockContext, emitReceipt } from './BlockContext.ts';
import { assertValidAddress, assertValidAmount } from './fieldChecks.ts';
import { isRefusal } from './isRefusal.ts';
import { isFrozen } from './records/shardControlRecord.ts';

/**
 * What became of a consumed incoming receipt: credited to its `to` (for a refund receipt: the refund
 * reached the original sender), or refused by this shard and answered with a refund receipt.
 */
export type IncomingReceiptOutcome =
  | { outcome: 'credited'; receiptId: Hash; receipt: Receipt }
  | { outcome: 'refunded'; receiptId: Hash; receipt: Receipt; refund: Receipt; refundId: Hash };

/**
 * Throws unless an incoming receipt (whose proof was checked by `verifyIncomingBatch`) can be consumed
 * here: this chain (WRONG_CHAIN), this shard and an account living on it (RECEIPT_WRONG_TARGET), a valid
 * amount, not consumed before (RECEIPT_ALREADY_CONSUMED), and a credit that keeps the balance within
 * MAX_AMOUNT (SUPPLY_OVERFLOW; honest shards can never reach it, see the supply cap).
 */
export function assertValidIncomingReceipt(context: BlockContext, receipt: Receipt, receiptId: Hash): void {
  if (receipt.chainId !== context.config.chainId) {
    throw new ShardpayError('WRONG_CHAIN', `receipt of chain ${String(receipt.chainId)}`);
  }
  assertValidAddress(receipt.to, 'receipt.to');
  if (receipt.targetShard !== context.shard || shardOfAddress(context.config, receipt.to) !== context.shard) {
    throw new ShardpayError('RECEIPT_WRONG_TARGET', `the receipt is not for shard ${context.shard}`, {
      meta: { targetShard: receipt.targetShard, shard: context.shard },
    });
  }
  assertValidAmount(receipt.amount, 'receipt.amount');
  if (context.state.isReceiptConsumed(receiptId)) {
    throw new ShardpayError('RECEIPT_ALREADY_CONSUMED', 'the receipt was already consumed');
  }
  if (context.state.balanceOf(receipt.to) + receipt.amount > MAX_AMOUNT) {
    throw new ShardpayError('SUPPLY_OVERFLOW', 'the credit would overflow the balance');
  }
}

/** Whether `assertValidIncomingReceipt` accepts the receipt. */
export function isValidIncomingReceipt(context: BlockContext, receipt: Receipt, receiptId: Hash): boolean {
  try {
    assertValidIncomingReceipt(context, receipt, receiptId);
    return true;
  } catch (error) {
    if (isRefusal(error)) return false;
    throw error;
  }
}

/**
 * Consumes an incoming receipt exactly once. A credit is refused, by emitting a refund receipt (kind
 * 'refund', same txId, refundOf = this receipt's id) back to the original sender's shard, when its
 * recipient is frozen by the issuer, or when it pays a paymentId the merchant already received;
 * anything else is credited. A refund is always credited, even to a frozen account: the coins go back
 * where they came from, and refusing it would strand them. The issuer's pause does not stop receipts
 * either: they were final on their source shard, so refusing them would only strand the coins.
 */
export function applyIncomingReceipt(
  context: BlockContext,
  receipt: Receipt,
  receiptId: Hash,
): IncomingReceiptOutcome {
  assertValidIncomingReceipt(context, receipt, receiptId);
  const { state } = context;
  state.consumeReceipt(receiptId);
  if (receipt.kind === 'credit') {
    if (isFrozen(state, receipt.to)) return refuseCredit(context, receipt, receiptId);
    if (receipt.operation === 'pay') {
      if (state.isPaymentIdUsed(receipt.to, receipt.paymentId))
        return refuseCredit(context, receipt, receiptId);
      state.recordPayment(receipt.to, receipt.paymentId);
    }
  }
  state.credit(receipt.to, receipt.amount);
  return { outcome: 'credited', receiptId, receipt };
}

/** Answers a refused credit with a refund receipt of its amount to its original sender. */
function refuseCredit(context: BlockContext, receipt: Receipt, receiptId: Hash): IncomingReceiptOutcome {
  const refund = emitReceipt(context, {
    targetShard: receipt.sourceShard,
    kind: 'refund',
    txId: receipt.txId.slice(),
    operation: receipt.operation,
    from: receipt.from.slice(),
    to: receipt.from.slice(),
    amount: receipt.amount,
    paymentId: receipt.paymentId,
    memo: receipt.memo,
    refundOf: receiptId.slice(),
  });
  return { outcome: 'refunded', receiptId, receipt, refund, refundId: computeReceiptId(refund) };
}
