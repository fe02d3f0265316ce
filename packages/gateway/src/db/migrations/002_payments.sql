-- Payments: a client-signed transaction the gateway routed to its sender's shard, and its status.

CREATE TABLE payments (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  user_id text NOT NULL REFERENCES users (id),
  wallet_id text NOT NULL REFERENCES wallets (id),
  tx_id text NOT NULL UNIQUE,
  shard integer NOT NULL,
  operation text NOT NULL,
  from_address text NOT NULL,
  to_address text,
  amount bigint NOT NULL,
  fee bigint NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX payments_user_seq ON payments (user_id, seq);
