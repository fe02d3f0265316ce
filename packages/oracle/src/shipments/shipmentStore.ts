/**
 * The shipments table: every state change is one UPDATE guarded by the state it leaves, so two
 * workers (or a worker and a request) can never move one shipment twice.
 */
import type { Queryable } from '@shardpay/database';
import { type ShipmentRow, type ShipmentStatus, shipmentColumns } from './shipmentObject.ts';

export interface NewShipment {
  id: string;
  trackingId: string;
  escrowId: string;
  escrowShard: number;
  orderId: string;
  carrier: string;
  deliverAt: Date;
  createdAt: Date;
}

/** Inserts a shipment, or returns the one that already exists for its escrow. */
export async function insertShipment(db: Queryable, shipment: NewShipment): Promise<ShipmentRow> {
  const inserted = await db.query<ShipmentRow>(
    `INSERT INTO shipments (id, tracking_id, escrow_id, escrow_shard, order_id, carrier, status, deliver_at,
       created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'in_transit', $7, $8, $8)
     ON CONFLICT (escrow_id) DO NOTHING
     RETURNING ${shipmentColumns}`,
    [
      shipment.id,
      shipment.trackingId,
      shipment.escrowId,
      shipment.escrowShard,
      shipment.orderId,
      shipment.carrier,
      shipment.deliverAt.toISOString(),
      shipment.createdAt.toISOString(),
    ],
  );
  return inserted.rows[0] ?? (await findShipmentByEscrow(db, shipment.escrowId))!;
}

export async function getShipment(db: Queryable, id: string): Promise<ShipmentRow | undefined> {
  const found = await db.query<ShipmentRow>(`SELECT ${shipmentColumns} FROM shipments WHERE id = $1`, [id]);
  return found.rows[0];
}

export async function findShipmentByEscrow(
  db: Queryable,
  escrowId: string,
): Promise<ShipmentRow | undefined> {
  const found = await db.query<ShipmentRow>(`SELECT ${shipmentColumns} FROM shipments WHERE escrow_id = $1`, [
    escrowId,
  ]);
  return found.rows[0];
}

/** Shipments in `status`, oldest first (the worker's queue). */
export async function shipmentsInStatus(db: Queryable, status: ShipmentStatus): Promise<ShipmentRow[]> {
  const found = await db.query<ShipmentRow>(
    `SELECT ${shipmentColumns} FROM shipments WHERE status = $1 ORDER BY seq ASC`,
    [status],
  );
  return found.rows;
}

/** Moves one in-transit shipment to `delivered` now (a delivery on command); false if it was not in transit. */
export async function deliverShipmentNow(db: Queryable, id: string, at: Date): Promise<boolean> {
  const updated = await db.query(
    `UPDATE shipments SET status = 'delivered', delivered_at = $2, updated_at = $2
     WHERE id = $1 AND status = 'in_transit'`,
    [id, at.toISOString()],
  );
  return updated.rowCount > 0;
}

/** Moves every in-transit shipment whose time has come to `delivered` (delivered at its due time). */
export async function deliverDueShipments(db: Queryable, now: Date): Promise<number> {
  const updated = await db.query(
    `UPDATE shipments SET status = 'delivered', delivered_at = deliver_at, updated_at = $1
     WHERE status = 'in_transit' AND deliver_at <= $1`,
    [now.toISOString()],
  );
  return updated.rowCount;
}

/** The signed release, stored before its first submission: `delivered` → `attested`. */
export async function recordAttestation(
  db: Queryable,
  id: string,
  release: { txHex: string; txId: string; nonce: bigint; expiryHeight: bigint },
  at: Date,
): Promise<boolean> {
  const updated = await db.query(
    `UPDATE shipments SET status = 'attested', attested_at = $2, release_tx = $3, release_tx_id = $4,
       release_tx_nonce = $5, release_tx_expiry = $6, last_error = NULL, updated_at = $2
     WHERE id = $1 AND status = 'delivered'`,
    [
      id,
      at.toISOString(),
      release.txHex,
      release.txId,
      release.nonce.toString(),
      release.expiryHeight.toString(),
    ],
  );
  return updated.rowCount > 0;
}

