-- The opening deposit: money placed in the reserve account when the sandbox is first set up, before any
-- card capture (a devnet backs its genesis allocations with it). At most one, ever.
ALTER TABLE reserve_transactions DROP CONSTRAINT reserve_transactions_type_check;
ALTER TABLE reserve_transactions ADD CONSTRAINT reserve_transactions_type_check
  CHECK (type IN ('opening_deposit', 'capture', 'refund', 'payout', 'payout_reversal'));
CREATE UNIQUE INDEX reserve_transactions_one_opening_deposit ON reserve_transactions (type)
  WHERE type = 'opening_deposit';
