import type { Queryable } from '@shardpay/database';
import { formatAmount } from '@shardpay/protocol';
import type { PaymentStatus } from '../events/movePaymentStatus.ts';
import { movePaymentStatuses } from '../events/movePaymentStatuses.ts';
import { paymentToJson } from '../events/paymentObject.ts';
import { type NewEvent, writeEvents } from '../events/writeEvent.ts';
import { watchInvoices } from '../merchants/watchInvoices.ts';
import type { PreparedBlock } from './prepareIndexedBlock.ts';

/** What a transfer.received event says: the money that reached `to` on `shard`. */
interface IncomingTransfer {
  txId: string;
  from: string;
  to: string;
  amount: bigint;
}

/** What one receipt or transaction does to users, in the order the ledger does it. */
type Effect =
  | { kind: 'move'; txId: string; status: PaymentStatus }
  | { kind: 'incoming'; transfer: IncomingTransfer };

/**
 * The effects of `block` in order: each receipt (its payment's move, then what it credited), then
 * each transaction (its payment to final, then what it paid on this shard).
 */
function effectsOf(block: PreparedBlock): Effect[] {
  const effects: Effect[] = [];
  for (const credit of block.credits) {
    const { txId, sender: from, recipient: to, amount } = credit;
    if (credit.kind === 'refund') {
      effects.push({ kind: 'move', txId, status: 'refunded' });
    } else if (credit.outcome === 'refused') {
      effects.push({ kind: 'move', txId, status: 'refused' });
    } else {
      effects.push({ kind: 'move', txId, status: 'credited' });
      effects.push({ kind: 'incoming', transfer: { txId, from, to, amount } });
    }
  }
  for (const transaction of block.transactions) {
    const { txId, sender: from, recipient: to, amount } = transaction;
    // Final on its shard; a cross-shard one stays final until its credit is consumed on the target.
    effects.push({ kind: 'move', txId, status: 'final' });
    if (transaction.paysHere && to !== null)
      effects.push({ kind: 'incoming', transfer: { txId, from, to, amount } });
  }
  return effects;
}

async function insertCredits(tx: Queryable, block: PreparedBlock): Promise<void> {
  const credits = block.credits;
  if (credits.length === 0) return;
  await tx.query(
    `INSERT INTO chain_credits (receipt_id, tx_id, kind, operation, source_shard, source_height, target_shard,
                                height, position, timestamp_ms, sender, recipient, amount, payment_id,
                                outcome, refund_of)
     SELECT r.receipt_id, r.tx_id, r.kind, r.operation, r.source_shard, r.source_height, $14, $15, r.position,
            $16, r.sender, r.recipient, r.amount, r.payment_id, r.outcome, r.refund_of
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::integer[], $6::bigint[], $7::integer[],
                   $8::text[], $9::text[], $10::bigint[], $11::text[], $12::text[], $13::text[]) WITH ORDINALITY
            AS r(receipt_id, tx_id, kind, operation, source_shard, source_height, position, sender, recipient,
                 amount, payment_id, outcome, refund_of, ord)
      ORDER BY r.ord`,
    [
      credits.map((credit) => credit.receiptId),
      credits.map((credit) => credit.txId),
      credits.map((credit) => credit.kind),
      credits.map((credit) => credit.operation),
      credits.map((credit) => credit.sourceShard),
      credits.map((credit) => credit.sourceHeight.toString()),
      credits.map((credit) => credit.position),
      credits.map((credit) => credit.sender),
      credits.map((credit) => credit.recipient),
      credits.map((credit) => credit.amount.toString()),
      credits.map((credit) => credit.paymentId),
      credits.map((credit) => credit.outcome),
      credits.map((credit) => credit.refundOf),
      block.shard,
      block.height.toString(),
      block.timestampMs.toString(),
    ],
  );
}

async function insertTransactions(tx: Queryable, block: PreparedBlock): Promise<void> {
  const rows = block.transactions;
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO chain_transactions (tx_id, shard, height, position, timestamp_ms, operation, sender, recipient,
                                     amount, fee, target_shard, payment_id)
     SELECT t.tx_id, $10, $11, t.position, $12, t.operation, t.sender, t.recipient, t.amount, t.fee,
            t.target_shard, t.payment_id
       FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[],
                   $8::integer[], $9::text[]) WITH ORDINALITY
            AS t(tx_id, position, operation, sender, recipient, amount, fee, target_shard, payment_id, ord)
      ORDER BY t.ord`,
    [
      rows.map((row) => row.txId),
      rows.map((row) => row.position),
      rows.map((row) => row.operation),
      rows.map((row) => row.sender),
      rows.map((row) => row.recipient),
      rows.map((row) => row.amount.toString()),
      rows.map((row) => row.fee.toString()),
      rows.map((row) => row.targetShard),
      rows.map((row) => row.paymentId),
      block.shard,
      block.height.toString(),
      block.timestampMs.toString(),
    ],
  );
}

/**
 * Writes `block` (prepared by `prepareIndexedBlock`) inside `tx`, which holds the event-order lock: the
 * receipts it consumed (`chain_credits`), then its transactions (`chain_transactions`), in the
 * ledger's order; moves the matching payments forward and writes their events — each receipt's, then
 * each transaction's, a payment.updated before the transfer.received it causes. At most five
 * statements whatever the block's size (array parameters, so no parameter limit either): the lock is
 * held for a few round trips, not a few per transaction. `at` stamps the events.
 */
export async function writeIndexedBlock(tx: Queryable, block: PreparedBlock, at: Date): Promise<void> {
  await insertCredits(tx, block);
  await insertTransactions(tx, block);
  const effects = effectsOf(block);
  const moves = effects.flatMap((effect) => (effect.kind === 'move' ? [effect] : []));
  const moved = await movePaymentStatuses(tx, moves, at);
  const events: NewEvent[] = [];
  let moveIndex = 0;
  for (const effect of effects) {
    if (effect.kind === 'move') {
      const row = moved[moveIndex];
      moveIndex += 1;
      if (row !== null && row !== undefined) {
        events.push({ userId: row.user_id, type: 'payment.updated', data: paymentToJson(row), at });
      }
      continue;
    }
    const { transfer } = effect;
    for (const wallet of block.walletsByAddress.get(transfer.to) ?? []) {
      events.push({
        userId: wallet.userId,
        type: 'transfer.received',
        data: {
          object: 'incoming_transfer',
          wallet: wallet.id,
          tx_id: transfer.txId,
          from: transfer.from,
          to: transfer.to,
          amount: formatAmount(transfer.amount),
          currency: 'usd',
          shard: block.shard,
        },
        at,
      });
    }
  }
  // Invoices paid by this block's `pay`s (src/merchants/watchInvoices.ts): their events join the one INSERT.
  events.push(...(await watchInvoices(tx, block, at)));
  await writeEvents(tx, events);
}
