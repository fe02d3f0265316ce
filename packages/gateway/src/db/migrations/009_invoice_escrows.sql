-- Escrow-backed invoices (docs/gateway.md "Escrow-backed orders"): invoices.escrow holds the terms and,
-- once the buyer locked, {escrow_id, buyer, shard, status}. The escrow watcher (every 2 s, every
-- replica) scans the locked ones that are not final; this keeps that scan off the rest of the table.
CREATE INDEX invoices_escrow_watch ON invoices (seq)
  WHERE status IN ('new', 'processing') AND escrow IS NOT NULL AND escrow->>'escrow_id' IS NOT NULL;
