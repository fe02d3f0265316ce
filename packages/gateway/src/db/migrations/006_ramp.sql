-- Money in and out (docs/gateway.md "Money in and out"): card purchases, cash-outs, the issuer's mint
-- lane and the hash-chained audit log. Amounts are bigint minor units (6 decimals).

-- A card purchase: a durable state machine driven by the ramp worker (src/ramp/advancePurchase.ts).
-- The card number and CVC are never stored: only the brand and last 4 digits the bank returns.
CREATE TABLE purchases (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  user_id text NOT NULL REFERENCES users (id),
  wallet_id text NOT NULL REFERENCES wallets (id),
  -- The request's Idempotency-Key: a retry of a crashed request finds its purchase again.
  idempotency_key text NOT NULL,
  address text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  status text NOT NULL,
  charge_id text UNIQUE,
  card_brand text,
  card_last4 text,
  -- The signed mint (hex of the canonical encoding), stored before it is first submitted.
  mint_tx text,
  mint_tx_id text UNIQUE,
  mint_nonce bigint,
  mint_expiry_height bigint,
  failure_code text,
  failure_message text,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  lease_owner text,
  lease_until timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (user_id, idempotency_key)
);
CREATE INDEX purchases_user_seq ON purchases (user_id, seq);
CREATE INDEX purchases_due ON purchases (next_attempt_at) WHERE status IN ('authorized', 'minting', 'minted', 'voiding');

-- A cash-out: the user burns with payout_reference = id, then the worker pays out (or refunds).
CREATE TABLE cashouts (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  user_id text NOT NULL REFERENCES users (id),
  wallet_id text NOT NULL REFERENCES wallets (id),
  address text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  routing_number text NOT NULL,
  account_number text NOT NULL,
  status text NOT NULL,
  burn_tx text,
  burn_tx_id text UNIQUE,
  burn_expiry_height bigint,
  payout_id text UNIQUE,
  failure_code text,
  failure_message text,
  refund_tx text,
  refund_tx_id text UNIQUE,
  refund_nonce bigint,
  refund_expiry_height bigint,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  lease_owner text,
  lease_until timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX cashouts_user_seq ON cashouts (user_id, seq);
CREATE INDEX cashouts_due ON cashouts (next_attempt_at) WHERE status IN ('burning', 'burned', 'paying_out', 'refunding');

-- The issuer key signs every mint, so its nonces are sequential: one signed, unresolved mint at a time.
-- `holder` is the purchase or cash-out whose mint is signed and not yet final or expired.
CREATE TABLE issuer_lane (
  id integer PRIMARY KEY CHECK (id = 1),
  holder text
);
INSERT INTO issuer_lane (id, holder) VALUES (1, NULL);

-- Every money movement the gateway drives, hash-chained: hash = sha256(prev_hash || canonical row).
CREATE TABLE audit_log (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  kind text NOT NULL CHECK (kind IN ('charge', 'mint', 'capture', 'void', 'burn', 'payout', 'refund')),
  subject_id text NOT NULL,
  amount bigint NOT NULL,
  data jsonb NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL UNIQUE
);

-- Append-only: the database itself refuses to change or remove a row.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
