/**
 * JSON schemas shared by the routes. Ajv runs with `removeAdditional: false` and
 * `coerceTypes: false`: unknown fields are refused (`parameter_unknown`) and a number is never
 * silently taken for a string. `fiat-amount` is a format registered in buildBankApp.
 */
export const fiatAmountSchema = { type: 'string', maxLength: 32, format: 'fiat-amount' } as const;

export const currencySchema = { type: 'string', enum: ['usd'] } as const;

/** Stripe's limits: up to 50 keys of at most 40 characters, values of at most 500. */
export const metadataSchema = {
  type: 'object',
  maxProperties: 50,
  propertyNames: { maxLength: 40, minLength: 1 },
  additionalProperties: { type: 'string', maxLength: 500 },
} as const;

export const descriptionSchema = { type: 'string', maxLength: 1000 } as const;

export const idParamsSchema = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

export const listQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'string', pattern: '^([1-9]|[1-9][0-9]|100)$' },
    starting_after: { type: 'string', minLength: 1, maxLength: 64 },
    ending_before: { type: 'string', minLength: 1, maxLength: 64 },
  },
} as const;

/** The body of a POST that takes no parameters: absent, or an empty object. */
export const emptyBodySchema = { type: 'object', additionalProperties: false, properties: {} } as const;
