import type { FastifyInstance } from 'fastify';
import type { BankContext } from '../BankContext.ts';
import { formatFiatAmount } from '../fiatAmount.ts';
import { type ListQuery, listPage } from '../http/listPage.ts';
import { listQuerySchema } from '../http/schemas.ts';
import { unixSeconds } from '../ids.ts';
import { reserveBalance } from '../reserve/appendReserveTransaction.ts';

interface ReserveTransactionRow {
  id: string;
  type: string;
  amount: bigint;
  balance_after: bigint;
  source: string;
  created_at: Date;
}

const reserveTransactionColumns = 'id, type, amount, balance_after, source, created_at';

function reserveTransactionObject(row: ReserveTransactionRow) {
  return {
    id: row.id,
    object: 'reserve_transaction',
    type: row.type,
    amount: formatFiatAmount(BigInt(row.amount)),
    balance_after: formatFiatAmount(BigInt(row.balance_after)),
    currency: 'usd',
    source: row.source,
    created: unixSeconds(row.created_at),
    livemode: false,
  };
}

/**
 * The reserve account that backs the stablecoin: its balance (captures − refunds − payouts, a
 * payout counting from when it is created until it fails) and its append-only ledger.
 */
export async function reserveRoutes(app: FastifyInstance, context: BankContext): Promise<void> {
  const { database, now } = context;

  app.get('/v1/reserve', async () => {
    // One transaction, so the balance and the pending sum are of the same moment.
    return database.transaction(async (tx) => {
      const available = await reserveBalance(tx);
      const pending = await tx.query<{ total: bigint }>(
        `SELECT coalesce(sum(amount), 0)::bigint AS total FROM payouts WHERE status = 'pending'`,
      );
      return {
        object: 'reserve_balance',
        available: formatFiatAmount(available),
        pending_payouts: formatFiatAmount(BigInt(pending.rows[0]?.total ?? 0n)),
        currency: 'usd',
        as_of: unixSeconds(now()),
        livemode: false,
      };
    });
  });

  app.get<{ Querystring: ListQuery }>(
    '/v1/reserve/transactions',
    { schema: { querystring: listQuerySchema } },
    async (request) =>
      listPage(
        database,
        'reserve_transactions',
        reserveTransactionColumns,
        request.query,
        reserveTransactionObject,
      ),
  );
}
