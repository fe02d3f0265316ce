/** The merchant resource and its scoped API keys. */
import { MERCHANT_SCOPES } from '../auth/merchantAuth.ts';

export const merchantIdPattern = '^mer_[A-Za-z0-9_-]{22}$';
export const apiKeyIdPattern = '^mk_[A-Za-z0-9_-]{22}$';

export interface CreateMerchantBody {
  name: string;
  wallet: string;
}

export const createMerchantBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'wallet'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    wallet: {
      type: 'string',
      pattern: '^wal_[A-Za-z0-9_-]{22}$',
      description: 'one of your wallets: invoices are paid to its address',
    },
  },
} as const;

export const merchantObjectSchema = {
  type: 'object',
  required: ['id', 'object', 'name', 'wallet', 'address', 'created'],
  properties: {
    id: { type: 'string', pattern: '^mer_' },
    object: { type: 'string', const: 'merchant' },
    name: { type: 'string' },
    wallet: { type: 'string', pattern: '^wal_' },
    address: { type: 'string' },
    created: { type: 'integer' },
  },
} as const;

export const merchantListSchema = {
  type: 'object',
  required: ['object', 'data', 'has_more'],
  properties: {
    object: { type: 'string', const: 'list' },
    data: { type: 'array', items: merchantObjectSchema },
    has_more: { type: 'boolean' },
  },
} as const;

export interface CreateApiKeyBody {
  name: string;
  scopes: string[];
}

export const createApiKeyBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'scopes'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    scopes: {
      type: 'array',
      minItems: 1,
      maxItems: MERCHANT_SCOPES.length,
      uniqueItems: true,
      items: { type: 'string', enum: [...MERCHANT_SCOPES] },
    },
  },
} as const;

const apiKeyProperties = {
  id: { type: 'string', pattern: '^mk_' },
  object: { type: 'string', const: 'api_key' },
  merchant: { type: 'string', pattern: '^mer_' },
  name: { type: 'string' },
  scopes: { type: 'array', items: { type: 'string' } },
  last4: { type: 'string', description: 'the last 4 characters of the secret, to tell keys apart' },
  revoked: { type: ['integer', 'null'], description: 'when it was revoked (unix seconds), or null' },
  created: { type: 'integer' },
} as const;

const apiKeyRequired = ['id', 'object', 'merchant', 'name', 'scopes', 'last4', 'revoked', 'created'];

/** A key as listed: never its secret. */
export const apiKeyObjectSchema = {
  type: 'object',
  required: apiKeyRequired,
  properties: apiKeyProperties,
} as const;

/** A key just created: the only answer that carries the secret. */
export const createdApiKeySchema = {
  type: 'object',
  required: [...apiKeyRequired, 'secret'],
  properties: {
    ...apiKeyProperties,
    secret: { type: 'string', pattern: '^sk_', description: 'shown once; only its sha256 is stored' },
  },
} as const;

export const apiKeyListSchema = {
  type: 'object',
  required: ['object', 'data', 'has_more'],
  properties: {
    object: { type: 'string', const: 'list' },
    data: { type: 'array', items: apiKeyObjectSchema },
    has_more: { type: 'boolean' },
  },
} as const;
