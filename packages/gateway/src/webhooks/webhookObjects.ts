import { toUnixSeconds } from '../GatewayContext.ts';

/** A webhook_endpoints row as read back (the secrets are never part of its API form). */
export interface WebhookEndpointRow {
  id: string;
  seq: bigint;
  merchant_id: string;
  url: string;
  events: string[];
  description: string | null;
  status: 'enabled' | 'disabled';
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | string | null;
  created_at: Date | string;
}

export const webhookEndpointColumns =
  'id, seq, merchant_id, url, events, description, status, secret, previous_secret, previous_secret_expires_at, created_at';

/** `{id, object: "webhook_endpoint", url, events, description, status, created}`. */
export function webhookEndpointToJson(row: WebhookEndpointRow) {
  return {
    id: row.id,
    object: 'webhook_endpoint' as const,
    url: row.url,
    events: row.events,
    description: row.description,
    status: row.status,
    created: toUnixSeconds(new Date(row.created_at)),
  };
}

export interface WebhookDeliveryRow {
  id: string;
  seq: bigint;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: 'pending' | 'delivering' | 'succeeded' | 'failed';
  attempts: number;
  next_attempt_at: Date | string | null;
  created_at: Date | string;
  last_status_code: number | null;
  last_error: string | null;
}

export const webhookDeliveryColumns =
  'd.id, d.seq, d.endpoint_id, d.event_id, e.type AS event_type, d.status, d.attempts, d.next_attempt_at, d.created_at, d.last_status_code, d.last_error';

/** The FROM clause `webhookDeliveryColumns` reads. */
export const webhookDeliveryFrom = 'webhook_deliveries d JOIN events e ON e.id = d.event_id';

export interface WebhookAttemptRow {
  id: string;
  delivery_id: string;
  at: Date | string;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_body: string | null;
  next_attempt_at: Date | string | null;
}

export const webhookAttemptColumns =
  'id, delivery_id, at, duration_ms, status_code, error, response_body, next_attempt_at';

const timeOrNull = (value: Date | string | null) => (value === null ? null : toUnixSeconds(new Date(value)));

export function webhookAttemptToJson(row: WebhookAttemptRow) {
  return {
    id: row.id,
    object: 'webhook_attempt' as const,
    created: toUnixSeconds(new Date(row.at)),
    duration_ms: row.duration_ms,
    status_code: row.status_code,
    error: row.error,
    response_body: row.response_body,
    next_attempt_at: timeOrNull(row.next_attempt_at),
  };
}

/** `{id, object: "webhook_delivery", endpoint, event, event_type, status, attempts, …, attempt_log}`. */
export function webhookDeliveryToJson(row: WebhookDeliveryRow, attempts: WebhookAttemptRow[]) {
  return {
    id: row.id,
    object: 'webhook_delivery' as const,
    endpoint: row.endpoint_id,
    event: row.event_id,
    event_type: row.event_type,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at:
      row.status === 'pending' || row.status === 'delivering' ? timeOrNull(row.next_attempt_at) : null,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    created: toUnixSeconds(new Date(row.created_at)),
    attempt_log: attempts.map(webhookAttemptToJson),
  };
}
