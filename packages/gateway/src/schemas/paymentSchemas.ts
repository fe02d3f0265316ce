/** The payment resource: a client-signed transaction and its status on the chain. */

export const createPaymentBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['transaction'],
  properties: {
    transaction: {
      type: 'string',
      pattern: '^[0-9a-f]{2,8192}$',
      description: 'hex of the canonical encoding of a transaction signed by the client',
    },
  },
} as const;

export interface CreatePaymentBody {
  transaction: string;
}

export const paymentObjectSchema = {
  type: 'object',
  required: [
    'id',
    'object',
    'wallet',
    'tx_id',
    'shard',
    'operation',
    'from',
    'to',
    'amount',
    'fee',
    'currency',
    'status',
    'created',
  ],
  properties: {
    id: { type: 'string', pattern: '^pay_' },
    object: { type: 'string', const: 'payment' },
    wallet: { type: 'string', pattern: '^wal_' },
    tx_id: { type: 'string' },
    shard: { type: 'integer' },
    operation: { type: 'string', enum: ['transfer', 'pay', 'burn'] },
    from: { type: 'string' },
    to: { type: ['string', 'null'] },
    amount: { type: 'string', description: 'decimal string, 6 decimals' },
    fee: { type: 'string' },
    currency: { type: 'string', const: 'usd' },
    status: {
      type: 'string',
      description: 'as the chain reports it: pending → final → credited (cross-shard), or refunded',
    },
    created: { type: 'integer' },
  },
} as const;

export const paymentListSchema = {
  type: 'object',
  required: ['object', 'data', 'has_more'],
  properties: {
    object: { type: 'string', const: 'list' },
    data: { type: 'array', items: paymentObjectSchema },
    has_more: { type: 'boolean' },
  },
} as const;

export const balanceObjectSchema = {
  type: 'object',
  required: ['object', 'wallet', 'address', 'shard', 'available', 'currency', 'nonce', 'height'],
  properties: {
    object: { type: 'string', const: 'balance' },
    wallet: { type: 'string' },
    address: { type: 'string' },
    shard: { type: 'integer' },
    available: { type: 'string', description: 'decimal string, 6 decimals' },
    currency: { type: 'string', const: 'usd' },
    nonce: { type: 'string', description: 'the next nonce to sign with, as the node last committed it' },
    height: { type: 'string', description: 'the shard height the balance was read at' },
  },
} as const;
