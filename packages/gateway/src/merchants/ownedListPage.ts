import type { Queryable } from '@shardpay/database';
import { apiError } from '../http/apiErrors.ts';
import type { ListQuery } from '../http/listPage.ts';

/** A table whose rows one owner column scopes (constants of the caller, never request input). */
export interface OwnedList {
  /** `FROM` text, aliased `i` when columns use it (e.g. `invoices i`). */
  from: string;
  columns: string;
  /** The qualified owner column, e.g. `i.merchant_id`. */
  owner: string;
  seq: string;
  id: string;
  /** An extra equality filter (e.g. status), or none. */
  filter?: { column: string; value: string | undefined };
}

/**
 * One page of an owner's rows, newest first by `seq` (the cursor semantics of listPage.ts, for
 * tables owned by a merchant or scoped by another column than `user_id`).
 */
export async function ownedListPage<Row>(
  database: Queryable,
  list: OwnedList,
  ownerId: string,
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
      `SELECT ${list.seq} AS seq FROM ${list.from} WHERE ${list.id} = $1 AND ${list.owner} = $2`,
      [cursorId, ownerId],
    );
    const found = cursor.rows[0];
    if (found === undefined) {
      const param = startingAfter === undefined ? 'ending_before' : 'starting_after';
      throw apiError('RESOURCE_MISSING', `no such object: ${cursorId}`, param);
    }
    cursorSeq = String(found.seq);
  }
  const filter = list.filter === undefined ? '' : `AND ($4::text IS NULL OR ${list.filter.column} = $4)`;
  const filterValue = list.filter === undefined ? [] : [list.filter.value ?? null];
  const before = endingBefore === undefined;
  const rows = (
    await database.query<Row>(
      `SELECT ${list.columns} FROM ${list.from}
        WHERE ${list.owner} = $1 AND ($2::bigint IS NULL OR ${list.seq} ${before ? '<' : '>'} $2::bigint) ${filter}
        ORDER BY ${list.seq} ${before ? 'DESC' : 'ASC'} LIMIT $3`,
      [ownerId, cursorSeq, limit + 1, ...filterValue],
    )
  ).rows;
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  if (!before) page.reverse();
  return { rows: page, hasMore };
}
