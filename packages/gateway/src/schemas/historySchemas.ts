/** The on-chain history of an address: indexed transactions and cross-shard credits. */

export const chainTransactionObjectSchema = {
  type: 'object',
  required: [
    'object',
    'tx_id',
    'shard',
    'height',
    'position',
    'timestamp',
    'operation',
    'direction',
    'from',
    'to',
    'amount',
    'fee',
    'currency',
    'status',
    'target_shard',
  ],
  properties: {
    object: { type: 'string', const: 'chain_transaction' },
    tx_id: { type: 'string' },
    shard: {
      type: 'integer',
      description:
        "the shard of the block this entry is in: the source's, or the target's for a cross-shard credit",
    },
    height: { type: 'string' },
    position: {
      type: 'integer',
      description: 'place in the block: among its transactions, or among its consumed receipts for a credit',
    },
    timestamp: { type: 'integer', description: 'unix seconds of the block' },
    operation: {
      type: 'string',
      enum: [
        'transfer',
        'pay',
        'mint',
        'burn',
        'escrow_lock',
        'escrow_release',
        'escrow_refund',
        'escrow_dispute',
        'escrow_settle',
        'timelock_create',
        'timelock_claim',
        'timelock_cancel',
        'multisig_create',
        'multisig_execute',
        'multisig_update',
        'issuer_control',
      ],
      description:
        'a multisig_execute is shown as sent from the multisig account; escrow and time-lock actions name no counterparty (amount 0)',
    },
    direction: { type: 'string', enum: ['sent', 'received', 'self'] },
    from: { type: 'string' },
    to: { type: ['string', 'null'] },
    amount: { type: 'string', description: 'decimal string, 6 decimals' },
    fee: {
      type: 'string',
      description: "the sender's fee (0.000000 while a credit's source block is not indexed)",
    },
    currency: { type: 'string', const: 'usd' },
    status: {
      type: 'string',
      enum: ['final', 'credited', 'refunded', 'pending_credit'],
      description: 'final (one shard), or pending_credit → credited / refunded across shards',
    },
    target_shard: {
      type: ['integer', 'null'],
      description: 'the shard credited, for a cross-shard transaction',
    },
  },
} as const;

export const chainTransactionListSchema = {
  type: 'object',
  required: ['object', 'data', 'has_more'],
  properties: {
    object: { type: 'string', const: 'list' },
    data: { type: 'array', items: chainTransactionObjectSchema },
    has_more: { type: 'boolean' },
  },
} as const;

/** `limit`, and a `tx_id` of the list as cursor. */
export const historyQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'string', pattern: '^(100|[1-9][0-9]?)$', description: '1-100, default 10' },
    starting_after: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'a tx_id of the list' },
    ending_before: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'a tx_id of the list' },
  },
} as const;

export interface HistoryQuery {
  limit?: string;
  starting_after?: string;
  ending_before?: string;
}
