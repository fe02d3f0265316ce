import type { Queryable } from '@shardpay/database';
import { formatAmount } from '@shardpay/protocol';
import { apiError } from '../http/apiErrors.ts';
import type { HistoryQuery } from '../schemas/historySchemas.ts';

interface HistoryRow {
  seq: bigint;
  tx_id: string;
  shard: number;
  height: bigint;
  position: number;
  timestamp_ms: bigint;
  operation: string;
  sender: string;
  recipient: string | null;
  amount: bigint;
  fee: bigint;
  target_shard: number | null;
  direction: string;
  status: string;
}

// Everything that moved money of $1: what it sent, what it received on its own shard, and the
// cross-shard credits consumed on its shard (a received cross-shard transfer appears once credited).
// chain_credits.seq comes from chain_transactions' sequence, so `seq` orders the union by indexing.
const historySql = `
  SELECT t.seq, t.tx_id, t.shard, t.height, t.position, t.timestamp_ms, t.operation, t.sender, t.recipient,
         t.amount, t.fee, t.target_shard,
         CASE WHEN t.sender <> $1 THEN 'received' WHEN t.recipient = $1 THEN 'self' ELSE 'sent' END AS direction,
         CASE WHEN t.target_shard IS NULL THEN 'final'
              WHEN EXISTS (SELECT 1 FROM chain_credits r WHERE r.tx_id = t.tx_id AND r.kind = 'refund') THEN 'refunded'
              WHEN EXISTS (SELECT 1 FROM chain_credits r
                            WHERE r.tx_id = t.tx_id AND r.kind = 'credit' AND r.outcome = 'credited') THEN 'credited'
              ELSE 'pending_credit' END AS status
    FROM chain_transactions t
   WHERE t.sender = $1 OR (t.recipient = $1 AND t.target_shard IS NULL)
  UNION ALL
  SELECT c.seq, c.tx_id, c.target_shard AS shard, c.height, c.position, c.timestamp_ms, c.operation, c.sender,
         c.recipient, c.amount, COALESCE(s.fee, 0) AS fee, c.target_shard, 'received' AS direction,
         'credited' AS status
    FROM chain_credits c LEFT JOIN chain_transactions s ON s.tx_id = c.tx_id
   WHERE c.recipient = $1 AND c.kind = 'credit' AND c.outcome = 'credited'`;

function historyItem(row: HistoryRow) {
  return {
    object: 'chain_transaction',
    tx_id: row.tx_id,
    shard: Number(row.shard),
    height: String(row.height),
    position: Number(row.position),
    timestamp: Math.floor(Number(row.timestamp_ms) / 1000),
    operation: row.operation,
    direction: row.direction,
    from: row.sender,
    to: row.recipient,
    amount: formatAmount(BigInt(row.amount)),
    fee: formatAmount(BigInt(row.fee)),
    currency: 'usd',
    status: row.status,
    target_shard: row.target_shard === null ? null : Number(row.target_shard),
  };
}

/**
 * One page of `address`'s indexed history, newest indexed first, as the API's list object. Cursors
 * are tx ids of the list (`starting_after` / `ending_before`); one that is not in it is a 404 naming
 * the parameter.
 */
export async function addressHistory(database: Queryable, address: string, query: HistoryQuery) {
  const { starting_after: startingAfter, ending_before: endingBefore } = query;
  if (startingAfter !== undefined && endingBefore !== undefined) {
    throw apiError('PARAMETER_INVALID', 'give starting_after or ending_before, not both', 'ending_before');
  }
  const limit = Number(query.limit ?? '10');
  const cursorTxId = startingAfter ?? endingBefore;
  let cursorSeq: string | null = null;
  if (cursorTxId !== undefined) {
    const cursor = await database.query<{ seq: bigint }>(
      `SELECT h.seq FROM (${historySql}) h WHERE h.tx_id = $2`,
      [address, cursorTxId],
    );
    if (cursor.rows[0] === undefined) {
      const param = startingAfter === undefined ? 'ending_before' : 'starting_after';
      throw apiError('RESOURCE_MISSING', `${cursorTxId} is not a transaction of this history`, param);
    }
    cursorSeq = String(cursor.rows[0].seq);
  }
  // One extra row tells whether there is more.
  const rows =
    endingBefore === undefined
      ? (
          await database.query<HistoryRow>(
            `SELECT * FROM (${historySql}) h WHERE ($2::bigint IS NULL OR h.seq < $2::bigint)
              ORDER BY h.seq DESC LIMIT $3`,
            [address, cursorSeq, limit + 1],
          )
        ).rows
      : (
          await database.query<HistoryRow>(
            `SELECT * FROM (${historySql}) h WHERE h.seq > $2::bigint ORDER BY h.seq ASC LIMIT $3`,
            [address, cursorSeq, limit + 1],
          )
        ).rows;
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  if (endingBefore !== undefined) page.reverse();
  return { object: 'list', data: page.map(historyItem), has_more: hasMore };
}
