import type { Queryable } from '@shardpay/database';

/**
 * Moves a purchase or cash-out out of `from` (a status), setting `changes` and clearing its lease,
 * only if it is still in `from`: when two replicas race on a row, the second finds it moved and does
 * nothing (false). Column names are constants of the callers, never request input.
 */
export async function moveRow(
  tx: Queryable,
  table: 'purchases' | 'cashouts',
  id: string,
  from: string,
  changes: Record<string, unknown>,
  at: Date,
): Promise<boolean> {
  const columns = Object.keys(changes);
  const assignments = columns.map((column, index) => `${column} = $${index + 4}`);
  const result = await tx.query(
    `UPDATE ${table} SET ${[...assignments, 'updated_at = $3', 'lease_owner = NULL', 'lease_until = NULL', 'attempts = 0', 'next_attempt_at = $3'].join(', ')}
      WHERE id = $1 AND status = $2`,
    [id, from, at.toISOString(), ...columns.map((column) => toParam(changes[column]))],
  );
  return result.rowCount === 1;
}

/** Puts a row back for a later attempt (`delayMs` from `at`), releasing its lease. */
export async function scheduleRow(
  tx: Queryable,
  table: 'purchases' | 'cashouts',
  id: string,
  at: Date,
  delayMs: number,
  countAttempt: boolean,
): Promise<void> {
  await tx.query(
    `UPDATE ${table} SET next_attempt_at = $2, lease_owner = NULL, lease_until = NULL,
            attempts = attempts + $3 WHERE id = $1`,
    [id, new Date(at.getTime() + delayMs).toISOString(), countAttempt ? 1 : 0],
  );
}

function toParam(value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
