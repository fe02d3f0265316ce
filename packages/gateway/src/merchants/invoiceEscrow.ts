import { formatAmount } from '@shardpay/protocol';
import type { InvoiceShipment } from './oracleClient.ts';

/**
 * An escrow invoice's escrow as the gateway knows it: `null` before a lock, `pending` once a lock was
 * accepted for submission (not yet seen on chain), then the status of the chain record
 * (`shardpay_getEscrow`).
 */
export type InvoiceEscrowStatus = 'pending' | 'open' | 'disputed' | 'released' | 'refunded' | 'settled';

/** The `invoices.escrow` jsonb of an escrow-backed invoice (null for a plain one). */
export interface InvoiceEscrow {
  deadline_seconds: number;
  arbiter: string | null;
  oracle: string | null;
  escrow_id: string | null;
  buyer: string | null;
  shard: number | null;
  status: InvoiceEscrowStatus | null;
  /**
   * The delivery oracle's shipment, once the merchant registered one (POST /v1/invoices/:id/shipments),
   * kept fresh by the escrow watcher until it ends; absent (shown as null) before.
   */
  shipment?: InvoiceShipment | null;
}

/** Default time a buyer's money waits for delivery before the buyer may take it back: 7 days. */
export const defaultEscrowDeadlineSeconds = 604_800;

/** Allowed clock skew between the buyer's client and the gateway when checking a lock's deadline. */
export const escrowDeadlineSkewMs = 10 * 60 * 1000;

/** The invoice row's escrow column, whatever the driver made of the jsonb (a string or an object). */
export function invoiceEscrowOf(value: unknown): InvoiceEscrow | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as InvoiceEscrow;
}

/** The terms of a new escrow invoice, no lock yet. */
export function newInvoiceEscrow(terms: {
  deadlineSeconds: number;
  arbiter: string | null;
  oracle: string | null;
}): InvoiceEscrow {
  return {
    deadline_seconds: terms.deadlineSeconds,
    arbiter: terms.arbiter,
    oracle: terms.oracle,
    escrow_id: null,
    buyer: null,
    shard: null,
    status: null,
    shipment: null,
  };
}

function shipmentCopy(shipment: InvoiceShipment | null | undefined): InvoiceShipment | null {
  return shipment === undefined || shipment === null ? null : { ...shipment };
}

/** The invoice object's `escrow` (a copy, so event data never aliases a row being moved). */
export function invoiceEscrowToJson(value: unknown): InvoiceEscrow | null {
  const escrow = invoiceEscrowOf(value);
  return escrow === null ? null : { ...escrow, shipment: shipmentCopy(escrow.shipment) };
}

/**
 * What the checkout page tells the buyer to lock: the `escrow_lock` fields, with a deadline of
 * `now + deadline_seconds` (ms, decimal string: the chain's u64 block time).
 */
export function checkoutEscrowTerms(
  value: unknown,
  invoice: { id: string; pay_to: string; amount: bigint | string },
  now: Date,
) {
  const escrow = invoiceEscrowOf(value);
  if (escrow === null) return null;
  return {
    merchant: invoice.pay_to,
    amount: formatAmount(BigInt(invoice.amount)),
    order_id: invoice.id,
    deadline_ms: (BigInt(now.getTime()) + BigInt(escrow.deadline_seconds) * 1000n).toString(),
    arbiter: escrow.arbiter,
    oracle: escrow.oracle,
    escrow_id: escrow.escrow_id,
    status: escrow.status,
    shipment: shipmentCopy(escrow.shipment),
  };
}
