import type { Queryable } from '@shardpay/database';
import { AUDIT_GENESIS_HASH, auditRowHash } from './appendAudit.ts';

/** The outcome of re-walking the audit chain. */
export interface AuditVerification {
  valid: boolean;
  rows: number;
  /** The hash of the last row (what an outside copy of the log should end with). */
  head: string;
  /** The first row that does not verify, and why; null when all do. */
  firstBad: { seq: string; reason: string } | null;
}

interface AuditRow {
  seq: bigint;
  at: Date | string;
  kind: string;
  subject_id: string;
  amount: bigint;
  data: unknown;
  prev_hash: string;
  hash: string;
}

const pageSize = 1000;

/**
 * Recomputes every row's hash from the row before it and reports the first row that does not match
 * (a changed field, a removed or inserted row, a gap in `seq`).
 */
export async function verifyAuditLog(database: Queryable): Promise<AuditVerification> {
  let expectedPrev = AUDIT_GENESIS_HASH;
  let expectedSeq = 1n;
  let rows = 0;
  for (;;) {
    const page = await database.query<AuditRow>(
      `SELECT seq, at, kind, subject_id, amount, data, prev_hash, hash FROM audit_log
        WHERE seq >= $1 ORDER BY seq LIMIT $2`,
      [expectedSeq.toString(), pageSize],
    );
    for (const row of page.rows) {
      const seq = BigInt(row.seq);
      const bad = (reason: string): AuditVerification => ({
        valid: false,
        rows,
        head: expectedPrev,
        firstBad: { seq: seq.toString(), reason },
      });
      if (seq !== expectedSeq) return bad(`expected row ${expectedSeq} next: a row is missing`);
      if (row.prev_hash !== expectedPrev) return bad('prev_hash is not the previous row’s hash');
      const data = typeof row.data === 'string' ? JSON.parse(row.data) : row.data;
      const hash = auditRowHash(row.prev_hash, {
        seq,
        at: new Date(row.at),
        kind: row.kind,
        subjectId: row.subject_id,
        amount: BigInt(row.amount),
        data,
      });
      if (hash !== row.hash) return bad('the row’s content does not match its hash');
      expectedPrev = row.hash;
      expectedSeq = seq + 1n;
      rows += 1;
    }
    if (page.rows.length < pageSize) break;
  }
  return { valid: true, rows, head: expectedPrev, firstBad: null };
}
