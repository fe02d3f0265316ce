import type { Queryable } from '@shardpay/database';
import { formatAmount } from '@shardpay/protocol';
import type { FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import type { GatewayContext } from '../GatewayContext.ts';
import { toUnixSeconds } from '../GatewayContext.ts';
import { apiError } from '../http/apiErrors.ts';
import { checkoutEscrowTerms } from '../merchants/invoiceEscrow.ts';
import { errorResponseSchema } from '../schemas/commonSchemas.ts';
import { checkoutObjectSchema, invoiceIdPattern } from '../schemas/invoiceSchemas.ts';

/** The columns of an invoice the checkout shows (and the escrow lock route checks). */
export interface CheckoutRow {
  id: string;
  merchant_name: string;
  description: string | null;
  amount: bigint;
  status: string;
  exception: string | null;
  pay_to: string;
  payment_uri: string;
  expires_at: Date;
  redirect_url: string | null;
  escrow: unknown;
}

export const checkoutParams = {
  type: 'object',
  required: ['invoice_id'],
  properties: { invoice_id: { type: 'string', pattern: invoiceIdPattern } },
} as const;

/** The checkout columns of invoice `id` (locked for update when `lock`), or 404 naming `invoice_id`. */
export async function loadCheckoutRow(db: Queryable, id: string, lock = false): Promise<CheckoutRow> {
  const found = await db.query<CheckoutRow>(
    `SELECT i.id, m.name AS merchant_name, i.description, i.amount, i.status, i.exception, i.pay_to,
            i.payment_uri, i.expires_at, i.redirect_url, i.escrow
       FROM invoices i JOIN merchants m ON m.id = i.merchant_id WHERE i.id = $1${lock ? ' FOR UPDATE OF i' : ''}`,
    [id],
  );
  const row = found.rows[0];
  if (row === undefined) throw apiError('RESOURCE_MISSING', `no invoice ${id}`, 'invoice_id');
  return row;
}

/** The public checkout object; for an escrow invoice, what to lock (deadline counted from `now`). */
export function checkoutToJson(row: CheckoutRow, now: Date) {
  return {
    object: 'checkout' as const,
    invoice: row.id,
    merchant_name: row.merchant_name,
    description: row.description,
    amount: formatAmount(BigInt(row.amount)),
    currency: 'usd' as const,
    status: row.status,
    exception: row.exception,
    pay_to: row.pay_to,
    payment_id: row.id,
    payment_uri: row.payment_uri,
    expires_at: toUnixSeconds(new Date(row.expires_at)),
    redirect_url: row.redirect_url,
    escrow: checkoutEscrowTerms(row.escrow, row, now),
  };
}

/**
 * The buyer's side of an invoice, without authentication (the invoice id is the capability, as the
 * checkout URL carries it): the buyer-safe fields and the payment URI as a QR code.
 */
export async function checkoutRoutes(app: FastifyInstance, options: GatewayContext): Promise<void> {
  const { database, now } = options;
  const checkoutOf = (id: string) => loadCheckoutRow(database, id);

  app.get<{ Params: { invoice_id: string } }>(
    '/v1/checkout/:invoice_id',
    {
      schema: {
        tags: ['invoices'],
        summary: "What the buyer's checkout page shows of an invoice (public)",
        params: checkoutParams,
        response: { 200: checkoutObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => checkoutToJson(await checkoutOf(request.params.invoice_id), now()),
  );

  app.get<{ Params: { invoice_id: string } }>(
    '/v1/checkout/:invoice_id/qr.svg',
    {
      schema: {
        tags: ['invoices'],
        summary: "The invoice's payment URI as an SVG QR code (public)",
        params: checkoutParams,
        response: { default: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const row = await checkoutOf(request.params.invoice_id);
      const svg = await QRCode.toString(row.payment_uri, {
        type: 'svg',
        errorCorrectionLevel: 'M',
        margin: 2,
      });
      return reply.type('image/svg+xml').header('cache-control', 'public, max-age=3600').send(svg);
    },
  );
}
