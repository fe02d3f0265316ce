import type { Database } from '@shardpay/database';
import { appendReserveTransaction } from './appendReserveTransaction.ts';

/**
 * Places `cents` in the reserve account as its opening deposit, once in the life of the database: a
 * restart (or a second call) finds the row and does nothing; a different amount on a later start is
 * ignored, so the ledger is never rewritten. Returns whether a deposit was made now.
 */
export async function makeOpeningDeposit(database: Database, cents: bigint, at: Date): Promise<boolean> {
  if (cents <= 0n) return false;
  return database.transaction(async (tx) => {
    const existing = await tx.query("SELECT 1 FROM reserve_transactions WHERE type = 'opening_deposit'");
    if (existing.rows.length > 0) return false;
    await appendReserveTransaction(tx, { type: 'opening_deposit', amount: cents, source: 'opening', at });
    return true;
  });
}
