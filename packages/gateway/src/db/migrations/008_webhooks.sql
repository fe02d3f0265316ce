-- Webhooks (docs/gateway.md "Webhooks"): a merchant's endpoints, one delivery per (endpoint, event),
-- and the log of every attempt. Deliveries are durable rows driven by the webhook sender on every
-- replica (claimed with FOR UPDATE SKIP LOCKED and a lease), so a crashed replica's work is resumed.

CREATE TABLE webhook_endpoints (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  merchant_id text NOT NULL REFERENCES merchants (id),
  url text NOT NULL,
  -- Event types delivered, or {'*'} for all of them.
  events text[] NOT NULL,
  description text,
  status text NOT NULL CHECK (status IN ('enabled', 'disabled')),
  -- Kept in clear: the gateway signs with it. Only the creation / rotation response shows it.
  secret text NOT NULL,
  -- During a rotation, the previous secret still signs (a second v1=) until previous_secret_expires_at.
  previous_secret text,
  previous_secret_expires_at timestamptz,
  -- Only events above this seq are delivered (the newest event when the endpoint was created).
  after_seq bigint NOT NULL,
  created_at timestamptz NOT NULL,
  disabled_at timestamptz
);
CREATE INDEX webhook_endpoints_merchant ON webhook_endpoints (merchant_id, seq);

-- Where the fan-out stands in the events table (one row): moved in the transaction that creates the
-- deliveries of the events it passes, so every merchant event is fanned out exactly once.
CREATE TABLE webhook_fanout_cursor (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  last_seq bigint NOT NULL
);
INSERT INTO webhook_fanout_cursor (id, last_seq) VALUES (true, 0);

CREATE TABLE webhook_deliveries (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  endpoint_id text NOT NULL REFERENCES webhook_endpoints (id),
  event_id text NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  status text NOT NULL CHECK (status IN ('pending', 'delivering', 'succeeded', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  lease_owner text,
  lease_until timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  last_status_code integer,
  last_error text,
  UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_endpoint_seq ON webhook_deliveries (endpoint_id, seq);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_leased ON webhook_deliveries (lease_until) WHERE status = 'delivering';

-- The delivery log: one row per HTTP attempt (or per attempt that got no answer).
CREATE TABLE webhook_attempts (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  delivery_id text NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  duration_ms integer NOT NULL,
  status_code integer,
  error text,
  -- The first 1 KiB of the response body.
  response_body text,
  -- When the next attempt was scheduled by this one (null: succeeded, or given up).
  next_attempt_at timestamptz
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, seq);
