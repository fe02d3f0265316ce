import type { Database } from '@shardpay/database';
import { appendReserveTransaction } from '../reserve/appendReserveTransaction.ts';
import { type PayoutFailureCode, payoutFailureMessages } from './testBankAccounts.ts';

/**
 * Gives every pending payout whose time has come the receiving bank's answer, in one transaction:
 * `paid`, or `failed` with its failure code and the amount credited back to the reserve
 * (a `payout_reversal`). Returns how many settled.
 */
export async function settleDuePayouts(database: Database, now: Date): Promise<number> {
  return database.transaction(async (tx) => {
    const due = await tx.query<{
      id: string;
      amount: bigint;
      failure_code_planned: PayoutFailureCode | null;
    }>(
      `SELECT id, amount, failure_code_planned FROM payouts
        WHERE status = 'pending' AND settle_at <= $1 ORDER BY settle_at, seq FOR UPDATE`,
      [now.toISOString()],
    );
    for (const payout of due.rows) {
      if (payout.failure_code_planned === null) {
        await tx.query(`UPDATE payouts SET status = 'paid', settled_at = $2 WHERE id = $1`, [
          payout.id,
          now.toISOString(),
        ]);
        continue;
      }
      await tx.query(
        `UPDATE payouts SET status = 'failed', failure_code = $2, failure_message = $3, settled_at = $4 WHERE id = $1`,
        [
          payout.id,
          payout.failure_code_planned,
          payoutFailureMessages[payout.failure_code_planned] ?? 'The receiving bank returned the transfer.',
          now.toISOString(),
        ],
      );
      await appendReserveTransaction(tx, {
        type: 'payout_reversal',
        amount: BigInt(payout.amount),
        source: payout.id,
        at: now,
      });
    }
    return due.rows.length;
  });
}

/** When the next pending payout is due, or null when none is pending. */
export async function nextPayoutDue(database: Database): Promise<Date | null> {
  const next = await database.query<{ settle_at: Date | null }>(
    `SELECT min(settle_at) AS settle_at FROM payouts WHERE status = 'pending'`,
  );
  return next.rows[0]?.settle_at ?? null;
}
