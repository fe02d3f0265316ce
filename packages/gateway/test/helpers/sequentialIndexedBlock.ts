import { bytesToHex, encodeAddress } from '@shardpay/crypto';
import type { Queryable } from '@shardpay/database';
import {
  type Block,
  formatAmount,
  type NetworkConfig,
  type Receipt,
  receiptId,
  shardOfAddress,
  type Transaction,
  transactionId,
  transactionSender,
} from '@shardpay/protocol';
import { movePaymentStatus } from '../../src/events/movePaymentStatus.ts';
import { writeEvent } from '../../src/events/writeEvent.ts';

// The indexer's block writer as it was before it was batched: a few statements per receipt and per
// transaction, each effect written as it happens. Kept as the oracle the batched writer must match
// row for row and event for event (indexedBlockBatch.test.ts). Not used by the gateway.

function recipientBytes(tx: Transaction): Uint8Array | null {
  const operation = tx.operation;
  if (operation.type === 'transfer' || operation.type === 'mint') return operation.to;
  if (operation.type === 'pay') return operation.merchant;
  return null;
}

interface IncomingTransfer {
  txId: string;
  from: string;
  to: string;
  amount: bigint;
  shard: number;
}

async function announceIncoming(tx: Queryable, transfer: IncomingTransfer, at: Date): Promise<void> {
  const wallets = await tx.query<{ id: string; user_id: string }>(
    'SELECT id, user_id FROM wallets WHERE address = $1',
    [transfer.to],
  );
  for (const wallet of wallets.rows) {
    await writeEvent(tx, {
      userId: wallet.user_id,
      type: 'transfer.received',
      data: {
        object: 'incoming_transfer',
        wallet: wallet.id,
        tx_id: transfer.txId,
        from: transfer.from,
        to: transfer.to,
        amount: formatAmount(transfer.amount),
        currency: 'usd',
        shard: transfer.shard,
      },
      at,
    });
  }
}

async function isRefusedCredit(tx: Queryable, receipt: Receipt, to: string, shard: number): Promise<boolean> {
  if (receipt.kind !== 'credit' || receipt.operation !== 'pay') return false;
  const seen = await tx.query(
    `SELECT 1 FROM chain_credits
      WHERE recipient = $1 AND payment_id = $2 AND kind = 'credit' AND operation = 'pay' AND outcome = 'credited'
     UNION ALL
     SELECT 1 FROM chain_transactions
      WHERE recipient = $1 AND payment_id = $2 AND operation = 'pay' AND shard = $3 AND target_shard IS NULL
     LIMIT 1`,
    [to, receipt.paymentId, shard],
  );
  return seen.rowCount > 0;
}

async function writeIncomingReceipts(
  tx: Queryable,
  network: NetworkConfig,
  shard: number,
  block: Block,
  at: Date,
): Promise<void> {
  const prefix = network.addressPrefix;
  let position = 0;
  for (const batch of block.incoming) {
    for (const { receipt } of batch.receipts) {
      const txId = bytesToHex(receipt.txId);
      const from = encodeAddress(receipt.from, prefix);
      const to = encodeAddress(receipt.to, prefix);
      const refused = await isRefusedCredit(tx, receipt, to, shard);
      await tx.query(
        `INSERT INTO chain_credits (receipt_id, tx_id, kind, operation, source_shard, source_height, target_shard,
                                    height, position, timestamp_ms, sender, recipient, amount, payment_id,
                                    outcome, refund_of)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
        [
          bytesToHex(receiptId(receipt)),
          txId,
          receipt.kind,
          receipt.operation,
          receipt.sourceShard,
          receipt.sourceHeight.toString(),
          shard,
          block.header.height.toString(),
          position,
          block.header.timestampMs.toString(),
          from,
          to,
          receipt.amount.toString(),
          receipt.paymentId,
          refused ? 'refused' : 'credited',
          receipt.refundOf === null ? null : bytesToHex(receipt.refundOf),
        ],
      );
      position += 1;
      if (receipt.kind === 'refund') {
        await movePaymentStatus(tx, txId, 'refunded', at);
      } else if (refused) {
        await movePaymentStatus(tx, txId, 'refused', at);
      } else {
        await movePaymentStatus(tx, txId, 'credited', at);
        await announceIncoming(tx, { txId, from, to, amount: receipt.amount, shard }, at);
      }
    }
  }
}

async function writeTransactions(
  tx: Queryable,
  network: NetworkConfig,
  shard: number,
  block: Block,
  at: Date,
): Promise<void> {
  const prefix = network.addressPrefix;
  for (const [position, transaction] of block.transactions.entries()) {
    const txId = bytesToHex(transactionId(transaction));
    const sender = encodeAddress(transactionSender(transaction), prefix);
    const recipient = recipientBytes(transaction);
    const to = recipient === null ? null : encodeAddress(recipient, prefix);
    const targetShard = recipient === null ? null : shardOfAddress(network, recipient);
    const crossShard = targetShard !== null && targetShard !== shard;
    const operation = transaction.operation;
    if (
      operation.type !== 'transfer' &&
      operation.type !== 'pay' &&
      operation.type !== 'mint' &&
      operation.type !== 'burn'
    ) {
      throw new Error(`the sequential oracle covers transfer, pay, mint and burn, not ${operation.type}`);
    }
    await tx.query(
      `INSERT INTO chain_transactions (tx_id, shard, height, position, timestamp_ms, operation, sender, recipient,
                                       amount, fee, target_shard, payment_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        txId,
        shard,
        block.header.height.toString(),
        position,
        block.header.timestampMs.toString(),
        operation.type,
        sender,
        to,
        operation.amount.toString(),
        transaction.fee.toString(),
        crossShard ? targetShard : null,
        operation.type === 'pay' ? operation.paymentId : null,
      ],
    );
    await movePaymentStatus(tx, txId, 'final', at);
    if (to !== null && !crossShard && to !== sender) {
      await announceIncoming(tx, { txId, from: sender, to, amount: operation.amount, shard }, at);
    }
  }
}

/** The pre-batching writer: `block` of `shard` inside `tx`, which holds the event-order lock. */
export async function writeIndexedBlockSequentially(
  tx: Queryable,
  network: NetworkConfig,
  shard: number,
  block: Block,
  at: Date,
): Promise<void> {
  await writeIncomingReceipts(tx, network, shard, block, at);
  await writeTransactions(tx, network, shard, block, at);
}
