import type { Queryable } from '@shardpay/database';
import { type PaymentRow, paymentColumns, paymentToJson } from './paymentObject.ts';
import { writeEvent } from './writeEvent.ts';

/** Payment statuses in the order a payment goes through them (the node's stages). */
export type PaymentStatus = 'pending' | 'final' | 'refused' | 'credited' | 'refunded';

// A status only moves to a higher rank: a lagging node or a re-read block never moves it back, and
// credited / refunded (both terminal) never turn into each other.
const statusRank: Readonly<Record<PaymentStatus, number>> = {
  pending: 0,
  final: 1,
  refused: 2,
  credited: 3,
  refunded: 3,
};

/** Whether `status` is one of the payment statuses. */
export function isPaymentStatus(status: unknown): status is PaymentStatus {
  return typeof status === 'string' && Object.hasOwn(statusRank, status);
}

/** Whether a payment at `from` moves to `to` (only forward: a higher rank). */
export function isStatusAdvance(from: string, to: PaymentStatus): boolean {
  return isPaymentStatus(from) && statusRank[from] < statusRank[to];
}

/** The statuses a payment may move to `status` from. */
function statusesBelow(status: PaymentStatus): PaymentStatus[] {
  return (Object.keys(statusRank) as PaymentStatus[]).filter((from) => statusRank[from] < statusRank[status]);
}

/**
 * Moves the payment of `txId` forward to `status` and writes its `payment.updated` event, both in
 * `tx` (which must hold the event-order lock). Does nothing when there is no such payment or it is
 * already there or further; returns the updated row, or null. The one way a payment status changes,
 * used by the indexer and by GET /v1/payments/:id.
 */
export async function movePaymentStatus(
  tx: Queryable,
  txId: string,
  status: PaymentStatus,
  at: Date,
): Promise<PaymentRow | null> {
  const updated = await tx.query<PaymentRow>(
    `UPDATE payments SET status = $2, updated_at = $3 WHERE tx_id = $1 AND status = ANY($4::text[])
     RETURNING ${paymentColumns}`,
    [txId, status, at.toISOString(), statusesBelow(status)],
  );
  const row = updated.rows[0];
  if (row === undefined) return null;
  await writeEvent(tx, { userId: row.user_id, type: 'payment.updated', data: paymentToJson(row), at });
  return row;
}
