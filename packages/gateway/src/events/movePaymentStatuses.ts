import type { Queryable } from '@shardpay/database';
import { isStatusAdvance, type PaymentStatus } from './movePaymentStatus.ts';
import { type PaymentRow, paymentColumns } from './paymentObject.ts';

/** One requested status move: the payment of `txId` forward to `status`. */
export interface StatusMove {
  txId: string;
  status: PaymentStatus;
}

/**
 * `movePaymentStatus` for many moves in two statements (a locking SELECT, one UPDATE), whatever their
 * number: the same rule (only forward), applied in `moves` order, so a payment named twice moves as
 * two calls in a row would move it. Returns, per move, the payment row after it, or null when it did
 * not move the payment (none, or already there or further). Writes no event: the caller must write
 * one `payment.updated` per returned row, in order, in `tx` (which must hold the event-order lock,
 * taken before these row locks).
 */
export async function movePaymentStatuses(
  tx: Queryable,
  moves: readonly StatusMove[],
  at: Date,
): Promise<Array<PaymentRow | null>> {
  if (moves.length === 0) return [];
  const found = await tx.query<PaymentRow>(
    `SELECT ${paymentColumns} FROM payments WHERE tx_id = ANY($1::text[]) ORDER BY tx_id FOR UPDATE`,
    [[...new Set(moves.map((move) => move.txId))]],
  );
  const current = new Map(found.rows.map((row) => [row.tx_id, row]));
  const moved = moves.map((move) => {
    const row = current.get(move.txId);
    if (row === undefined || !isStatusAdvance(row.status, move.status)) return null;
    const next = { ...row, status: move.status };
    current.set(move.txId, next);
    return next;
  });
  const changed = found.rows.filter((row) => current.get(row.tx_id)!.status !== row.status);
  if (changed.length > 0) {
    await tx.query(
      `UPDATE payments AS p SET status = m.status, updated_at = $3
         FROM unnest($1::text[], $2::text[]) AS m(tx_id, status)
        WHERE p.tx_id = m.tx_id`,
      [
        changed.map((row) => row.tx_id),
        changed.map((row) => current.get(row.tx_id)!.status),
        at.toISOString(),
      ],
    );
  }
  return moved;
}
