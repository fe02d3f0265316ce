import type { Database } from '@shardpay/database';
import { lockEventOrder, type NewEvent, writeEvents } from '../events/writeEvent.ts';
import { type InvoiceRow, invoiceColumns, invoiceToJson } from './invoiceObject.ts';

// An escrow invoice with a recorded lock (docs/gateway.md "Escrow-backed orders") is the escrow
// watcher's: a lock taken in time keeps it `new` until monitoring_until (the chain may be slow to
// include it), and once locked it is followed until the escrow closes, however long.
const dueNew = `status = 'new' AND expires_at <= $1
  AND (escrow->>'escrow_id' IS NULL OR monitoring_until <= $1)`;
const dueProcessing = `status = 'processing' AND monitoring_until <= $1 AND escrow->>'escrow_id' IS NULL`;

/**
 * The invoice timer job (every second, on every replica): a `new` invoice past `expires_at` becomes
 * `expired` (a partial payment keeps its `paid_partial`), a `processing` one whose credit did not come
 * by `monitoring_until` becomes `invalid`; each with its event. Every move is an
 * `UPDATE … WHERE status = <expected>`, so two replicas running it together move each invoice once.
 * Returns how many invoices moved.
 */
export async function expireInvoices(database: Database, now: Date): Promise<number> {
  const at = now.toISOString();
  // A cheap look first: the event-order lock is only taken when something is due.
  const due = await database.query<{ due: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM invoices WHERE ${dueNew})
         OR EXISTS (SELECT 1 FROM invoices WHERE ${dueProcessing}) AS due`,
    [at],
  );
  if (due.rows[0]?.due !== true) return 0;
  return database.transaction(async (tx) => {
    await lockEventOrder(tx);
    // RETURNING sees the moved rows (a CTE's outer SELECT would read them as they were).
    const moved = await tx.query<InvoiceRow>(
      `UPDATE invoices i SET status = CASE WHEN i.status = 'new' THEN 'expired' ELSE 'invalid' END, updated_at = $1
        WHERE (${dueNew}) OR (${dueProcessing})
        RETURNING ${invoiceColumns}`,
      [at],
    );
    const events: NewEvent[] = moved.rows.map((row) => ({
      userId: row.user_id,
      merchantId: row.merchant_id,
      type: row.status === 'expired' ? 'invoice.expired' : 'invoice.invalid',
      data: invoiceToJson(row),
      at: now,
    }));
    await writeEvents(tx, events);
    return events.length;
  });
}
