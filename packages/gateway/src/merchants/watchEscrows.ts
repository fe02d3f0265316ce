import { bytesToHex, isShardpayError } from '@shardpay/crypto';
import type { Database } from '@shardpay/database';
import { blockFromJson, type NetworkConfig, parseAmount } from '@shardpay/protocol';
import type { ChainClient } from '../chain/createChainClient.ts';
import { lockEventOrder, type NewEvent, writeEvents } from '../events/writeEvent.ts';
import { type ChainEscrowStatus, escrowInvoiceMove } from './escrowInvoiceMove.ts';
import { type InvoiceEscrowStatus, invoiceEscrowOf } from './invoiceEscrow.ts';
import { type InvoiceRow, type InvoiceStatus, invoiceColumns, invoiceToJson } from './invoiceObject.ts';
import type { OracleClient } from './oracleClient.ts';
import { refreshShipments } from './refreshShipments.ts';

/** What the watcher reads of `shardpay_getEscrow` (docs/devnet.md). */
interface ChainEscrow {
  status: ChainEscrowStatus;
  amount: bigint;
  closedHeight: bigint | null;
}

const chainEscrowStatuses = new Set<string>(['open', 'disputed', 'released', 'refunded', 'settled']);

function readChainEscrow(value: unknown): ChainEscrow {
  const o = (value ?? {}) as Record<string, unknown>;
  if (typeof o.status !== 'string' || !chainEscrowStatuses.has(o.status) || typeof o.amount !== 'string') {
    // A node answering another shape is a bug or a version skew: logged by the job, retried.
    throw new Error('shardpay_getEscrow answered an unexpected shape');
  }
  return {
    status: o.status as ChainEscrowStatus,
    amount: parseAmount(o.amount),
    closedHeight: typeof o.closedHeight === 'string' ? BigInt(o.closedHeight) : null,
  };
}

/** The escrow `escrowId` on `shard`, or null when the node has no such escrow (yet). */
async function readEscrow(chain: ChainClient, shard: number, escrowId: string): Promise<ChainEscrow | null> {
  try {
    return readChainEscrow(await chain.call(shard, 'shardpay_getEscrow', { escrowId }));
  } catch (error) {
    if (isShardpayError(error, 'ESCROW_NOT_FOUND')) return null;
    throw error;
  }
}

/**
 * The merchant's share of a settled escrow: the record does not keep the arbiter's split, so it is
 * read from the `escrow_settle` in the block that closed the escrow (blocks hold only accepted
 * transactions, so exactly one there names it): amount − buyerAmount.
 */
async function merchantShareOf(
  chain: ChainClient,
  network: NetworkConfig,
  shard: number,
  escrowId: string,
  escrow: ChainEscrow,
): Promise<bigint> {
  if (escrow.closedHeight === null) throw new Error(`settled escrow ${escrowId} has no closedHeight`);
  const json = await chain.call<unknown>(shard, 'shardpay_getBlock', {
    height: escrow.closedHeight.toString(),
  });
  if (json === null) throw new Error(`shard ${shard} has no block ${escrow.closedHeight}`);
  const block = blockFromJson(json, { addressPrefix: network.addressPrefix });
  for (const tx of block.transactions) {
    const operation = tx.operation;
    if (operation.type === 'escrow_settle' && bytesToHex(operation.escrowId) === escrowId) {
      return escrow.amount - operation.buyerAmount;
    }
  }
  throw new Error(`block ${escrow.closedHeight} of shard ${shard} holds no escrow_settle of ${escrowId}`);
}

interface WatchedRow {
  id: string;
  seq: bigint;
  status: InvoiceStatus;
  amount: bigint;
  escrow: unknown;
}

/** Settings of the escrow watcher. */
export interface EscrowWatcherOptions {
  database: Database;
  chain: ChainClient;
  network: NetworkConfig;
  now: () => Date;
  /** Invoices read per round (default 100): more are taken in turn over the next rounds. */
  batchSize?: number;
  /** The delivery oracle: when set, each round also refreshes the invoices' shipments from it. */
  oracle?: OracleClient | undefined;
}

