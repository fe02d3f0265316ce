import type { Queryable } from '@shardpay/database';
import type { NewEvent } from '../events/writeEvent.ts';
import { isId } from '../ids.ts';
import type { PreparedBlock } from '../indexer/prepareIndexedBlock.ts';
import { type InvoiceRow, invoiceColumns, invoiceToJson, paymentsOf } from './invoiceObject.ts';
import { applyInvoicePay, type InvoicePay, type InvoiceState } from './invoicePayMoves.ts';

/** The block's `pay`s whose payment id is an invoice id, in the ledger's order (receipts first). */
function invoicePaysOf(block: PreparedBlock): InvoicePay[] {
  const pays: InvoicePay[] = [];
  for (const credit of block.credits) {
    if (credit.operation !== 'pay' || !isId(credit.paymentId, 'inv')) continue;
    const refund = credit.kind === 'refund';
    pays.push({
      invoiceId: credit.paymentId,
      txId: credit.txId,
      kind: refund ? 'refunded' : credit.outcome,
      // A refund receipt keeps the pay's `from` and goes back to it (from = to = the payer): it does
      // not name the merchant, so applyInvoicePay matches it to the invoice by its tx id.
      from: credit.sender,
      payTo: credit.recipient,
      amount: credit.amount,
      shard: refund ? block.shard : credit.sourceShard,
    });
  }
  for (const transaction of block.transactions) {
    const { paymentId, recipient } = transaction;
    // A multisig account's pay is indexed as its multisig_execute, with the inner pay's payment id.
    const isPay = transaction.operation === 'pay' || transaction.operation === 'multisig_execute';
    if (!isPay || recipient === null || !isId(paymentId, 'inv')) continue;
    pays.push({
      invoiceId: paymentId,
      txId: transaction.txId,
      kind: transaction.targetShard === null ? 'credited' : 'final',
      from: transaction.sender,
      payTo: recipient,
      amount: transaction.amount,
      shard: block.shard,
    });
  }
  return pays;
}

async function writeInvoices(tx: Queryable, invoices: InvoiceState[], at: Date): Promise<void> {
  const payments = invoices.flatMap((invoice) => invoice.payments.map((payment) => ({ invoice, payment })));
  await tx.query(
    `INSERT INTO invoice_payments (invoice_id, tx_id, from_address, amount, shard, status, at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::integer[], $6::text[],
                          $7::timestamptz[])
     ON CONFLICT (invoice_id, tx_id) DO UPDATE SET status = excluded.status`,
    [
      payments.map(({ invoice }) => invoice.id),
      payments.map(({ payment }) => payment.tx_id),
      payments.map(({ payment }) => payment.from_address),
      payments.map(({ payment }) => String(payment.amount)),
      payments.map(({ payment }) => payment.shard),
      payments.map(({ payment }) => payment.status),
      payments.map(({ payment }) => new Date(payment.at).toISOString()),
    ],
  );
  await tx.query(
    `UPDATE invoices i SET status = u.status, exception = u.exception, amount_paid = u.amount_paid, updated_at = $5
       FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS u(id, status, exception, amount_paid)
      WHERE i.id = u.id`,
    [
      invoices.map((invoice) => invoice.id),
      invoices.map((invoice) => invoice.status),
      invoices.map((invoice) => invoice.exception),
      invoices.map((invoice) => String(invoice.amount_paid)),
      at.toISOString(),
    ],
  );
}

/**
 * The invoice watcher, called by the indexer inside a block's transaction (which holds the
 * event-order lock, as every invoice writer does, so nothing else moves these invoices meanwhile).
 * Moves the invoices the block's `pay`s name, records their payments, and returns the invoice events
 * for the block's one events INSERT. One query for the invoices and two writes whatever the block's
 * size; no statement at all for a block without an invoice pay (most blocks).
 */
export async function watchInvoices(tx: Queryable, block: PreparedBlock, at: Date): Promise<NewEvent[]> {
  const pays = invoicePaysOf(block);
  if (pays.length === 0) return [];
  const found = await tx.query<InvoiceRow>(
    `SELECT ${invoiceColumns} FROM invoices i WHERE i.id = ANY($1::text[])`,
    [[...new Set(pays.map((pay) => pay.invoiceId))]],
  );
  const invoices = new Map<string, InvoiceState>(
    found.rows.map((row) => [row.id, { ...row, payments: paymentsOf(row), changed: false }]),
  );
  const events: NewEvent[] = [];
  for (const pay of pays) {
    const invoice = invoices.get(pay.invoiceId);
    if (invoice === undefined) continue;
    for (const type of applyInvoicePay(invoice, pay, at)) {
      const { changed: _changed, ...row } = invoice;
      events.push({
        userId: invoice.user_id,
        merchantId: invoice.merchant_id,
        type,
        data: invoiceToJson({ ...row, payments: row.payments.map((payment) => ({ ...payment })) }),
        at,
      });
    }
  }
  const changed = [...invoices.values()].filter((invoice) => invoice.changed);
  if (changed.length > 0) await writeInvoices(tx, changed, at);
  return events;
}
