/** JSON schemas shared by every resource: the error body and list parameters. */

export const errorResponseSchema = {
  $id: 'ErrorResponse',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['type', 'code', 'message', 'param', 'request_id'],
      properties: {
        type: {
          type: 'string',
          enum: [
            'invalid_request_error',
            'authentication_error',
            'card_error',
            'idempotency_error',
            'rate_limit_error',
            'api_error',
          ],
        },
        code: { type: 'string' },
        message: { type: 'string' },
        param: { type: ['string', 'null'] },
        request_id: { type: 'string' },
      },
    },
  },
} as const;

/** `limit` 1-100 as text (query strings are not coerced: bodies must not be either). */
export const listQuerySchema = (idPattern: string) =>
  ({
    type: 'object',
    additionalProperties: false,
    properties: {
      limit: { type: 'string', pattern: '^(100|[1-9][0-9]?)$', description: '1-100, default 10' },
      starting_after: { type: 'string', pattern: idPattern },
      ending_before: { type: 'string', pattern: idPattern },
    },
  }) as const;

/** Headers every POST accepts. */
export const idempotencyHeaderSchema = {
  type: 'object',
  properties: {
    'idempotency-key': { type: 'string', minLength: 1, maxLength: 255 },
  },
} as const;

export const bearerSecurity = [{ bearerAuth: [] }];
