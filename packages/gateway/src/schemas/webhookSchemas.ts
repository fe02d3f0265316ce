/** JSON schemas of the webhook resources: endpoints, deliveries and their attempt log. */

export const webhookEndpointIdPattern = '^we_[A-Za-z0-9_-]{22}$';
export const webhookDeliveryIdPattern = '^whd_[A-Za-z0-9_-]{22}$';

const nullableString = { type: ['string', 'null'] } as const;
const nullableInteger = { type: ['integer', 'null'] } as const;

/** `*` (every event) or event types such as `invoice.settled`. */
const eventTypesSchema = {
  type: 'array',
  minItems: 1,
  maxItems: 50,
  uniqueItems: true,
  items: { type: 'string', pattern: '^(\\*|[a-z][a-z_]*(\\.[a-z][a-z_]*)+)$', maxLength: 100 },
  description: '["*"] for every event, or the event types to deliver (e.g. "invoice.settled")',
} as const;

export interface CreateWebhookEndpointBody {
  url: string;
  events: string[];
  description?: string;
}

export const createWebhookEndpointBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url', 'events'],
  properties: {
    url: {
      type: 'string',
      minLength: 1,
      maxLength: 4096,
      description: 'https (http too in devnet/test modes), no credentials, at most 2048 characters',
    },
    events: eventTypesSchema,
    description: { type: 'string', maxLength: 500 },
  },
} as const;

export interface RotateWebhookSecretBody {
  expires_in?: number;
}

export const rotateWebhookSecretBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    expires_in: {
      type: 'integer',
      minimum: 0,
      maximum: 604_800,
      description: 'seconds the old secret keeps signing (a second v1=); default 86400, at most 7 days',
    },
  },
} as const;

const webhookEndpointProperties = {
  id: { type: 'string', pattern: '^we_' },
  object: { type: 'string', const: 'webhook_endpoint' },
  url: { type: 'string' },
  events: { type: 'array', items: { type: 'string' } },
  description: nullableString,
  status: { type: 'string', enum: ['enabled', 'disabled'] },
  created: { type: 'integer' },
} as const;

const webhookEndpointRequired = ['id', 'object', 'url', 'events', 'description', 'status', 'created'];

export const webhookEndpointObjectSchema = {
  type: 'object',
  required: webhookEndpointRequired,
  properties: webhookEndpointProperties,
} as const;

/** The endpoint with its signing secret: only the creation and rotation responses carry it. */
export const webhookEndpointWithSecretSchema = {
  type: 'object',
  required: [...webhookEndpointRequired, 'secret'],
  properties: {
    ...webhookEndpointProperties,
    secret: { type: 'string', pattern: '^whsec_' },
    previous_secret_expires: { ...nullableInteger, description: 'unix seconds the old secret signs until' },
  },
} as const;

export const webhookEndpointListSchema = {
  type: 'object',
  required: ['object', 'data', 'has_more'],
  properties: {
    object: { type: 'string', const: 'list' },
    data: { type: 'array', items: webhookEndpointObjectSchema },
    has_more: { type: 'boolean' },
  },
} as const;

const webhookAttemptObjectSchema = {
  type: 'object',
  required: [
    'id',
    'object',
    'created',
    'duration_ms',
    'status_code',
    'error',
    'response_body',
    'next_attempt_at',
  ],
  properties: {
    id: { type: 'string', pattern: '^wha_' },
    object: { type: 'string', const: 'webhook_attempt' },
    created: { type: 'integer' },
    duration_ms: { type: 'integer' },
    status_code: nullableInteger,
    error: { ...nullableString, description: 'why there was no HTTP answer (econnrefused, timeout…)' },
    response_body: { ...nullableString, description: "the first 1 KiB of the receiver's answer" },
    next_attempt_at: { ...nullableInteger, description: 'when this attempt scheduled the next one' },
  },
} as const;

export const webhookDeliveryObjectSchema = {
  type: 'object',
  required: [
    'id',
    'object',
    'endpoint',
    'event',
    'event_type',
    'status',
    'attempts',
    'next_attempt_at',
    'last_status_code',
    'last_error',
    'created',
    'attempt_log',
  ],
  properties: {
    id: { type: 'string', pattern: '^whd_' },
    object: { type: 'string', const: 'webhook_delivery' },
    endpoint: { type: 'string', pattern: '^we_' },
    event: { type: 'string', pattern: '^evt_' },
    event_type: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'delivering', 'succeeded', 'failed'] },
    attempts: { type: 'integer' },
    next_attempt_at: nullableInteger,
    last_status_code: nullableInteger,
    last_error: nullableString,
    created: { type: 'integer' },
    attempt_log: { type: 'array', items: webhookAttemptObjectSchema, description: 'oldest first' },
  },
} as const;

export const webhookDeliveryListSchema = {
  type: 'object',
  required: ['object', 'data', 'has_more'],
  properties: {
    object: { type: 'string', const: 'list' },
    data: { type: 'array', items: webhookDeliveryObjectSchema },
    has_more: { type: 'boolean' },
  },
} as const;
