-- Credits consumed on target shards, what the history needs of each transaction, and user events.

-- Cross-shard transfers: whether a transaction left its shard (its credit's target), and a pay's id
-- (the target refuses a second credit of the same id to the same merchant).
ALTER TABLE chain_transactions ADD COLUMN target_shard integer;
ALTER TABLE chain_transactions ADD COLUMN payment_id text;

-- Every receipt consumed by an indexed block of its target shard. `seq` comes from the same sequence
-- as chain_transactions.seq, so a history merging both is in one indexing order.
CREATE TABLE chain_credits (
  seq bigint NOT NULL DEFAULT nextval('chain_transactions_seq_seq') UNIQUE,
  receipt_id text PRIMARY KEY,
  tx_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('credit', 'refund')),
  operation text NOT NULL,
  source_shard integer NOT NULL,
  source_height bigint NOT NULL,
  target_shard integer NOT NULL,
  -- The consuming block on the target shard, and the receipt's place among its consumed receipts.
  height bigint NOT NULL,
  position integer NOT NULL,
  timestamp_ms bigint NOT NULL,
  sender text NOT NULL,
  recipient text NOT NULL,
  amount bigint NOT NULL,
  payment_id text NOT NULL,
  -- credited, or refused (a credit the target answered with a refund receipt).
  outcome text NOT NULL CHECK (outcome IN ('credited', 'refused')),
  refund_of text
);
CREATE INDEX chain_credits_recipient ON chain_credits (recipient, seq);
CREATE INDEX chain_credits_tx ON chain_credits (tx_id);
CREATE INDEX chain_transactions_payment_id ON chain_transactions (recipient, payment_id) WHERE payment_id IS NOT NULL;

-- What happened to a user's objects, in commit order: `seq` is taken under one advisory lock held to
-- commit (see src/events/writeEvent.ts), so a reader that saw seq N has seen every event below N.
CREATE TABLE events (
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id),
  type text NOT NULL,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX events_user_seq ON events (user_id, seq);
