/** What a shipment goes through; `released` and `attestation_refused` are terminal. */
export type ShipmentStatus = 'in_transit' | 'delivered' | 'attested' | 'released' | 'attestation_refused';

/** A row of `shipments`, as the database returns it. */
export interface ShipmentRow {
  id: string;
  seq: string | number | bigint;
  tracking_id: string;
  escrow_id: string;
  escrow_shard: number;
  order_id: string;
  carrier: string;
  status: ShipmentStatus;
  deliver_at: Date | string;
  delivered_at: Date | string | null;
  attested_at: Date | string | null;
  released_at: Date | string | null;
  release_tx: string | null;
  release_tx_id: string | null;
  release_tx_nonce: string | number | bigint | null;
  release_tx_expiry: string | number | bigint | null;
  release_height: string | number | bigint | null;
  refusal_code: string | null;
  refusal_message: string | null;
  last_error: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

/** The columns every query selects, in one place. */
export const shipmentColumns = `id, seq, tracking_id, escrow_id, escrow_shard, order_id, carrier, status,
  deliver_at, delivered_at, attested_at, released_at, release_tx, release_tx_id, release_tx_nonce,
  release_tx_expiry, release_height, refusal_code, refusal_message, last_error, created_at, updated_at`;

/** The API's shipment object. */
export interface ShipmentObject {
  id: string;
  object: 'shipment';
  tracking_id: string;
  escrow_id: string;
  escrow_shard: number;
  order_id: string;
  carrier: string;
  status: ShipmentStatus;
  deliver_at: string;
  delivered_at: string | null;
  attested_at: string | null;
  released_at: string | null;
  /** The escrow_release transaction carrying the delivery attestation, once built. */
  release_tx_id: string | null;
  /** The height of the escrow's shard where the release became final. */
  release_height: string | null;
  /** Why the chain would not release the escrow (`attestation_refused`): the chain's code. */
  refusal: { code: string; message: string } | null;
  /** The last temporary failure (a node unreachable…) the worker will retry past; null when none. */
  last_error: string | null;
  created_at: string;
  sandbox: true;
}

function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function isoOrNull(value: Date | string | null): string | null {
  return value === null ? null : iso(value);
}

/** The API object of a row. */
export function shipmentObject(row: ShipmentRow): ShipmentObject {
  return {
    id: row.id,
    object: 'shipment',
    tracking_id: row.tracking_id,
    escrow_id: row.escrow_id,
    escrow_shard: Number(row.escrow_shard),
    order_id: row.order_id,
    carrier: row.carrier,
    status: row.status,
    deliver_at: iso(row.deliver_at),
    delivered_at: isoOrNull(row.delivered_at),
    attested_at: isoOrNull(row.attested_at),
    released_at: isoOrNull(row.released_at),
    release_tx_id: row.release_tx_id,
    release_height: row.release_height === null ? null : String(row.release_height),
    refusal:
      row.refusal_code === null ? null : { code: row.refusal_code, message: row.refusal_message ?? '' },
    last_error: row.last_error,
    created_at: iso(row.created_at),
    sandbox: true,
  };
}
