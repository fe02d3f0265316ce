import type { Queryable } from '@shardpay/database';
import { toUnixSeconds } from '../GatewayContext.ts';
import { createId } from '../ids.ts';

/** The event types a user can receive (docs/gateway.md "Events"). */
export type EventType =
  | 'payment.created'
  | 'payment.updated'
  | 'transfer.received'
  | 'cashout.refunded'
  | 'invoice.created'
  | 'invoice.processing'
  | 'invoice.payment_received'
  | 'invoice.settled'
  | 'invoice.expired'
  | 'invoice.invalid'
  | 'invoice.disputed'
  | 'invoice.refunded';

/** The API form of an event: `{id, object: "event", type, created, data}`. */
export interface EventObject {
  id: string;
  object: 'event';
  type: string;
  created: number;
  data: Record<string, unknown>;
}

/** An events row as read back. */
export interface EventRow {
  seq: bigint;
  id: string;
  user_id: string;
  merchant_id: string | null;
  type: string;
  data: Record<string, unknown> | string;
  created_at: Date | string;
}

export const eventColumns = 'seq, id, user_id, merchant_id, type, data, created_at';

// Any constant: the key of the one advisory lock that orders event writes.
const eventOrderLockKey = 7_314_202_601;

/**
 * Takes the event-order lock for the rest of `tx`. Call it first in every transaction that may write
 * events: `seq` values are then handed out in commit order, so a poller that read seq N can never
 * later find a committed event below N (no gaps to wait for). Taking it first, before any row lock,
 * keeps two such transactions from deadlocking.
 */
export async function lockEventOrder(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [eventOrderLockKey]);
}

/** Inserts an event for `userId` inside `tx` (which must hold `lockEventOrder`); returns its id. */
export async function writeEvent(tx: Queryable, event: NewEvent): Promise<string> {
  const id = createId('evt');
  await tx.query(
    'INSERT INTO events (id, user_id, merchant_id, type, data, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [
      id,
      event.userId,
      event.merchantId ?? null,
      event.type,
      JSON.stringify(event.data),
      event.at.toISOString(),
    ],
  );
  return id;
}

/** An event to write: for `userId` (and `merchantId`, for a merchant's events), of `type`, stamped `at`. */
export interface NewEvent {
  userId: string;
  /** The merchant the event belongs to (its API keys list it, its webhooks deliver it); none for a user's own. */
  merchantId?: string;
  type: EventType;
  data: Record<string, unknown>;
  at: Date;
}

/**
 * Inserts `events` inside `tx` (which must hold `lockEventOrder`) in one statement, their `seq` in
 * array order; returns their ids in that order. Array parameters keep the statement at five
 * parameters however many events there are (a VALUES list would hit the 65,535 limit).
 */
export async function writeEvents(tx: Queryable, events: readonly NewEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  const ids = events.map(() => createId('evt'));
  await tx.query(
    `INSERT INTO events (id, user_id, merchant_id, type, data, created_at)
     SELECT e.id, e.user_id, e.merchant_id, e.type, e.data::jsonb, e.created_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) WITH ORDINALITY
            AS e(id, user_id, merchant_id, type, data, created_at, ord)
      ORDER BY e.ord`,
    [
      ids,
      events.map((event) => event.userId),
      events.map((event) => event.merchantId ?? null),
      events.map((event) => event.type),
      events.map((event) => JSON.stringify(event.data)),
      events.map((event) => event.at.toISOString()),
    ],
  );
  return ids;
}

/** The API form of an events row. */
export function eventToJson(row: EventRow): EventObject {
  return {
    id: row.id,
    object: 'event',
    type: row.type,
    created: toUnixSeconds(new Date(row.created_at)),
    data: typeof row.data === 'string' ? (JSON.parse(row.data) as Record<string, unknown>) : row.data,
  };
}
