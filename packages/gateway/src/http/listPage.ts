import type { Queryable } from '@shardpay/database';
import { apiError } from './apiErrors.ts';

/** The list query parameters, already schema-checked (`limit` as 1–100 text). */
export interface ListQuery {
  limit?: string;
  starting_after?: string;
  ending_before?: string;
}

/**
 * One page of a user's rows of `table`, newest first by its `seq` identity column, for cursor
 * pagination (`starting_after` / `ending_before`, Stripe's semantics). `table` and `columns` are
 * constants of the caller, never request input.
 */
export async function listPage<Row>(
  database: Queryable,
  table: 'wallets' | 'payments' | 'events' | 'purchases' | 'cashouts',
  columns: string,
  userId: string,
  query: ListQuery,
): Promise<{ rows: Row[]; hasMore: boolean }> {
  const { starting_after: startingAfter, ending_before: endingBefore } = query;
  if (startingAfter !== undefined && endingBefore !== undefined) {
    throw apiError('PARAMETER_INVALID', 'give starting_after or ending_before, not both', 'ending_before');
  }
  const limit = Number(query.limit ?? '10');
  const cursorId = startingAfter ?? endingBefore;
  let cursorSeq: string | null = null;
  if (cursorId !== undefined) {
    const cursor = await database.query<{ seq: bigint }>(
      `SELECT seq FROM ${table} WHERE id = $1 AND user_id = $2`,
      [cursorId, userId],
    );
    const found = cursor.rows[0];
    if (found === undefined) {
      const param = startingAfter === undefined ? 'ending_before' : 'starting_after';
      throw apiError('RESOURCE_MISSING', `no such object: ${cursorId}`, param);
    }
    cursorSeq = String(found.seq);
  }
  // One extra row tells whether there is more.
  const rows =
    endingBefore === undefined
      ? (
          await database.query<Row>(
            `SELECT ${columns} FROM ${table} WHERE user_id = $1 AND ($2::bigint IS NULL OR seq < $2::bigint)
             ORDER BY seq DESC LIMIT $3`,
            [userId, cursorSeq, limit + 1],
          )
        ).rows
      : (
          await database.query<Row>(
            `SELECT ${columns} FROM ${table} WHERE user_id = $1 AND seq > $2::bigint ORDER BY seq ASC LIMIT $3`,
            [userId, cursorSeq, limit + 1],
          )
        ).rows;
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  if (endingBefore !== undefined) page.reverse();
  return { rows: page, hasMore };
}
