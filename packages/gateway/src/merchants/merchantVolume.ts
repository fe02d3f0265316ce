import type { Queryable } from '@shardpay/database';
import { formatAmount } from '@shardpay/protocol';

export type VolumeInterval = 'hour' | 'day';

const intervalMs: Record<VolumeInterval, number> = { hour: 3_600_000, day: 86_400_000 };

/** One period of the volume chart. */
export interface VolumePeriod {
  start: string;
  settled_count: number;
  settled_amount: string;
  refunded_amount: string;
}

interface BucketRow {
  bucket: number | string;
  settled_count: number | string;
  settled_amount: string | null;
}

/**
 * A merchant's volume over the last `periods` hours or days (UTC), oldest first, every period present
 * (zeros included), the current one last: settled invoices by their settle time (`settled_at`, set by a
 * trigger on the move to `settled`), counted with what was credited (`amount_paid`), and refunds by
 * their own creation time (those still `submitting` are not counted: a node may yet refuse them).
 */
export async function merchantVolume(
  db: Queryable,
  merchantId: string,
  interval: VolumeInterval,
  periods: number,
  now: Date,
): Promise<VolumePeriod[]> {
  const step = intervalMs[interval];
  const first = Math.floor(now.getTime() / step) * step - (periods - 1) * step;
  const end = first + periods * step;
  const bounds = [merchantId, new Date(first).toISOString(), new Date(end).toISOString(), step / 1000];
  const bucket = (column: string) =>
    `floor(extract(epoch FROM (${column} - $2::timestamptz)) / $4)::int AS bucket`;
  const settled = await db.query<BucketRow>(
    `SELECT ${bucket('settled_at')}, count(*)::int AS settled_count, sum(amount_paid)::text AS settled_amount
       FROM invoices WHERE merchant_id = $1 AND settled_at >= $2 AND settled_at < $3 GROUP BY 1`,
    bounds,
  );
  const refunded = await db.query<BucketRow>(
    `SELECT ${bucket('created_at')}, 0 AS settled_count, sum(amount)::text AS settled_amount
       FROM invoice_refunds WHERE merchant_id = $1 AND created_at >= $2 AND created_at < $3
        AND status <> 'submitting' GROUP BY 1`,
    bounds,
  );
  const data = Array.from({ length: periods }, (_, index) => ({
    start: new Date(first + index * step).toISOString(),
    count: 0,
    settled: 0n,
    refunded: 0n,
  }));
  for (const row of settled.rows) {
    const period = data[Number(row.bucket)];
    if (period === undefined) continue;
    period.count += Number(row.settled_count);
    period.settled += BigInt(row.settled_amount ?? '0');
  }
  for (const row of refunded.rows) {
    const period = data[Number(row.bucket)];
    if (period !== undefined) period.refunded += BigInt(row.settled_amount ?? '0');
  }
  return data.map((period) => ({
    start: period.start,
    settled_count: period.count,
    settled_amount: formatAmount(period.settled),
    refunded_amount: formatAmount(period.refunded),
  }));
}
