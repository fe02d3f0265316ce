/** The devnet faucet: free test money, signed by the faucet key of the receiver's home shard. */

/** The most one faucet request gives, in dollars. */
export const FAUCET_MAX_AMOUNT = '10000.000000';

export const faucetBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['address', 'amount'],
  properties: {
    address: { type: 'string', minLength: 1, maxLength: 200, description: 'bech32m address to fund' },
    amount: {
      type: 'string',
      maxLength: 40,
      description: `decimal string, above 0 and at most ${FAUCET_MAX_AMOUNT}, up to 6 decimals`,
    },
  },
} as const;

export interface FaucetBody {
  address: string;
  amount: string;
}

export const faucetTransferSchema = {
  type: 'object',
  required: ['object', 'tx_id', 'shard', 'to', 'amount', 'currency', 'status'],
  properties: {
    object: { type: 'string', const: 'faucet_transfer' },
    tx_id: { type: 'string' },
    shard: { type: 'integer' },
    to: { type: 'string' },
    amount: { type: 'string', description: 'decimal string, 6 decimals' },
    currency: { type: 'string', const: 'usd' },
    status: { type: 'string', const: 'pending' },
  },
} as const;
