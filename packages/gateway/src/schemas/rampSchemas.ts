/** JSON schemas of the money-in/money-out resources: purchases, cash-outs, reserves, audit. */

const amountSchema = {
  type: 'string',
  pattern: '^(0|[1-9][0-9]{0,8})(\\.[0-9]{1,6})?$',
  description: 'USD, at most 2 decimals that are not zero (cents), e.g. "100.00"',
} as const;
const nullableString = { type: ['string', 'null'] } as const;
const walletIdSchema = { type: 'string', pattern: '^wal_[A-Za-z0-9_-]{22}$' } as const;

export const purchaseIdPattern = '^pur_[A-Za-z0-9_-]{22}$';
export const cashoutIdPattern = '^co_[A-Za-z0-9_-]{22}$';

export interface CreatePurchaseBody {
  wallet: string;
  amount: string;
  card: { number: string; exp_month: number; exp_year: number; cvc: string };
}

export const createPurchaseBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['wallet', 'amount', 'card'],
  properties: {
    wallet: walletIdSchema,
    amount: amountSchema,
    card: {
      type: 'object',
      additionalProperties: false,
      required: ['number', 'exp_month', 'exp_year', 'cvc'],
      description: 'Sent to the bank to authorize, never stored or logged (only brand and last 4 are kept)',
      properties: {
        number: { type: 'string', pattern: '^[0-9 ]{12,23}$' },
        exp_month: { type: 'integer', minimum: 1, maximum: 12 },
        exp_year: { type: 'integer', minimum: 2000, maximum: 2100 },
        cvc: { type: 'string', pattern: '^[0-9]{1,8}$' },
      },
    },
  },
} as const;

export const confirmPurchaseBodySchema = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    fail: { type: 'boolean', description: 'sandbox: simulate a failed 3-D Secure challenge' },
  },
} as const;

export const purchaseObjectSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    object: { type: 'string', enum: ['purchase'] },
    status: {
      type: 'string',
      enum: [
        'created',
        'requires_action',
        'authorized',
        'minting',
        'minted',
        'succeeded',
        'voiding',
        'failed',
      ],
    },
    amount: { type: 'string' },
    currency: { type: 'string' },
    wallet: { type: 'string' },
    address: { type: 'string' },
    charge: nullableString,
    tx: nullableString,
    card: {
      type: ['object', 'null'],
      properties: { brand: { type: 'string' }, last4: { type: 'string' } },
    },
    next_action: { type: ['object', 'null'], properties: { type: { type: 'string' } } },
    failure_code: nullableString,
    failure_message: nullableString,
    created: { type: 'integer' },
  },
} as const;

export const purchaseListSchema = {
  type: 'object',
  properties: {
    object: { type: 'string', enum: ['list'] },
    data: { type: 'array', items: purchaseObjectSchema },
    has_more: { type: 'boolean' },
  },
} as const;

export interface CreateCashoutBody {
  wallet: string;
  amount: string;
  bank_account: { routing_number: string; account_number: string };
}

export const createCashoutBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['wallet', 'amount', 'bank_account'],
  properties: {
    wallet: walletIdSchema,
    amount: amountSchema,
    bank_account: {
      type: 'object',
      additionalProperties: false,
      required: ['routing_number', 'account_number'],
      properties: {
        routing_number: { type: 'string', pattern: '^[0-9]{9}$' },
        account_number: { type: 'string', pattern: '^[0-9]{4,17}$' },
      },
    },
  },
} as const;

export const burnCashoutBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['transaction'],
  properties: {
    transaction: {
      type: 'string',
      pattern: '^[0-9a-f]+$',
      maxLength: 4096,
      description:
        'hex of a client-signed burn whose payoutReference is the cash-out id and amount its amount',
    },
  },
} as const;

export const cashoutObjectSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    object: { type: 'string', enum: ['cashout'] },
    status: {
      type: 'string',
      enum: ['awaiting_burn', 'burning', 'burned', 'paying_out', 'paid', 'refunding', 'refunded'],
    },
    amount: { type: 'string' },
    currency: { type: 'string' },
    wallet: { type: 'string' },
    address: { type: 'string' },
    payout_reference: { type: 'string' },
    bank_account: {
      type: 'object',
      properties: { routing_number: { type: 'string' }, last4: { type: 'string' } },
    },
    burn_tx: nullableString,
    payout: nullableString,
    refund_tx: nullableString,
    failure_code: nullableString,
    failure_message: nullableString,
    created: { type: 'integer' },
  },
} as const;

export const cashoutListSchema = {
  type: 'object',
  properties: {
    object: { type: 'string', enum: ['list'] },
    data: { type: 'array', items: cashoutObjectSchema },
    has_more: { type: 'boolean' },
  },
} as const;

export const reservesObjectSchema = {
  type: 'object',
  properties: {
    object: { type: 'string', enum: ['reserves'] },
    supply: { type: 'string' },
    reserve: { type: 'string' },
    matches: { type: 'boolean' },
    difference: { type: 'string' },
    currency: { type: 'string' },
    in_flight: {
      type: 'object',
      properties: { awaiting_capture: { type: 'string' }, awaiting_payout: { type: 'string' } },
    },
    genesis_supply: { type: 'string' },
    shards: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          height: { type: 'string' },
          minted: { type: 'string' },
          burned: { type: 'string' },
          outstanding: { type: 'string' },
        },
      },
    },
    bank: {
      type: 'object',
      properties: {
        available: { type: 'string' },
        pending_payouts: { type: 'string' },
        as_of: { type: 'integer' },
      },
    },
  },
} as const;

export const auditVerificationSchema = {
  type: 'object',
  properties: {
    object: { type: 'string', enum: ['audit_verification'] },
    valid: { type: 'boolean' },
    rows: { type: 'integer' },
    head: { type: 'string' },
    first_bad: {
      type: ['object', 'null'],
      properties: { seq: { type: 'string' }, reason: { type: 'string' } },
    },
  },
} as const;
