import type { Database } from '@shardpay/database';
import type { BankConfig } from './config.ts';

/** What every route plugin is given. */
export interface BankContext extends Record<string, unknown> {
  config: BankConfig;
  database: Database;
  now: () => Date;
  /** Called after a payout commits, so the payout clock looks at its due time. */
  onPayoutCreated: () => void;
}
