import type { Database } from '@shardpay/database';
import { lockEventOrder } from '../events/writeEvent.ts';
import type { InvoiceShipment, OracleClient } from './oracleClient.ts';

interface ShippedRow {
  id: string;
  seq: bigint | string;
  shipment: InvoiceShipment | string;
}

/**
 * Reads from the delivery oracle the shipments of escrow invoices that have not ended (in_transit,
 * delivered, attested; the partial index of migration 010) and writes those that changed into the
 * invoice's `escrow.shipment`, so the checkout and the order page follow the delivery until the escrow
 * is released. Whatever the invoice's own status: it may be settled (the release seen on chain) before
 * the oracle calls its shipment `released`. Each write is one UPDATE conditioned on the status it read,
 * so replicas overlapping write each change once. One shipment's failed read (the oracle down) is
 * retried next round; the first failure is rethrown after the others were tried, for the job's log.
 * Returns how many shipments changed.
 */
export async function refreshShipments(
  database: Database,
  oracle: OracleClient,
  now: () => Date,
  batchSize: number,
): Promise<number> {
  const rows = (
    await database.query<ShippedRow>(
      `SELECT id, seq, escrow->'shipment' AS shipment FROM invoices
        WHERE escrow IS NOT NULL AND escrow->'shipment'->>'status' IN ('in_transit', 'delivered', 'attested')
        ORDER BY seq LIMIT $1`,
      [batchSize],
    )
  ).rows;
  const results = await Promise.allSettled(
    rows.map(async (row) => {
      const before = (
        typeof row.shipment === 'string' ? JSON.parse(row.shipment) : row.shipment
      ) as InvoiceShipment;
      const after = await oracle.getShipment(before.id);
      if (JSON.stringify(after) === JSON.stringify(before)) return false;
      return database.transaction(async (tx) => {
        await lockEventOrder(tx);
        const moved = await tx.query(
          `UPDATE invoices SET escrow = jsonb_set(escrow, '{shipment}', $2::jsonb), updated_at = $5
            WHERE id = $1 AND escrow->'shipment'->>'id' = $3 AND escrow->'shipment'->>'status' = $4`,
          [row.id, JSON.stringify(after), before.id, before.status, now().toISOString()],
        );
        return (moved.rowCount ?? 0) > 0;
      });
    }),
  );
  const failed = results.find((result) => result.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return results.filter((result) => result.status === 'fulfilled' && result.value).length;
}
