/** Public chain data: the network, an account, a transaction's status. No auth: chain data is public. */

const heightSchema = {
  type: ['string', 'null'],
  description: 'decimal string; null when no node of the shard answered',
} as const;

export const networkObjectSchema = {
  type: 'object',
  required: ['object', 'chain_id', 'address_prefix', 'shards', 'network_config'],
  properties: {
    object: { type: 'string', const: 'network' },
    chain_id: { type: 'string' },
    address_prefix: { type: 'string' },
    shards: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'height', 'validators', 'nodes_up', 'nodes'],
        properties: {
          id: { type: 'integer' },
          height: heightSchema,
          validators: { type: 'integer', description: "validators in the shard's committee" },
          nodes_up: { type: 'integer', description: 'nodes of the shard the gateway reaches now' },
          nodes: { type: 'integer', description: 'nodes of the shard the gateway is configured with' },
        },
      },
    },
    network_config: {
      type: 'object',
      additionalProperties: true,
      description:
        "the genesis in protocol's JSON form (NetworkConfigJson), as shardpay_getNetworkConfig gives it",
    },
  },
} as const;

export const accountParamsSchema = {
  type: 'object',
  required: ['address'],
  properties: { address: { type: 'string', minLength: 1, maxLength: 200, description: 'bech32m address' } },
} as const;

export const accountObjectSchema = {
  type: 'object',
  required: ['object', 'address', 'shard', 'balance', 'currency', 'nonce', 'pending_nonce', 'height'],
  properties: {
    object: { type: 'string', const: 'account' },
    address: { type: 'string' },
    shard: { type: 'integer', description: 'the home shard of the address' },
    balance: { type: 'string', description: 'decimal string, 6 decimals' },
    currency: { type: 'string', const: 'usd' },
    nonce: { type: 'string', description: 'the next nonce by committed state' },
    pending_nonce: {
      type: 'string',
      description:
        "the next nonce counting transactions waiting in the node's mempool: sign the next one with it",
    },
    height: { type: 'string', description: 'the shard height the balance was read at' },
  },
} as const;

export const transactionParamsSchema = {
  type: 'object',
  required: ['tx_id'],
  properties: {
    tx_id: { type: 'string', pattern: '^[0-9a-fA-F]{64}$', description: 'the transaction id (64 hex)' },
  },
} as const;

export const transactionObjectSchema = {
  type: 'object',
  required: ['object', 'tx_id', 'status', 'shard', 'target_shard', 'receipt_id', 'stages'],
  properties: {
    object: { type: 'string', const: 'transaction' },
    tx_id: { type: 'string' },
    status: {
      type: 'string',
      description: 'pending → final → credited (cross-shard), or refused → refunded',
    },
    shard: { type: 'integer', description: 'the shard that executed it (the sender’s)' },
    target_shard: {
      type: ['integer', 'null'],
      description: 'the shard credited, for a cross-shard transfer',
    },
    receipt_id: {
      type: ['string', 'null'],
      description:
        'the credit receipt of a cross-shard transfer (GET /v1/receipts/:shard/:receipt_id, shard = `shard`), once the target shard consumed it; null for an intra-shard one',
    },
    stages: {
      type: 'array',
      items: {
        type: 'object',
        required: ['stage', 'shard', 'height'],
        properties: {
          stage: { type: 'string' },
          shard: { type: 'integer' },
          height: { type: ['string', 'null'] },
        },
      },
    },
  },
} as const;
