import type { Queryable } from '@shardpay/database';
import type { Block, NetworkConfig } from '@shardpay/protocol';
import { type CreditRow, creditRowsOf, type TransactionRow, transactionRowsOf } from './indexedBlockRows.ts';

/** A consumed receipt with what the shard did with it. */
export interface IndexedCredit extends CreditRow {
  outcome: 'credited' | 'refused';
}

/** A registered wallet that may receive a transfer.received event. */
export interface ReceivingWallet {
  id: string;
  userId: string;
}

/** Everything `writeIndexedBlock` writes for one block, computed before the event-order lock. */
export interface PreparedBlock {
  shard: number;
  height: bigint;
  timestampMs: bigint;
  credits: IndexedCredit[];
  transactions: TransactionRow[];
  /** The registered wallets (one per address) of every address the block pays on this shard. */
  walletsByAddress: Map<string, ReceivingWallet[]>;
}

/** One key per (merchant, payment id): JSON keeps any text of either apart. */
function paymentKey(recipient: string, paymentId: string): string {
  return JSON.stringify([recipient, paymentId]);
}

/**
 * The (merchant, payment id) pairs among `credits` that the index already shows received before this
 * block: a credited `pay` credit, or an intra-shard `pay` on `shard` (also one a multisig account made:
 * its row is the `multisig_execute` with the inner pay's payment id). One query for the whole block.
 */
async function paymentIdsReceivedBefore(
  db: Queryable,
  shard: number,
  credits: CreditRow[],
): Promise<Set<string>> {
  const asked = credits.filter((credit) => credit.isPayCredit);
  if (asked.length === 0) return new Set();
  const seen = await db.query<{ recipient: string; payment_id: string }>(
    `SELECT DISTINCT q.recipient, q.payment_id FROM unnest($1::text[], $2::text[]) AS q(recipient, payment_id)
      WHERE EXISTS (SELECT 1 FROM chain_credits c
                     WHERE c.recipient = q.recipient AND c.payment_id = q.payment_id AND c.kind = 'credit'
                       AND c.operation = 'pay' AND c.outcome = 'credited')
         OR EXISTS (SELECT 1 FROM chain_transactions t
                     WHERE t.recipient = q.recipient AND t.payment_id = q.payment_id
                       AND t.operation IN ('pay', 'multisig_execute')
                       AND t.shard = $3 AND t.target_shard IS NULL)`,
    [asked.map((credit) => credit.recipient), asked.map((credit) => credit.paymentId), shard],
  );
  return new Set(seen.rows.map((row) => paymentKey(row.recipient, row.payment_id)));
}

/**
 * Decides each receipt's outcome as the ledger does (applyIncomingReceipt): a credit of a `pay` whose
 * payment id the merchant already received — by an earlier intra-shard pay, or an earlier credited
 * cross-shard one, in an earlier block or earlier in this one — is refused (answered with a refund).
 * Receipts run before the block's transactions, so none of this block's transactions counts.
 */
function decideOutcomes(credits: CreditRow[], receivedBefore: Set<string>): IndexedCredit[] {
  const received = new Set(receivedBefore);
  return credits.map((credit) => {
    if (!credit.isPayCredit) return { ...credit, outcome: 'credited' };
    const key = paymentKey(credit.recipient, credit.paymentId);
    if (received.has(key)) return { ...credit, outcome: 'refused' };
    received.add(key);
    return { ...credit, outcome: 'credited' };
  });
}

/** The registered wallets of `addresses`, by address. */
async function walletsOf(db: Queryable, addresses: string[]): Promise<Map<string, ReceivingWallet[]>> {
  const byAddress = new Map<string, ReceivingWallet[]>();
  if (addresses.length === 0) return byAddress;
  const wallets = await db.query<{ id: string; user_id: string; address: string }>(
    'SELECT id, user_id, address FROM wallets WHERE address = ANY($1::text[]) ORDER BY seq',
    [[...new Set(addresses)]],
  );
  for (const wallet of wallets.rows) {
    const list = byAddress.get(wallet.address) ?? [];
    list.push({ id: wallet.id, userId: wallet.user_id });
    byAddress.set(wallet.address, list);
  }
  return byAddress;
}

/**
 * Computes the rows of `block` of `shard` and reads what they depend on, in two queries whatever the
 * block's size. Read-only, so it runs before the event-order lock: the earlier blocks it reads are
 * committed (the cursor is past them), and a replica that indexes this block first makes our cursor
 * move fail, so nothing read here is written twice.
 */
export async function prepareIndexedBlock(
  db: Queryable,
  network: NetworkConfig,
  shard: number,
  block: Block,
): Promise<PreparedBlock> {
  const creditRows = creditRowsOf(network, block);
  const transactions = transactionRowsOf(network, shard, block);
  const credits = decideOutcomes(creditRows, await paymentIdsReceivedBefore(db, shard, creditRows));
  const paid = [
    ...credits.filter((credit) => credit.outcome === 'credited' && credit.kind === 'credit'),
    ...transactions.filter((transaction) => transaction.paysHere),
  ].map((row) => row.recipient as string);
  return {
    shard,
    height: block.header.height,
    timestampMs: block.header.timestampMs,
    credits,
    transactions,
    walletsByAddress: await walletsOf(db, paid),
  };
}
