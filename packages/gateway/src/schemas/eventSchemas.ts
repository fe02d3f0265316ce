/** The event resource: something that happened to a user's objects (payments, incoming transfers). */

export const eventObjectSchema = {
  type: 'object',
  required: ['id', 'object', 'type', 'created', 'data'],
  properties: {
    id: { type: 'string', pattern: '^evt_' },
    object: { type: 'string', const: 'event' },
    type: {
      type: 'string',
      enum: ['payment.created', 'payment.updated', 'transfer.received', 'cashout.refunded'],
    },
    created: { type: 'integer' },
    data: {
      type: 'object',
      additionalProperties: true,
      description:
        'payment.*: the payment object; transfer.received: an incoming_transfer object; cashout.refunded: the cash-out',
    },
  },
} as const;

export const eventListSchema = {
  type: 'object',
  required: ['object', 'data', 'has_more'],
  properties: {
    object: { type: 'string', const: 'list' },
    data: { type: 'array', items: eventObjectSchema },
    has_more: { type: 'boolean' },
  },
} as const;
