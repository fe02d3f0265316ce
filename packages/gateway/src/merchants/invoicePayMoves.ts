import type { EventType } from '../events/writeEvent.ts';
import type { InvoiceException, InvoicePaymentRow, InvoiceRow, InvoiceStatus } from './invoiceObject.ts';

/** What a block did to one `pay` of an invoice (payment id = the invoice id). */
export interface InvoicePay {
  invoiceId: string;
  txId: string;
  /** final: included on the payer's shard, its credit still to come on the merchant's. */
  kind: 'final' | 'credited' | 'refused' | 'refunded';
  from: string;
  /** The merchant paid; for a refund, whose receipt does not name it, the payer (not checked). */
  payTo: string;
  amount: bigint;
  /** The payer's shard. */
  shard: number;
}

/** An invoice being moved in memory: its row with parsed payments. */
export interface InvoiceState extends Omit<InvoiceRow, 'payments'> {
  payments: InvoicePaymentRow[];
  changed: boolean;
}

const paymentRank = { final: 0, credited: 1, refused: 1, refunded: 2 } as const;

function recordPayment(invoice: InvoiceState, pay: InvoicePay, at: Date): void {
  const existing = invoice.payments.find((payment) => payment.tx_id === pay.txId);
  if (existing === undefined) {
    invoice.payments.push({
      tx_id: pay.txId,
      from_address: pay.from,
      amount: pay.amount,
      shard: pay.shard,
      status: pay.kind,
      at,
    });
  } else if (paymentRank[pay.kind] > paymentRank[existing.status]) {
    // A target shard indexed before the source: `credited` may come before `final`, never undone.
    existing.status = pay.kind;
  }
  invoice.changed = true;
}

function move(invoice: InvoiceState, status: InvoiceStatus, exception: InvoiceException | null): void {
  invoice.status = status;
  invoice.exception = exception;
  invoice.changed = true;
}

/**
 * Applies one pay to `invoice` at indexing time `at` (the rules of docs/gateway.md "Merchants and
 * invoices"); returns the events it causes, in order. Nothing moves after `monitoring_until`, and a
 * settled or invalid invoice keeps its status (a payment still shows in `payments`).
 */
export function applyInvoicePay(invoice: InvoiceState, pay: InvoicePay, at: Date): EventType[] {
  // A refund receipt names only the payer (from = to = the payer), not the merchant: it belongs to the
  // invoice that recorded its pay (the same tx id, final on the payer's shard before it could come back).
  const mine =
    pay.kind === 'refunded'
      ? invoice.payments.some((payment) => payment.tx_id === pay.txId)
      : pay.payTo === invoice.pay_to;
  if (!mine) return [];
  const monitoring = at.getTime() <= new Date(invoice.monitoring_until).getTime();
  const onTime = at.getTime() <= new Date(invoice.expires_at).getTime();
  const alreadyCredited = invoice.payments.some(
    (payment) => payment.tx_id === pay.txId && payment.status !== 'final',
  );
  recordPayment(invoice, pay, at);
  if (!monitoring) return [];
  if (pay.kind === 'final') {
    if (invoice.status !== 'new' || !onTime || BigInt(invoice.amount_paid) > 0n || alreadyCredited) return [];
    move(invoice, 'processing', null);
    return ['invoice.processing'];
  }
  if (pay.kind === 'refused') {
    // The merchant's shard refused the credit (refunded to the payer): nothing was paid by it.
    if (BigInt(invoice.amount_paid) > 0n || !['new', 'processing', 'expired'].includes(invoice.status))
      return [];
    move(invoice, 'invalid', null);
    return ['invoice.invalid'];
  }
  if (pay.kind === 'refunded' || alreadyCredited) return [];
  const paid = BigInt(invoice.amount_paid) + pay.amount;
  invoice.amount_paid = paid;
  const events: EventType[] = ['invoice.payment_received'];
  if (invoice.status === 'settled' || invoice.status === 'invalid') return events;
  const amount = BigInt(invoice.amount);
  if (onTime) {
    if (paid >= amount) {
      move(invoice, 'settled', paid > amount ? 'paid_over' : null);
      events.push('invoice.settled');
    } else {
      // The payment id is spent: no top-up can follow. It stays new until the expiry job.
      move(invoice, 'new', 'paid_partial');
    }
    return events;
  }
  const wasExpired = invoice.status === 'expired';
  move(invoice, 'expired', paid >= amount ? 'paid_late' : 'paid_partial');
  if (!wasExpired) events.push('invoice.expired');
  return events;
}
