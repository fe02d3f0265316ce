import type { Queryable } from '@shardpay/database';
import type { PaymentStatus } from '../events/movePaymentStatus.ts';

/**
 * The furthest status the index already shows for `txId`, or null when no indexed block has it.
 * A payment row written after its blocks were indexed (a retry after a crash between submission and
 * commit) starts from here instead of waiting for a GET to ask a node.
 */
export async function indexedPaymentStatus(tx: Queryable, txId: string): Promise<PaymentStatus | null> {
  const credits = await tx.query<{ kind: string; outcome: string }>(
    'SELECT kind, outcome FROM chain_credits WHERE tx_id = $1',
    [txId],
  );
  if (credits.rows.some((row) => row.kind === 'refund')) return 'refunded';
  if (credits.rows.some((row) => row.outcome === 'credited')) return 'credited';
  if (credits.rows.some((row) => row.outcome === 'refused')) return 'refused';
  const source = await tx.query('SELECT 1 FROM chain_transactions WHERE tx_id = $1', [txId]);
  return source.rowCount > 0 ? 'final' : null;
}
