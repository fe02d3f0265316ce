import type { Queryable } from '@shardpay/database';
import { bankError } from './bankErrors.ts';

/** The list query parameters, already schema-checked (`limit` as 1–100 text). */
export interface ListQuery {
  limit?: string;
  starting_after?: string;
  ending_before?: string;
}

/** The tables a list endpoint pages (constants of the caller, never request input). */
export type ListedTable = 'payment_intents' | 'payouts' | 'refunds' | 'reserve_transactions';

/**
 * One page of `table`, newest first by its `seq` identity column, with Stripe's cursors
 * (`starting_after` / `ending_before` = an id from the list) → `{object: "list", data, has_more}`.
 */
export async function listPage<Row, Item>(
  database: Queryable,
  table: ListedTable,
  columns: string,
  query: ListQuery,
  toObject: (row: Row) => Item,
): Promise<{ object: 'list'; data: Item[]; has_more: boolean }> {
  const { starting_after: startingAfter, ending_before: endingBefore } = query;
  if (startingAfter !== undefined && endingBefore !== undefined) {
    throw bankError('PARAMETER_INVALID', 'give starting_after or ending_before, not both', 'ending_before');
  }
  const limit = Number(query.limit ?? '10');
  const cursorId = startingAfter ?? endingBefore;
  let cursorSeq: string | null = null;
  if (cursorId !== undefined) {
    const cursor = await database.query<{ seq: bigint }>(`SELECT seq FROM ${table} WHERE id = $1`, [
      cursorId,
    ]);
    const found = cursor.rows[0];
    if (found === undefined) {
      const param = startingAfter === undefined ? 'ending_before' : 'starting_after';
      throw bankError('RESOURCE_MISSING', `no such object: ${cursorId}`, param);
    }
    cursorSeq = String(found.seq);
  }
  // One extra row tells whether there is more.
  const rows =
    endingBefore === undefined
      ? (
          await database.query<Row>(
            `SELECT ${columns} FROM ${table} WHERE ($1::bigint IS NULL OR seq < $1::bigint) ORDER BY seq DESC LIMIT $2`,
            [cursorSeq, limit + 1],
          )
        ).rows
      : (
          await database.query<Row>(
            `SELECT ${columns} FROM ${table} WHERE seq > $1::bigint ORDER BY seq ASC LIMIT $2`,
            [cursorSeq, limit + 1],
          )
        ).rows;
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  if (endingBefore !== undefined) page.reverse();
  return { object: 'list', data: page.map(toObject), has_more: hasMore };
}