/**
 * The escrow watcher (docs/gateway.md "Escrow-backed orders"; every 2 s on every replica): for each
 * escrow invoice with a lock that is still `new` or `processing`, reads the escrow from a node of the
 * buyer's shard and moves the invoice (escrowInvoiceMove.ts). Invoices are followed until the escrow
 * closes, however long that takes (monitoring_until does not apply once locked). Each move is one
 * `UPDATE … WHERE status = <expected> AND escrow status = <expected>` with its events under the
 * event-order lock, so replicas overlapping move each invoice once. With an oracle, each round then
 * refreshes the shipments that have not ended (refreshShipments.ts). `runOnce` returns how many
 * invoices moved plus how many shipments changed.
 */
export function createEscrowWatcher(options: EscrowWatcherOptions) {
  const { database, chain, network, now } = options;
  const batchSize = options.batchSize ?? 100;
  // Round-robin through the watched invoices without writing anything to remember where it was.
  let afterSeq = 0n;

  async function move(row: WatchedRow): Promise<boolean> {
    const escrow = invoiceEscrowOf(row.escrow)!;
    const escrowId = escrow.escrow_id!;
    const shard = escrow.shard!;
    const onChain = await readEscrow(chain, shard, escrowId);
    if (onChain === null) return false; // not included yet (or never: the expiry job ends it)
    const current = { status: row.status, amount: BigInt(row.amount), escrowStatus: escrow.status };
    if (current.escrowStatus === onChain.status) return false;
    const share =
      onChain.status === 'settled'
        ? await merchantShareOf(chain, network, shard, escrowId, onChain)
        : undefined;
    const next = escrowInvoiceMove(current, onChain.status, share);
    if (next === null) return false;
    return database.transaction(async (tx) => {
      await lockEventOrder(tx);
      const at = now();
      const moved = await tx.query<InvoiceRow>(
        `UPDATE invoices i SET status = $2, exception = $3, amount_paid = $4,
                escrow = i.escrow || jsonb_build_object('status', $5::text), updated_at = $6
          WHERE i.id = $1 AND i.status = $7 AND i.escrow->>'escrow_id' = $8
            AND i.escrow->>'status' IS NOT DISTINCT FROM $9::text
          RETURNING i.id`,
        [
          row.id,
          next.status,
          next.exception,
          next.amountPaid.toString(),
          next.escrowStatus,
          at.toISOString(),
          row.status,
          escrowId,
          current.escrowStatus satisfies InvoiceEscrowStatus | null,
        ],
      );
      if (moved.rowCount === 0) return false; // another replica moved it first
      const after = (
        await tx.query<InvoiceRow>(`SELECT ${invoiceColumns} FROM invoices i WHERE i.id = $1`, [row.id])
      ).rows[0]!;
      const events: NewEvent[] = next.events.map((type) => ({
        userId: after.user_id,
        merchantId: after.merchant_id,
        type,
        data: invoiceToJson(after),
        at,
      }));
      await writeEvents(tx, events);
      return true;
    });
  }

  return {
    async runOnce(): Promise<number> {
      const rows = (
        await database.query<WatchedRow>(
          `SELECT id, seq, status, amount, escrow FROM invoices
            WHERE status IN ('new', 'processing') AND escrow IS NOT NULL AND escrow->>'escrow_id' IS NOT NULL
              AND seq > $1
            ORDER BY seq LIMIT $2`,
          [afterSeq.toString(), batchSize],
        )
      ).rows;
      afterSeq = rows.length < batchSize ? 0n : BigInt(rows.at(-1)!.seq);
      // One invoice's failure (a node down for its shard) does not hold up the others.
      const results = await Promise.allSettled(rows.map(move));
      // Shipments are refreshed even when an escrow read failed (a shard down is not the oracle down).
      const shipments =
        options.oracle === undefined
          ? { status: 'fulfilled' as const, value: 0 }
          : await refreshShipments(database, options.oracle, now, batchSize).then(
              (value) => ({ status: 'fulfilled' as const, value }),
              (reason: unknown) => ({ status: 'rejected' as const, reason }),
            );
      const failed = results.find((result) => result.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      if (shipments.status === 'rejected') throw shipments.reason;
      return (
        results.filter((result) => result.status === 'fulfilled' && result.value).length + shipments.value
      );
    },
  };
}

export type EscrowWatcher = ReturnType<typeof createEscrowWatcher>;
