/** The invoice resource (BTCPay Greenfield's model), its public checkout view and merchant refunds. */
import { listQuerySchema } from './commonSchemas.ts';

export const invoiceIdPattern = '^inv_[A-Za-z0-9_-]{22}$';
export const refundIdPattern = '^ref_[A-Za-z0-9_-]{22}$';
export const invoiceStatuses = ['new', 'processing', 'settled', 'expired', 'invalid'] as const;

const positiveAmountSchema = {
  type: 'string',
  pattern: '^(0|[1-9][0-9]{0,13})(\\.[0-9]{1,6})?$',
  description: 'decimal USD, at most 6 decimals, above zero (e.g. "12.50")',
} as const;
const nullableString = { type: ['string', 'null'] } as const;

export interface CreateInvoiceBody {
  amount: string;
  currency: 'usd';
  order_id?: string;
  description?: string;
  expires_in?: number;
  monitoring_window?: number;
  redirect_url?: string;
  metadata?: Record<string, string>;
  escrow?: { deadline_seconds?: number; arbiter?: string; oracle?: string };
}

const addressSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 200,
  description: 'bech32m address',
} as const;

/** How an escrow-backed invoice is paid: the buyer locks the amount on chain (docs/gateway.md). */
const escrowTermsBodySchema = {
  type: 'object',
  additionalProperties: false,
  description: 'pay this invoice by an on-chain escrow_lock instead of a pay',
  properties: {
    deadline_seconds: {
      type: 'integer',
      minimum: 3600,
      maximum: 7776000,
      description: 'seconds from the lock after which the buyer may take the money back (default 604800)',
    },
    arbiter: { ...addressSchema, description: 'who settles a dispute (none: the escrow cannot be disputed)' },
    oracle: {
      ...addressSchema,
      description: "the delivery oracle whose attestation releases the money (default: the gateway's)",
    },
  },
} as const;

export const createInvoiceBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['amount', 'currency'],
  properties: {
    amount: positiveAmountSchema,
    currency: { type: 'string', enum: ['usd'] },
    order_id: { type: 'string', minLength: 1, maxLength: 100 },
    description: { type: 'string', maxLength: 500 },
    expires_in: {
      type: 'integer',
      minimum: 5,
      maximum: 604800,
      description: 'seconds to pay (default 900; at least 60 in production, 5 on a devnet or in tests)',
    },
    monitoring_window: {
      type: 'integer',
      minimum: 0,
      maximum: 604800,
      description: 'seconds after expiry during which a payment is still recorded (default 3600)',
    },
    redirect_url: { type: 'string', pattern: '^https?://[^\\s]+$', maxLength: 2000 },
    metadata: {
      type: 'object',
      description: 'your own flat string map (at most 20 keys)',
      maxProperties: 20,
      propertyNames: { maxLength: 40 },
      additionalProperties: { type: 'string', maxLength: 500 },
    },
    escrow: escrowTermsBodySchema,
  },
} as const;

const nullableAddress = { type: ['string', 'null'] } as const;
export const escrowStatuses = ['pending', 'open', 'disputed', 'released', 'refunded', 'settled'] as const;

const nullableTime = { type: ['string', 'null'], description: 'ISO 8601' } as const;

/** The delivery oracle's shipment of an escrow-backed invoice, once registered (else null). */
export const invoiceShipmentSchema = {
  type: ['object', 'null'],
  required: [
    'id',
    'tracking_id',
    'carrier',
    'status',
    'deliver_at',
    'delivered_at',
    'attested_at',
    'released_at',
    'release_tx_id',
  ],
  properties: {
    id: { type: 'string', description: "the oracle's shp_ id" },
    tracking_id: { type: 'string' },
    carrier: { type: 'string' },
    status: {
      type: 'string',
      enum: ['in_transit', 'delivered', 'attested', 'released', 'attestation_refused'],
    },
    deliver_at: { type: 'string', description: 'ISO 8601: when the sandbox carrier delivers' },
    delivered_at: nullableTime,
    attested_at: nullableTime,
    released_at: nullableTime,
    release_tx_id: { type: ['string', 'null'], description: 'the escrow_release carrying the attestation' },
  },
} as const;

/** An escrow-backed invoice's terms and, once the buyer locked, its escrow as last seen on chain. */
const invoiceEscrowSchema = {
  type: ['object', 'null'],
  required: ['deadline_seconds', 'arbiter', 'oracle', 'escrow_id', 'buyer', 'shard', 'status', 'shipment'],
  properties: {
    deadline_seconds: { type: 'integer' },
    arbiter: nullableAddress,
    oracle: nullableAddress,
    escrow_id: { type: ['string', 'null'], description: 'the escrow_lock transaction id' },
    buyer: nullableAddress,
    shard: { type: ['integer', 'null'], description: "the buyer's shard, where the escrow lives" },
    status: {
      type: ['string', 'null'],
      enum: [...escrowStatuses, null],
      description: 'null before a lock; pending until a node shows it; then the chain record status',
    },
    shipment: invoiceShipmentSchema,
  },
} as const;

const invoicePaymentSchema = {
  type: 'object',
  required: ['tx_id', 'from', 'amount', 'shard', 'status', 'at'],
  properties: {
    tx_id: { type: 'string' },
    from: { type: 'string' },
    amount: { type: 'string' },
    shard: { type: 'integer' },
    status: { type: 'string', enum: ['final', 'credited', 'refused', 'refunded'] },
    at: { type: 'integer' },
  },
} as const;

