/** The user resource: sign-up body and the user object. */

const emailSchema = {
  type: 'string',
  minLength: 3,
  maxLength: 254,
  pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
};
const passwordSchema = { type: 'string', minLength: 10, maxLength: 256 };

export const userObjectSchema = {
  type: 'object',
  required: ['id', 'object', 'email', 'created'],
  properties: {
    id: { type: 'string', pattern: '^usr_' },
    object: { type: 'string', const: 'user' },
    email: { type: 'string' },
    created: { type: 'integer', description: 'unix seconds' },
  },
} as const;

export const createUserBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'password'],
  properties: { email: emailSchema, password: passwordSchema },
} as const;

export interface CreateUserBody {
  email: string;
  password: string;
}

export const createSessionBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'password'],
  properties: { email: emailSchema, password: { type: 'string', minLength: 1, maxLength: 256 } },
} as const;

export type CreateSessionBody = CreateUserBody;

export const refreshSessionBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['refresh_token'],
  properties: { refresh_token: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

export interface RefreshSessionBody {
  refresh_token: string;
}

export const sessionObjectSchema = {
  type: 'object',
  required: [
    'id',
    'object',
    'user_id',
    'token_type',
    'access_token',
    'expires_at',
    'refresh_token',
    'refresh_token_expires_at',
  ],
  properties: {
    id: { type: 'string', pattern: '^ses_' },
    object: { type: 'string', const: 'session' },
    user_id: { type: 'string' },
    token_type: { type: 'string', const: 'Bearer' },
    access_token: { type: 'string' },
    expires_at: { type: 'integer', description: 'unix seconds' },
    refresh_token: { type: 'string' },
    refresh_token_expires_at: { type: 'integer' },
  },
} as const;
