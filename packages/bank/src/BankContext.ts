import type { BankConfig } from './config.ts';
import type { Database } from './db/Database.ts';

/** What every route plugin is given. */
export interface BankContext extends Record<string, unknown> {
  config: BankConfig;
  database: Database;
  now: () => Date;
  /** Called after a payout commits, so the payout clock looks at its due time. */
  onPayoutCreated: () => void;
}
