import type { Queryable } from '@shardpay/database';
import { formatFiatAmount } from '../fiatAmount.ts';
import { bankError } from '../http/bankErrors.ts';
import { createBankId } from '../ids.ts';

/**
 * Why the reserve moved: the opening deposit, a card capture or a payout reversal credits it; a refund
 * or a payout debits it.
 */
export type ReserveTransactionType = 'opening_deposit' | 'capture' | 'refund' | 'payout' | 'payout_reversal';

/** The reserve balance in cents: the running sum of its ledger (0 before the first row). */
export async function reserveBalance(tx: Queryable): Promise<bigint> {
  const last = await tx.query<{ balance_after: bigint }>(
    'SELECT balance_after FROM reserve_transactions ORDER BY seq DESC LIMIT 1',
  );
  return BigInt(last.rows[0]?.balance_after ?? 0n);
}

/**
 * Appends one row to the reserve ledger (`amount` signed: credits positive) inside the caller's
 * transaction, with the balance after it. A debit the reserve cannot cover is refused with
 * BALANCE_INSUFFICIENT: the reserve never goes below zero. Returns the new balance.
 */
export async function appendReserveTransaction(
  tx: Queryable,
  entry: { type: ReserveTransactionType; amount: bigint; source: string; at: Date },
): Promise<bigint> {
  const balance = (await reserveBalance(tx)) + entry.amount;
  if (balance < 0n) {
    throw bankError(
      'BALANCE_INSUFFICIENT',
      `the reserve account holds ${formatFiatAmount(balance - entry.amount)} usd, less than ${formatFiatAmount(-entry.amount)}`,
      'amount',
    );
  }
  await tx.query(
    `INSERT INTO reserve_transactions (id, type, amount, balance_after, source, created_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      createBankId('txn'),
      entry.type,
      entry.amount.toString(),
      balance.toString(),
      entry.source,
      entry.at.toISOString(),
    ],
  );
  return balance;
}
