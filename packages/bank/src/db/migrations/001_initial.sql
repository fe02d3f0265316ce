-- The bank and card sandbox. Amounts are bigint cents (fiat has 2 decimals).

-- A stored response per Idempotency-Key: written in the same transaction as the request's own
-- changes. request_hash is an HMAC (the body holds card numbers: a plain hash could be reversed).
CREATE TABLE idempotency_keys (
  key text PRIMARY KEY,
  request_hash text NOT NULL,
  response_status integer NOT NULL,
  response_body text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- A card authorization. Only the card's brand, last 4 digits and expiry are kept.
CREATE TABLE payment_intents (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL,
  status text NOT NULL CHECK (status IN
    ('requires_action', 'requires_capture', 'requires_payment_method', 'succeeded', 'canceled')),
  capture_method text NOT NULL CHECK (capture_method IN ('manual', 'automatic')),
  card_brand text NOT NULL,
  card_last4 text NOT NULL,
  card_exp_month integer NOT NULL,
  card_exp_year integer NOT NULL,
  description text,
  metadata jsonb NOT NULL,
  amount_received bigint NOT NULL DEFAULT 0,
  amount_refunded bigint NOT NULL DEFAULT 0 CHECK (amount_refunded >= 0 AND amount_refunded <= amount_received),
  last_payment_error jsonb,
  cancellation_reason text,
  created_at timestamptz NOT NULL,
  captured_at timestamptz,
  canceled_at timestamptz
);

CREATE TABLE refunds (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  payment_intent_id text NOT NULL REFERENCES payment_intents (id),
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL,
  reason text,
  metadata jsonb NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX refunds_payment_intent ON refunds (payment_intent_id);

-- A payout to a test bank account. failure_code_planned is the receiving bank's answer, known
-- from the test account number; it is applied when the payout settles (settle_at).
CREATE TABLE payouts (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL,
  routing_number text NOT NULL,
  account_last4 text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'paid', 'failed')),
  failure_code_planned text,
  failure_code text,
  failure_message text,
  description text,
  metadata jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  settle_at timestamptz NOT NULL,
  settled_at timestamptz
);
CREATE INDEX payouts_pending ON payouts (settle_at) WHERE status = 'pending';

-- How many times a flaky test account's payout was tried, per Idempotency-Key.
CREATE TABLE payout_attempts (
  key text PRIMARY KEY,
  attempts integer NOT NULL,
  created_at timestamptz NOT NULL
);

-- The reserve account's ledger: append-only; the reserve balance is the sum of its amounts
-- (signed cents), and balance_after is that running sum, never below zero.
CREATE TABLE reserve_transactions (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  type text NOT NULL CHECK (type IN ('capture', 'refund', 'payout', 'payout_reversal')),
  amount bigint NOT NULL CHECK (amount <> 0),
  balance_after bigint NOT NULL CHECK (balance_after >= 0),
  source text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE FUNCTION reserve_transactions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'reserve_transactions is append-only';
END;
$$;
CREATE TRIGGER reserve_transactions_append_only
  BEFORE UPDATE OR DELETE ON reserve_transactions
  FOR EACH ROW EXECUTE FUNCTION reserve_transactions_append_only();