export const invoiceObjectSchema = {
  type: 'object',
  required: [
    'id',
    'object',
    'merchant',
    'status',
    'exception',
    'amount',
    'amount_paid',
    'amount_refunded',
    'currency',
    'order_id',
    'description',
    'pay_to',
    'payment_id',
    'payment_uri',
    'checkout_url',
    'redirect_url',
    'metadata',
    'expires_at',
    'monitoring_until',
    'payments',
    'escrow',
    'created',
  ],
  properties: {
    id: { type: 'string', pattern: '^inv_' },
    object: { type: 'string', const: 'invoice' },
    merchant: { type: 'string', pattern: '^mer_' },
    status: { type: 'string', enum: [...invoiceStatuses] },
    exception: { type: ['string', 'null'], enum: ['paid_partial', 'paid_over', 'paid_late', 'marked', null] },
    amount: { type: 'string' },
    amount_paid: { type: 'string' },
    amount_refunded: { type: 'string' },
    currency: { type: 'string', const: 'usd' },
    order_id: nullableString,
    description: nullableString,
    pay_to: { type: 'string' },
    payment_id: { type: 'string', description: 'the paymentId of the on-chain pay: the invoice id' },
    payment_uri: { type: 'string' },
    checkout_url: { type: 'string' },
    redirect_url: nullableString,
    metadata: { type: 'object', additionalProperties: { type: 'string' } },
    expires_at: { type: 'integer' },
    monitoring_until: { type: 'integer' },
    payments: { type: 'array', items: invoicePaymentSchema },
    escrow: invoiceEscrowSchema,
    created: { type: 'integer' },
  },
} as const;

export const invoiceListSchema = {
  type: 'object',
  required: ['object', 'data', 'has_more'],
  properties: {
    object: { type: 'string', const: 'list' },
    data: { type: 'array', items: invoiceObjectSchema },
    has_more: { type: 'boolean' },
  },
} as const;

const baseListQuery = listQuerySchema(invoiceIdPattern);
export const invoiceListQuerySchema = {
  ...baseListQuery,
  properties: { ...baseListQuery.properties, status: { type: 'string', enum: [...invoiceStatuses] } },
} as const;

/** What the buyer must lock for an escrow-backed invoice (null for a plain one). */
const checkoutEscrowSchema = {
  type: ['object', 'null'],
  required: [
    'merchant',
    'amount',
    'order_id',
    'deadline_ms',
    'arbiter',
    'oracle',
    'escrow_id',
    'status',
    'shipment',
  ],
  properties: {
    merchant: { type: 'string', description: 'the escrow_lock merchant: pay_to' },
    amount: { type: 'string', description: 'the escrow_lock amount: the invoice amount' },
    order_id: { type: 'string', description: 'the escrow_lock orderId: the invoice id' },
    deadline_ms: {
      type: 'string',
      description:
        'a deadlineMs to sign (now + deadline_seconds, ms, decimal); at least now + deadline_seconds − 10 min',
    },
    arbiter: nullableAddress,
    oracle: nullableAddress,
    escrow_id: { type: ['string', 'null'], description: 'the lock recorded for this invoice, if any' },
    status: { type: ['string', 'null'], enum: [...escrowStatuses, null] },
    shipment: invoiceShipmentSchema,
  },
} as const;

/** What the buyer's checkout page may show: no metadata, order id or payments detail. */
export const checkoutObjectSchema = {
  type: 'object',
  required: [
    'object',
    'invoice',
    'merchant_name',
    'description',
    'amount',
    'currency',
    'status',
    'exception',
    'pay_to',
    'payment_id',
    'payment_uri',
    'expires_at',
    'redirect_url',
    'escrow',
  ],
  properties: {
    object: { type: 'string', const: 'checkout' },
    invoice: { type: 'string' },
    merchant_name: { type: 'string' },
    description: nullableString,
    amount: { type: 'string' },
    currency: { type: 'string', const: 'usd' },
    status: { type: 'string' },
    exception: nullableString,
    pay_to: { type: 'string' },
    payment_id: { type: 'string' },
    payment_uri: { type: 'string' },
    expires_at: { type: 'integer' },
    redirect_url: nullableString,
    escrow: checkoutEscrowSchema,
  },
} as const;

/** The body of `POST /v1/checkout/:invoice_id/escrow` and of `POST /v1/transactions`. */
export interface SignedTransactionBody {
  transaction: string;
}

export const signedTransactionBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['transaction'],
  properties: {
    transaction: {
      type: 'string',
      pattern: '^[0-9a-f]{2,8192}$',
      description: 'hex of the canonical encoding of a client-signed transaction',
    },
  },
} as const;

export interface CreateRefundBody {
  transaction: string;
  amount: string;
}

export const createRefundBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['transaction', 'amount'],
  properties: {
    transaction: {
      type: 'string',
      pattern: '^[0-9a-f]{2,8192}$',
      description: 'hex of a transfer signed by the merchant: from pay_to to the payer, of `amount`',
    },
    amount: positiveAmountSchema,
  },
} as const;

export const refundObjectSchema = {
  type: 'object',
  required: ['id', 'object', 'invoice', 'amount', 'currency', 'tx_id', 'status', 'created'],
  properties: {
    id: { type: 'string', pattern: '^ref_' },
    object: { type: 'string', const: 'refund' },
    invoice: { type: 'string', pattern: '^inv_' },
    amount: { type: 'string' },
    currency: { type: 'string', const: 'usd' },
    tx_id: { type: 'string' },
    status: { type: 'string', enum: ['submitting', 'pending', 'final', 'credited'] },
    created: { type: 'integer' },
  },
} as const;

export const refundListSchema = {
  type: 'object',
  required: ['object', 'data', 'has_more'],
  properties: {
    object: { type: 'string', const: 'list' },
    data: { type: 'array', items: refundObjectSchema },
    has_more: { type: 'boolean' },
  },
} as const;
