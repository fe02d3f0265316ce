import type { Database } from '@shardpay/database';

/**
 * Deletes events older than `retentionDays` (the hourly retention job), with their webhook deliveries
 * and delivery log (ON DELETE CASCADE); returns how many events went. An event whose delivery is still
 * pending or in flight is kept until it ends (a delivery gives up after 3 days, far below the 30-day
 * retention, but a redelivery on request can revive an old one).
 */
export async function purgeOldEvents(database: Database, now: Date, retentionDays: number): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 24 * 3600 * 1000).toISOString();
  const result = await database.query(
    `DELETE FROM events WHERE created_at < $1
        AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d
                         WHERE d.event_id = events.id AND d.status IN ('pending', 'delivering'))`,
    [cutoff],
  );
  return result.rowCount;
}
