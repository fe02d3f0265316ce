-- The demo shop (docs/gateway.md "Merchants and invoices"): a merchant's products, sold from its public
-- store; an order is an ordinary invoice whose amount the gateway computed from these prices.
CREATE TABLE products (
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  id text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants (id),
  name text NOT NULL,
  description text,
  -- Minor units (6 decimals).
  price bigint NOT NULL CHECK (price > 0),
  -- false once archived: kept for the invoices that sold it, never shown in the store.
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL
);
CREATE INDEX products_merchant ON products (merchant_id, seq);

-- When an invoice became settled: the volume chart groups settled invoices by it. Set by a trigger on
-- the move to `settled`, whoever makes it (the pay watcher, the escrow watcher), so no writer can forget.
ALTER TABLE invoices ADD COLUMN settled_at timestamptz;
UPDATE invoices SET settled_at = updated_at WHERE status = 'settled';

CREATE FUNCTION invoices_mark_settled() RETURNS trigger AS $$
BEGIN
  IF NEW.status = 'settled' AND OLD.status IS DISTINCT FROM 'settled' THEN
    NEW.settled_at := NEW.updated_at;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER invoices_settled_at BEFORE UPDATE OF status ON invoices
  FOR EACH ROW EXECUTE FUNCTION invoices_mark_settled();

CREATE INDEX invoices_settled ON invoices (merchant_id, settled_at) WHERE settled_at IS NOT NULL;
CREATE INDEX invoice_refunds_merchant_created ON invoice_refunds (merchant_id, created_at);

-- The escrow watcher refreshes shipments that have not ended from the delivery oracle (an invoice may
-- already be settled while its shipment still shows `attested`).
CREATE INDEX invoices_shipment_watch ON invoices (seq)
  WHERE escrow IS NOT NULL AND escrow->'shipment'->>'status' IN ('in_transit', 'delivered', 'attested');
