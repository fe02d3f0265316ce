import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '@shardpay/database';
import { appendAudit } from '../src/audit/appendAudit.ts';
import { verifyAuditLog } from '../src/audit/verifyAuditLog.ts';
import { testDatabaseTargets } from './helpers/testGateway.ts';

for (const target of testDatabaseTargets()) {
  describe(`audit log (${target.name})`, { skip: target.skip }, () => {
    let database: Database;
    before(async () => {
      database = await target.open();
      await database.exec(
        'ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; DELETE FROM audit_log; ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;',
      );
      const at = new Date('2026-01-01T00:00:00.123Z');
      const kinds = ['charge', 'mint', 'capture', 'burn', 'payout', 'refund', 'void'] as const;
      for (const [index, kind] of kinds.entries()) {
        await database.transaction((tx) =>
          appendAudit(tx, {
            kind,
            subjectId: `pur_${String(index).padStart(22, 'x')}`,
            amount: BigInt(index + 1) * 1_000_000n,
            data: { note: `row ${index}`, z: 'last', a: 'first' },
            at: new Date(at.getTime() + index * 1000),
          }),
        );
      }
    });
    after(async () => {
      await database.close();
    });

    it('a chain of appended rows verifies, and each row links to the one before', async () => {
      const result = await verifyAuditLog(database);
      assert.deepEqual(
        { valid: result.valid, rows: result.rows, firstBad: result.firstBad },
        { valid: true, rows: 7, firstBad: null },
      );
      const rows = await database.query<{ prev_hash: string; hash: string }>(
        'SELECT prev_hash, hash FROM audit_log ORDER BY seq',
      );
      for (let index = 1; index < rows.rows.length; index++) {
        assert.equal(rows.rows[index]!.prev_hash, rows.rows[index - 1]!.hash);
      }
      assert.equal(result.head, rows.rows.at(-1)!.hash);
    });

    it('the database refuses UPDATE and DELETE on the log', async () => {
      await assert.rejects(database.query('UPDATE audit_log SET amount = 1 WHERE seq = 2'), /append-only/);
      await assert.rejects(database.query('DELETE FROM audit_log WHERE seq = 7'), /append-only/);
    });

    for (const [what, change, reason] of [
      ['changing an amount', 'UPDATE audit_log SET amount = amount + 1 WHERE seq = 3', /content/],
      ['changing the data', `UPDATE audit_log SET data = '{"note":"row 3"}' WHERE seq = 4`, /content/],
      ['removing a row', 'DELETE FROM audit_log WHERE seq = 5', /missing/],
    ] as const) {
      it(`${what} (past the trigger, as a superuser could) makes verification fail at that row`, async () => {
        const snapshot = await database.query('SELECT * FROM audit_log ORDER BY seq');
        await database.exec(
          `ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; ${change}; ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;`,
        );
        try {
          const result = await verifyAuditLog(database);
          assert.equal(result.valid, false);
          assert.match(result.firstBad?.reason ?? '', reason);
          assert.ok(['3', '4', '5', '6'].includes(result.firstBad!.seq));
        } finally {
          // Put the log back for the next case.
          await database.exec(
            'ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; DELETE FROM audit_log;',
          );
          for (const row of snapshot.rows as Array<Record<string, unknown>>) {
            await database.query(
              'INSERT INTO audit_log (seq, at, kind, subject_id, amount, data, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
              [
                String(row.seq),
                row.at,
                row.kind,
                row.subject_id,
                String(row.amount),
                JSON.stringify(row.data),
                row.prev_hash,
                row.hash,
              ],
            );
          }
          await database.exec('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;');
        }
        assert.equal((await verifyAuditLog(database)).valid, true);
      });
    }
  });
}