/** `attested` → `released` once the release is final at `height`. */
export async function recordReleased(db: Queryable, id: string, height: bigint, at: Date): Promise<void> {
  await db.query(
    `UPDATE shipments SET status = 'released', released_at = $2, release_height = $3, last_error = NULL,
       updated_at = $2
     WHERE id = $1 AND status = 'attested'`,
    [id, at.toISOString(), height.toString()],
  );
}

/** `delivered` or `attested` → `attestation_refused`, with the chain's code. */
export async function recordRefusal(
  db: Queryable,
  id: string,
  refusal: { code: string; message: string },
  at: Date,
): Promise<void> {
  await db.query(
    `UPDATE shipments SET status = 'attestation_refused', refusal_code = $2, refusal_message = $3,
       last_error = NULL, updated_at = $4
     WHERE id = $1 AND status IN ('delivered', 'attested')`,
    [id, refusal.code, refusal.message, at.toISOString()],
  );
}

/**
 * `attested` → `delivered`, forgetting a release that can no longer be included (expired, or its
 * nonce taken): the next round checks the escrow again and signs a new one.
 */
export async function discardRelease(db: Queryable, id: string, reason: string, at: Date): Promise<void> {
  await db.query(
    `UPDATE shipments SET status = 'delivered', release_tx = NULL, release_tx_id = NULL, release_tx_nonce = NULL,
       release_tx_expiry = NULL, last_error = $2, updated_at = $3
     WHERE id = $1 AND status = 'attested'`,
    [id, reason, at.toISOString()],
  );
}

/** Notes a temporary failure the worker will retry past. */
export async function recordTemporaryError(
  db: Queryable,
  id: string,
  message: string,
  at: Date,
): Promise<void> {
  await db.query(`UPDATE shipments SET last_error = $2, updated_at = $3 WHERE id = $1`, [
    id,
    message,
    at.toISOString(),
  ]);
}

/** The highest release nonce still waiting on `shard` (so two releases never share a nonce). */
export async function highestPendingNonce(db: Queryable, shard: number): Promise<bigint | null> {
  const found = await db.query<{ nonce: string | null }>(
    `SELECT MAX(release_tx_nonce)::text AS nonce FROM shipments WHERE status = 'attested' AND escrow_shard = $1`,
    [shard],
  );
  const nonce = found.rows[0]?.nonce ?? null;
  return nonce === null ? null : BigInt(nonce);
}

/** One page, newest first, after the cursor `startingAfter` (an id), optionally of one status. */
export async function listShipments(
  db: Queryable,
  options: { limit: number; startingAfter?: string; status?: ShipmentStatus },
): Promise<{ rows: ShipmentRow[]; hasMore: boolean; cursorFound: boolean }> {
  let cursorSeq: string | null = null;
  if (options.startingAfter !== undefined) {
    const cursor = await db.query<{ seq: string }>(`SELECT seq::text AS seq FROM shipments WHERE id = $1`, [
      options.startingAfter,
    ]);
    if (cursor.rows[0] === undefined) return { rows: [], hasMore: false, cursorFound: false };
    cursorSeq = cursor.rows[0].seq;
  }
  const found = await db.query<ShipmentRow>(
    `SELECT ${shipmentColumns} FROM shipments
     WHERE ($1::bigint IS NULL OR seq < $1::bigint) AND ($2::text IS NULL OR status = $2::text)
     ORDER BY seq DESC LIMIT $3`,
    [cursorSeq, options.status ?? null, options.limit + 1],
  );
  return {
    rows: found.rows.slice(0, options.limit),
    hasMore: found.rows.length > options.limit,
    cursorFound: true,
  };
}
