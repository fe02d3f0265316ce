/** The public transaction relay: `POST /v1/transactions`. */

export const relayedTransactionSchema = {
  type: 'object',
  required: ['object', 'tx_id', 'shard', 'status'],
  properties: {
    object: { type: 'string', const: 'transaction' },
    tx_id: {
      type: 'string',
      description: 'the transaction id (hex); follow it with GET /v1/transactions/:tx_id',
    },
    shard: { type: 'integer', description: "the sender's shard, where it was submitted" },
    status: { type: 'string', const: 'pending' },
  },
} as const;
