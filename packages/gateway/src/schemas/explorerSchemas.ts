/** The explorer and network view: blocks, proofs, receipts, stats. No auth: chain data is public. */

const protocolJson = (description: string) =>
  ({ type: 'object', additionalProperties: true, description }) as const;

const shardParam = {
  type: 'string',
  pattern: '^[0-9]{1,9}$',
  description: 'a shard id of the genesis (decimal)',
} as const;

export const shardParamsSchema = {
  type: 'object',
  required: ['shard'],
  properties: { shard: shardParam },
} as const;

export const blockParamsSchema = {
  type: 'object',
  required: ['shard', 'height'],
  properties: {
    shard: shardParam,
    height: {
      type: 'string',
      pattern: '^(latest|[0-9]{1,20})$',
      description: 'a height (decimal) or `latest`',
    },
  },
} as const;

export const blockListQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'string', pattern: '^(50|[1-4][0-9]|[1-9])$', description: '1-50, default 20' },
    before: {
      type: 'string',
      pattern: '^[0-9]{1,20}$',
      description: 'only blocks below this height (decimal): the next page is `before` = the last height',
    },
  },
} as const;

export const accountProofParamsSchema = {
  type: 'object',
  required: ['address'],
  properties: { address: { type: 'string', minLength: 1, maxLength: 200, description: 'bech32m address' } },
} as const;

export const receiptParamsSchema = {
  type: 'object',
  required: ['shard', 'receipt_id'],
  properties: {
    shard: { ...shardParam, description: 'the shard that emitted the receipt (its source shard)' },
    receipt_id: { type: 'string', pattern: '^[0-9a-fA-F]{64}$', description: 'the receipt id (64 hex)' },
  },
} as const;

const blockSummaryProperties = {
  object: { type: 'string', const: 'block' },
  shard: { type: 'integer' },
  height: { type: 'string' },
  hash: { type: 'string', description: "the header's id (64 hex), which the certificate signs" },
  time: { type: 'string', format: 'date-time', description: "the header's timestamp" },
  proposer: { type: 'integer', description: 'committee index of the validator that built the block' },
  tx_count: { type: 'integer' },
  receipt_count: {
    type: 'integer',
    description:
      'outgoing receipts: in a list, the cross-shard credits the block emitted; in a block’s detail, also its refunds',
  },
} as const;
const blockSummaryRequired = [
  'object',
  'shard',
  'height',
  'hash',
  'time',
  'proposer',
  'tx_count',
  'receipt_count',
] as const;

export const blockListSchema = {
  type: 'object',
  required: ['object', 'data', 'has_more'],
  properties: {
    object: { type: 'string', const: 'list' },
    data: {
      type: 'array',
      items: { type: 'object', required: blockSummaryRequired, properties: blockSummaryProperties },
    },
    has_more: { type: 'boolean' },
  },
} as const;

export const blockObjectSchema = {
  type: 'object',
  required: [
    ...blockSummaryRequired,
    'parent_hash',
    'state_root',
    'transactions',
    'receipts',
    'header',
    'certificate',
  ],
  properties: {
    ...blockSummaryProperties,
    parent_hash: { type: 'string' },
    state_root: { type: 'string' },
    transactions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['tx_id', 'op', 'from', 'to', 'amount', 'payment_id'],
        properties: {
          tx_id: { type: 'string' },
          op: { type: 'string', description: 'the operation: transfer, pay, mint, burn, escrow_lock…' },
          from: { type: 'string' },
          to: { type: ['string', 'null'] },
          amount: { type: ['string', 'null'], description: 'decimal string, 6 decimals' },
          payment_id: { type: ['string', 'null'] },
        },
      },
    },
    receipts: {
      type: 'array',
      description: 'the outgoing receipts the indexer has seen consumed on their target shard so far',
      items: {
        type: 'object',
        required: ['receipt_id', 'to', 'amount', 'target_shard'],
        properties: {
          receipt_id: { type: 'string' },
          to: { type: 'string' },
          amount: { type: 'string' },
          target_shard: { type: 'integer' },
        },
      },
    },
    header: protocolJson('the block header in protocol JSON (BlockHeaderJson)'),
    certificate: protocolJson('its commit certificate in protocol JSON (CommitCertificateJson)'),
  },
} as const;

export const accountProofObjectSchema = {
  type: 'object',
  required: ['object', 'address', 'shard', 'balance', 'nonce', 'height', 'proof', 'header', 'certificate'],
  properties: {
    object: { type: 'string', const: 'account_proof' },
    address: { type: 'string' },
    shard: { type: 'integer' },
    balance: { type: 'string', description: 'decimal string, 6 decimals' },
    nonce: { type: 'string' },
    height: { type: 'string' },
    proof: { type: 'string', description: "hex of ledger's encodeAccountProof, against header.stateRoot" },
    header: protocolJson('the header of `height` in protocol JSON'),
    certificate: protocolJson('the commit certificate of `height` in protocol JSON'),
  },
} as const;

export const receiptProofObjectSchema = {
  type: 'object',
  required: ['object', 'shard', 'receipt_id', 'height', 'receipt', 'proof', 'header', 'certificate'],
  properties: {
    object: { type: 'string', const: 'receipt_proof' },
    shard: { type: 'integer', description: 'the source shard' },
    receipt_id: { type: 'string' },
    height: { type: 'string', description: 'the source block that emitted it' },
    receipt: protocolJson('the receipt in protocol JSON (ReceiptJson)'),
    proof: protocolJson('the Merkle inclusion proof against header.receiptsRoot (MerkleProofJson)'),
    header: protocolJson('the source block header in protocol JSON'),
    certificate: protocolJson('its commit certificate in protocol JSON'),
  },
} as const;

export const networkStatsObjectSchema = {
  type: 'object',
  required: ['object', 'window_seconds', 'shards'],
  properties: {
    object: { type: 'string', const: 'network_stats' },
    window_seconds: { type: 'integer' },
    shards: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'height', 'tx_per_second', 'blocks'],
        properties: {
          id: { type: 'integer' },
          height: { type: 'string' },
          tx_per_second: { type: 'string', description: 'finalized transactions per second over the window' },
          blocks: {
            type: 'array',
            description: 'the latest blocks (at most 30), newest first',
            items: {
              type: 'object',
              required: ['height', 'time', 'tx_count', 'interval_ms'],
              properties: {
                height: { type: 'string' },
                time: { type: 'string', format: 'date-time' },
                tx_count: { type: 'integer' },
                interval_ms: {
                  type: ['integer', 'null'],
                  description: "ms since the parent block (null for height 1's)",
                },
              },
            },
          },
        },
      },
    },
  },
} as const;
