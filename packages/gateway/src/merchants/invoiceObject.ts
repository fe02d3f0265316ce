import { formatAmount } from '@shardpay/protocol';
import { toUnixSeconds } from '../GatewayContext.ts';
import { invoiceEscrowToJson } from './invoiceEscrow.ts';

/** Invoice statuses (BTCPay Greenfield): see docs/gateway.md "Merchants and invoices". */
export type InvoiceStatus = 'new' | 'processing' | 'settled' | 'expired' | 'invalid';
export type InvoiceException = 'paid_partial' | 'paid_over' | 'paid_late' | 'marked';

/** One on-chain `pay` of an invoice, as the indexer saw it. */
export interface InvoicePaymentRow {
  tx_id: string;
  from_address: string;
  amount: bigint | string;
  shard: number;
  status: 'final' | 'credited' | 'refused' | 'refunded';
  at: Date | string;
}

/** An invoices row with its payments (a JSON aggregate). */
export interface InvoiceRow {
  id: string;
  merchant_id: string;
  user_id: string;
  status: InvoiceStatus;
  exception: InvoiceException | null;
  amount: bigint | string;
  amount_paid: bigint | string;
  amount_refunded: bigint | string;
  currency: string;
  order_id: string | null;
  description: string | null;
  pay_to: string;
  payment_uri: string;
  checkout_url: string;
  redirect_url: string | null;
  metadata: Record<string, string> | string;
  escrow: unknown;
  expires_at: Date | string;
  monitoring_until: Date | string;
  created_at: Date | string;
  payments: InvoicePaymentRow[] | string | null;
}

/** Columns of `invoices i` plus its payments, oldest first. */
export const invoiceColumns = `i.id, i.merchant_id, i.user_id, i.status, i.exception, i.amount, i.amount_paid,
  i.amount_refunded, i.currency, i.order_id, i.description, i.pay_to, i.payment_uri, i.checkout_url, i.redirect_url,
  i.metadata, i.escrow, i.expires_at, i.monitoring_until, i.created_at,
  (SELECT coalesce(json_agg(json_build_object('tx_id', p.tx_id, 'from_address', p.from_address,
            'amount', p.amount::text, 'shard', p.shard, 'status', p.status, 'at', p.at) ORDER BY p.at, p.tx_id), '[]')
     FROM invoice_payments p WHERE p.invoice_id = i.id) AS payments`;

function parsed<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/** The payments of a row, whatever the driver made of the aggregate. */
export function paymentsOf(row: InvoiceRow): InvoicePaymentRow[] {
  return row.payments === null ? [] : parsed(row.payments);
}

/** The invoice object of the API (also the data of invoice.* events). */
export function invoiceToJson(row: InvoiceRow) {
  return {
    id: row.id,
    object: 'invoice' as const,
    merchant: row.merchant_id,
    status: row.status,
    exception: row.exception,
    amount: formatAmount(BigInt(row.amount)),
    amount_paid: formatAmount(BigInt(row.amount_paid)),
    amount_refunded: formatAmount(BigInt(row.amount_refunded)),
    currency: row.currency,
    order_id: row.order_id,
    description: row.description,
    pay_to: row.pay_to,
    payment_id: row.id,
    payment_uri: row.payment_uri,
    checkout_url: row.checkout_url,
    redirect_url: row.redirect_url,
    metadata: parsed(row.metadata),
    expires_at: toUnixSeconds(new Date(row.expires_at)),
    monitoring_until: toUnixSeconds(new Date(row.monitoring_until)),
    payments: paymentsOf(row).map((payment) => ({
      tx_id: payment.tx_id,
      from: payment.from_address,
      amount: formatAmount(BigInt(payment.amount)),
      shard: Number(payment.shard),
      status: payment.status,
      at: toUnixSeconds(new Date(payment.at)),
    })),
    escrow: invoiceEscrowToJson(row.escrow),
    created: toUnixSeconds(new Date(row.created_at)),
  };
}

export type InvoiceObject = ReturnType<typeof invoiceToJson>;

/** `shardpay:<address>?amount=<decimal>&payment_id=<inv_…>&chain=<chainId>`: what a wallet scans. */
export function paymentUri(address: string, amount: bigint, invoiceId: string, chainId: string): string {
  const query = new URLSearchParams({ amount: formatAmount(amount), payment_id: invoiceId, chain: chainId });
  return `shardpay:${address}?${query.toString()}`;
}
