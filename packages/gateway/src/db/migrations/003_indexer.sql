-- The indexer: how far each shard is indexed, and every transaction of every indexed block.

CREATE TABLE indexer_cursors (
  shard integer PRIMARY KEY,
  height bigint NOT NULL,
  -- Id of the header at `height` ('' before the first block): the next block's parent must match.
  header_hash text NOT NULL
);

CREATE TABLE chain_transactions (
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  tx_id text NOT NULL UNIQUE,
  shard integer NOT NULL,
  height bigint NOT NULL,
  position integer NOT NULL,
  timestamp_ms bigint NOT NULL,
  operation text NOT NULL,
  sender text NOT NULL,
  recipient text,
  amount bigint NOT NULL,
  fee bigint NOT NULL,
  PRIMARY KEY (shard, height, position)
);
CREATE INDEX chain_transactions_sender ON chain_transactions (sender, seq);
CREATE INDEX chain_transactions_recipient ON chain_transactions (recipient, seq);
