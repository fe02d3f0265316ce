/** Products, the public store, store orders, shipments and the volume chart (docs/gateway.md). */
import { listQuerySchema } from './commonSchemas.ts';

export const productIdPattern = '^prd_[A-Za-z0-9_-]{22}$';

/** Largest product price: 1 000 000 USD. */
export const maxProductPrice = 1_000_000_000_000n;

export interface CreateProductBody {
  name: string;
  description?: string;
  price: string;
}

export const createProductBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'price'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 80 },
    description: { type: 'string', maxLength: 300 },
    price: {
      type: 'string',
      pattern: '^(0|[1-9][0-9]{0,6})(\\.[0-9]{1,6})?$',
      description: 'decimal USD above zero, at most 1000000, at most 6 decimals (e.g. "12.50")',
    },
  },
} as const;

export const productObjectSchema = {
  type: 'object',
  required: ['id', 'object', 'merchant', 'name', 'description', 'price', 'currency', 'active', 'created'],
  properties: {
    id: { type: 'string', pattern: '^prd_' },
    object: { type: 'string', const: 'product' },
    merchant: { type: 'string', pattern: '^mer_' },
    name: { type: 'string' },
    description: { type: ['string', 'null'] },
    price: { type: 'string' },
    currency: { type: 'string', const: 'usd' },
    active: { type: 'boolean' },
    created: { type: 'string', description: 'ISO 8601' },
  },
} as const;

export const productListSchema = {
  type: 'object',
  required: ['object', 'data', 'has_more'],
  properties: {
    object: { type: 'string', const: 'list' },
    data: { type: 'array', items: productObjectSchema },
    has_more: { type: 'boolean' },
  },
} as const;

export const productListQuerySchema = listQuerySchema(productIdPattern);

export const storeObjectSchema = {
  type: 'object',
  required: ['object', 'merchant', 'name', 'products', 'escrow_available'],
  properties: {
    object: { type: 'string', const: 'store' },
    merchant: { type: 'string', pattern: '^mer_' },
    name: { type: 'string' },
    products: { type: 'array', items: productObjectSchema },
    escrow_available: {
      type: 'boolean',
      description: 'the gateway has a delivery oracle: orders may ask for escrow',
    },
  },
} as const;

/** Most lines in one store order, and most of one product per line. */
export const maxOrderItems = 20;
export const maxItemQuantity = 99;

export interface CreateOrderBody {
  items: Array<{ product: string; quantity: number }>;
  escrow?: boolean;
}

export const createOrderBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      minItems: 1,
      maxItems: maxOrderItems,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['product', 'quantity'],
        properties: {
          product: { type: 'string', pattern: productIdPattern },
          quantity: { type: 'integer', minimum: 1, maximum: maxItemQuantity },
        },
      },
    },
    escrow: {
      type: 'boolean',
      description: "pay by an on-chain escrow released on delivery by the gateway's oracle",
    },
  },
} as const;

export interface CreateShipmentBody {
  deliver_after_seconds?: number;
}

export const createShipmentBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    deliver_after_seconds: {
      type: 'integer',
      minimum: 0,
      maximum: 2592000,
      description: 'when the sandbox carrier delivers, in seconds from now (default 30)',
    },
  },
} as const;

export const volumeQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    interval: { type: 'string', enum: ['hour', 'day'], description: 'default hour' },
    periods: { type: 'string', pattern: '^([1-9]|[1-8][0-9]|90)$', description: '1-90, default 24' },
  },
} as const;

export const volumeObjectSchema = {
  type: 'object',
  required: ['object', 'interval', 'currency', 'data'],
  properties: {
    object: { type: 'string', const: 'volume' },
    interval: { type: 'string', enum: ['hour', 'day'] },
    currency: { type: 'string', const: 'usd' },
    data: {
      type: 'array',
      items: {
        type: 'object',
        required: ['start', 'settled_count', 'settled_amount', 'refunded_amount'],
        properties: {
          start: { type: 'string', description: 'ISO 8601, UTC' },
          settled_count: { type: 'integer' },
          settled_amount: { type: 'string' },
          refunded_amount: { type: 'string' },
        },
      },
    },
  },
} as const;
