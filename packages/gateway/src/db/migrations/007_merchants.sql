-- Merchants (a user's shop: payments go to one of the user's registered wallets) and the events that
-- belong to a merchant (invoices, refunds), which its API keys read and its webhooks deliver.

CREATE TABLE merchants (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id),
  name text NOT NULL,
  wallet_id text NOT NULL REFERENCES wallets (id),
  -- The wallet's address (bech32m), copied: invoices are paid to it.
  address text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX merchants_user ON merchants (user_id, created_at);

-- An event of a merchant also names the merchant's user, so the user's own stream shows it too.
ALTER TABLE events ADD COLUMN merchant_id text REFERENCES merchants (id);
CREATE INDEX events_merchant_seq ON events (merchant_id, seq) WHERE merchant_id IS NOT NULL;
CREATE INDEX events_created ON events (created_at);

-- Merchants are listed newest first by this.
ALTER TABLE merchants ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE;

-- Scoped API keys: only sha256 of the secret is kept (the secret is shown once, at creation).
CREATE TABLE merchant_api_keys (
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  id text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants (id),
  name text NOT NULL,
  scopes text[] NOT NULL,
  secret_hash text NOT NULL UNIQUE,
  last4 text NOT NULL,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX merchant_api_keys_merchant ON merchant_api_keys (merchant_id, seq);

-- Invoices (BTCPay Greenfield's model): paid by an on-chain `pay` whose payment id is the invoice id.
CREATE TABLE invoices (
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  id text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants (id),
  user_id text NOT NULL REFERENCES users (id),
  status text NOT NULL CHECK (status IN ('new', 'processing', 'settled', 'expired', 'invalid')),
  exception text CHECK (exception IN ('paid_partial', 'paid_over', 'paid_late', 'marked')),
  amount bigint NOT NULL,
  amount_paid bigint NOT NULL DEFAULT 0,
  amount_refunded bigint NOT NULL DEFAULT 0,
  currency text NOT NULL,
  order_id text,
  description text,
  pay_to text NOT NULL,
  -- Fixed at creation (they name the chain and the public URL of that moment).
  payment_uri text NOT NULL,
  checkout_url text NOT NULL,
  redirect_url text,
  metadata jsonb NOT NULL DEFAULT '{}',
  -- Escrow-backed checkout (not built yet): its details, when an invoice uses it.
  escrow jsonb,
  expires_at timestamptz NOT NULL,
  monitoring_until timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX invoices_merchant ON invoices (merchant_id, seq);
-- The expiry job's two scans.
CREATE INDEX invoices_new_expiry ON invoices (expires_at) WHERE status = 'new';
CREATE INDEX invoices_processing_monitoring ON invoices (monitoring_until) WHERE status = 'processing';

-- The on-chain `pay`s of an invoice, as the indexer saw them.
CREATE TABLE invoice_payments (
  invoice_id text NOT NULL REFERENCES invoices (id),
  tx_id text NOT NULL,
  from_address text NOT NULL,
  amount bigint NOT NULL,
  -- The payer's shard (where the pay was included).
  shard integer NOT NULL,
  status text NOT NULL CHECK (status IN ('final', 'credited', 'refused', 'refunded')),
  at timestamptz NOT NULL,
  PRIMARY KEY (invoice_id, tx_id)
);

-- Merchant refunds: a client-signed transfer from the invoice's pay_to back to its payer.
CREATE TABLE invoice_refunds (
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  id text PRIMARY KEY,
  invoice_id text NOT NULL REFERENCES invoices (id),
  merchant_id text NOT NULL REFERENCES merchants (id),
  amount bigint NOT NULL,
  tx_id text NOT NULL UNIQUE,
  -- submitting: stored before the chain has it (a crash leaves it for the idempotent retry).
  status text NOT NULL CHECK (status IN ('submitting', 'pending', 'final', 'credited')),
  created_at timestamptz NOT NULL
);
CREATE INDEX invoice_refunds_invoice ON invoice_refunds (invoice_id, seq);
