import type { Database } from '@shardpay/database';
import { createWebhookId } from './webhookIds.ts';

const batchSize = 500;

/**
 * Turns merchant events not yet fanned out into deliveries: one per enabled endpoint of the event's
 * merchant whose `events` match (or are `*`) and that existed before the event (`after_seq`). The
 * cursor row is locked, read, and moved in the same transaction as the inserts, and
 * UNIQUE (endpoint, event) backs it up: each (endpoint, event) gets exactly one delivery whichever
 * replica runs this. Events become visible in `seq` order (`lockEventOrder`), so nothing committed
 * later can appear below the cursor. Returns how many deliveries it created.
 */
export async function fanOutWebhookEvents(database: Database, at: Date): Promise<number> {
  let created = 0;
  for (;;) {
    const { inserted, more } = await database.transaction(async (tx) => {
      const cursor = await tx.query<{ last_seq: bigint }>(
        'SELECT last_seq FROM webhook_fanout_cursor WHERE id FOR UPDATE',
      );
      const lastSeq = cursor.rows[0]?.last_seq ?? 0n;
      const window = await tx.query<{ max_seq: bigint | null; count: bigint }>(
        `SELECT max(seq) AS max_seq, count(*) AS count FROM (
           SELECT seq FROM events WHERE merchant_id IS NOT NULL AND seq > $1 ORDER BY seq LIMIT $2) AS next`,
        [lastSeq, batchSize],
      );
      const maxSeq = window.rows[0]?.max_seq ?? null;
      if (maxSeq === null) return { inserted: 0, more: false };
      const pairs = await tx.query<{ endpoint_id: string; event_id: string }>(
        `SELECT w.id AS endpoint_id, e.id AS event_id
           FROM events e JOIN webhook_endpoints w ON w.merchant_id = e.merchant_id
          WHERE e.seq > $1 AND e.seq <= $2 AND e.merchant_id IS NOT NULL
            AND w.status = 'enabled' AND w.after_seq < e.seq
            AND (w.events @> ARRAY['*']::text[] OR w.events @> ARRAY[e.type]::text[])
          ORDER BY e.seq, w.seq`,
        [lastSeq, maxSeq],
      );
      if (pairs.rows.length > 0) {
        await tx.query(
          `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, status, next_attempt_at, created_at, updated_at)
           SELECT p.id, p.endpoint_id, p.event_id, 'pending', $4, $4, $4
             FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS p(id, endpoint_id, event_id, ord)
            ORDER BY p.ord
           ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
          [
            pairs.rows.map(() => createWebhookId('whd')),
            pairs.rows.map((pair) => pair.endpoint_id),
            pairs.rows.map((pair) => pair.event_id),
            at.toISOString(),
          ],
        );
      }
      await tx.query('UPDATE webhook_fanout_cursor SET last_seq = $1 WHERE id', [maxSeq]);
      return { inserted: pairs.rows.length, more: Number(window.rows[0]?.count ?? 0) === batchSize };
    });
    created += inserted;
    if (!more) return created;
  }
}
