import { createHash } from 'node:crypto';
import type { Queryable } from '@shardpay/database';

/** The money movements the gateway drives. */
export type AuditKind = 'charge' | 'mint' | 'capture' | 'void' | 'burn' | 'payout' | 'refund';

/** One audit entry before it is chained. `data` holds strings only (no floats to canonicalize). */
export interface AuditEntry {
  kind: AuditKind;
  /** The purchase or cash-out the movement belongs to. */
  subjectId: string;
  amount: bigint;
  data: Record<string, string>;
  at: Date;
}

/** The hash of the (empty) predecessor of the first row. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

// Any constant: the key of the advisory lock that makes appends one at a time, so each row sees the
// hash of the row before it.
const auditLockKey = 7_314_202_606;

/** JSON with sorted keys: the one byte form a row is hashed in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256(prev_hash || canonical row), hex: what links a row to the one before. */
export function auditRowHash(
  prevHash: string,
  row: { seq: bigint; at: Date; kind: string; subjectId: string; amount: bigint; data: unknown },
): string {
  const canonical = canonicalJson({
    seq: row.seq.toString(),
    at: row.at.toISOString(),
    kind: row.kind,
    subject_id: row.subjectId,
    amount: row.amount.toString(),
    data: row.data,
  });
  return createHash('sha256').update(prevHash).update(canonical).digest('hex');
}

/**
 * Appends `entry` to the audit log inside `tx`, the transaction of the state change it records, so the
 * two commit together or not at all. Call it after any `lockEventOrder` of the same transaction (the
 * event lock first, then this one, keeps lock order fixed). Returns the row's hash.
 */
export async function appendAudit(tx: Queryable, entry: AuditEntry): Promise<string> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [auditLockKey]);
  const last = await tx.query<{ seq: bigint; hash: string }>(
    'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
  );
  const previous = last.rows[0];
  const seq = previous === undefined ? 1n : BigInt(previous.seq) + 1n;
  const prevHash = previous?.hash ?? AUDIT_GENESIS_HASH;
  // Timestamps are kept to the millisecond, as JavaScript reads them back.
  const at = new Date(entry.at.getTime());
  const hash = auditRowHash(prevHash, { ...entry, seq, at });
  await tx.query(
    `INSERT INTO audit_log (seq, at, kind, subject_id, amount, data, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      seq.toString(),
      at.toISOString(),
      entry.kind,
      entry.subjectId,
      entry.amount.toString(),
      JSON.stringify(entry.data),
      prevHash,
      hash,
    ],
  );
  return hash;
}
