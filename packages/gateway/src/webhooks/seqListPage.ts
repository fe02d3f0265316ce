import type { Queryable } from '@shardpay/database';
import { apiError } from '../http/apiErrors.ts';
import type { ListQuery } from '../http/listPage.ts';

/** Where a page of webhook rows comes from: constants of the caller, never request input. */
export interface SeqListSource {
  /** `SELECT <columns> FROM <from>`; the table's alias is `alias` (its `id`, `seq` columns). */
  columns: string;
  from: string;
  alias: string;
  /** The owner condition on `$1`, e.g. `w.merchant_id = $1`. */
  owner: string;
}

/**
 * One page of rows owned by `ownerId`, newest first by `seq`, with Stripe's cursor semantics
 * (`starting_after` / `ending_before`): `listPage` for tables not keyed by user.
 */
export async function seqListPage<Row>(
  database: Queryable,
  source: SeqListSource,
  ownerId: string,
  query: ListQuery,
): Promise<{ rows: Row[]; hasMore: boolean }> {
  const { starting_after: startingAfter, ending_before: endingBefore } = query;
  if (startingAfter !== undefined && endingBefore !== undefined) {
    throw apiError('PARAMETER_INVALID', 'give starting_after or ending_before, not both', 'ending_before');
  }
  const limit = Number(query.limit ?? '10');
  const { alias } = source;
  const cursorId = startingAfter ?? endingBefore;
  let cursorSeq: string | null = null;
  if (cursorId !== undefined) {
    const cursor = await database.query<{ seq: bigint }>(
      `SELECT ${alias}.seq FROM ${source.from} WHERE ${alias}.id = $2 AND ${source.owner}`,
      [ownerId, cursorId],
    );
    const found = cursor.rows[0];
    if (found === undefined) {
      throw apiError(
        'RESOURCE_MISSING',
        `no such object: ${cursorId}`,
        startingAfter === undefined ? 'ending_before' : 'starting_after',
      );
    }
    cursorSeq = String(found.seq);
  }
  const rows =
    endingBefore === undefined
      ? await database.query<Row>(
          `SELECT ${source.columns} FROM ${source.from}
            WHERE ${source.owner} AND ($2::bigint IS NULL OR ${alias}.seq < $2::bigint)
            ORDER BY ${alias}.seq DESC LIMIT $3`,
          [ownerId, cursorSeq, limit + 1],
        )
      : await database.query<Row>(
          `SELECT ${source.columns} FROM ${source.from}
            WHERE ${source.owner} AND ${alias}.seq > $2::bigint ORDER BY ${alias}.seq ASC LIMIT $3`,
          [ownerId, cursorSeq, limit + 1],
        );
  const hasMore = rows.rows.length > limit;
  const page = rows.rows.slice(0, limit);
  if (endingBefore !== undefined) page.reverse();
  return { rows: page, hasMore };
}
