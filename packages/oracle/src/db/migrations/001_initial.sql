-- The delivery oracle sandbox: shipments and the escrow release each one leads to.
-- A shipment moves in_transit → delivered → attested → released, or ends attestation_refused.
CREATE TABLE shipments (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  tracking_id text NOT NULL UNIQUE,
  -- One shipment per escrow: a second request for the same escrow gets the first shipment back.
  escrow_id text NOT NULL UNIQUE,
  -- The buyer's shard, where the escrow lives and the release executes.
  escrow_shard integer NOT NULL,
  order_id text NOT NULL,
  carrier text NOT NULL,
  status text NOT NULL CHECK (status IN
    ('in_transit', 'delivered', 'attested', 'released', 'attestation_refused')),
  deliver_at timestamptz NOT NULL,
  delivered_at timestamptz,
  attested_at timestamptz,
  released_at timestamptz,
  -- The signed escrow_release (hex), stored BEFORE it is first submitted so that a restart
  -- resubmits the very same bytes (same id: never a second release transaction).
  release_tx text,
  release_tx_id text,
  release_tx_nonce bigint,
  release_tx_expiry bigint,
  release_height bigint,
  refusal_code text,
  refusal_message text,
  last_error text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX shipments_work ON shipments (status, deliver_at);
