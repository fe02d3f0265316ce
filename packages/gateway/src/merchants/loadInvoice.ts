import type { Queryable } from '@shardpay/database';
import { apiError } from '../http/apiErrors.ts';
import { type InvoiceRow, invoiceColumns } from './invoiceObject.ts';

/** The merchant's invoice `id` (locked for update when `lock`), or 404 naming `id`. */
export async function loadInvoice(
  db: Queryable,
  merchantId: string,
  id: string,
  lock = false,
): Promise<InvoiceRow> {
  const found = await db.query<InvoiceRow>(
    `SELECT ${invoiceColumns} FROM invoices i WHERE i.id = $1 AND i.merchant_id = $2${lock ? ' FOR UPDATE OF i' : ''}`,
    [id, merchantId],
  );
  const row = found.rows[0];
  if (row === undefined) throw apiError('RESOURCE_MISSING', `no invoice ${id}`, 'id');
  return row;
}
