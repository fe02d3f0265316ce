/** The wallet resource: registration challenge, registration body, the wallet object. */

export const walletChallengeObjectSchema = {
  type: 'object',
  required: ['id', 'object', 'message', 'expires_at'],
  properties: {
    id: { type: 'string', pattern: '^wch_' },
    object: { type: 'string', const: 'wallet_challenge' },
    message: { type: 'string', description: 'sign domainHash(WALLET_CHALLENGE_DOMAIN, utf8(message))' },
    expires_at: { type: 'integer' },
  },
} as const;

const hex = (bytes: number) => ({ type: 'string', pattern: `^[0-9a-f]{${bytes * 2}}$` });
const hexAtMost = (bytes: number) => ({ type: 'string', pattern: `^[0-9a-f]{2,${bytes * 2}}$` });

/** The shape of @shardpay/crypto's Keystore: checked, stored as given, never decrypted. */
export const keystoreSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'kind', 'kdf', 'cipher', 'ciphertext'],
  properties: {
    version: { type: 'integer', const: 1 },
    kind: { type: 'string', enum: ['mnemonic', 'privateKey'] },
    address: { type: 'string', minLength: 1, maxLength: 128 },
    kdf: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'n', 'r', 'p', 'salt'],
      properties: {
        name: { type: 'string', const: 'scrypt' },
        n: { type: 'integer', minimum: 2, maximum: 1048576 },
        r: { type: 'integer', minimum: 1, maximum: 32 },
        p: { type: 'integer', minimum: 1, maximum: 16 },
        salt: hex(32),
      },
    },
    cipher: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'iv', 'tag'],
      properties: { name: { type: 'string', const: 'aes-256-gcm' }, iv: hex(12), tag: hex(16) },
    },
    ciphertext: hexAtMost(2048),
  },
} as const;

export const createWalletBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['address', 'public_key', 'challenge_id', 'signature'],
  properties: {
    address: { type: 'string', minLength: 1, maxLength: 90 },
    public_key: { ...hex(33), description: 'compressed secp256k1 public key, hex' },
    label: { type: 'string', minLength: 1, maxLength: 100 },
    challenge_id: { type: 'string', pattern: '^wch_[A-Za-z0-9_-]{22}$' },
    signature: { ...hex(64), description: '64-byte compact ECDSA signature, hex' },
    keystore: keystoreSchema,
  },
} as const;

export interface CreateWalletBody {
  address: string;
  public_key: string;
  label?: string;
  challenge_id: string;
  signature: string;
  keystore?: Record<string, unknown>;
}

export const walletObjectSchema = {
  type: 'object',
  required: ['id', 'object', 'address', 'public_key', 'label', 'has_keystore', 'created'],
  properties: {
    id: { type: 'string', pattern: '^wal_' },
    object: { type: 'string', const: 'wallet' },
    address: { type: 'string' },
    public_key: { type: 'string' },
    label: { type: ['string', 'null'] },
    has_keystore: { type: 'boolean' },
    keystore: { anyOf: [keystoreSchema, { type: 'null' }] },
    created: { type: 'integer' },
  },
} as const;

export const walletListSchema = {
  type: 'object',
  required: ['object', 'data', 'has_more'],
  properties: {
    object: { type: 'string', const: 'list' },
    data: { type: 'array', items: walletObjectSchema },
    has_more: { type: 'boolean' },
  },
} as const;
