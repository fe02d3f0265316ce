import type { Database } from '@shardpay/database';
import type { OracleConfig } from './config.ts';
import type { OracleChain } from './OracleChain.ts';
import type { OracleIdentity } from './OracleIdentity.ts';

/** What every route plugin is given. */
export interface OracleContext extends Record<string, unknown> {
  config: OracleConfig;
  database: Database;
  chain: OracleChain;
  identity: OracleIdentity;
  now: () => Date;
  /** Called after a shipment is created or delivered on command, so the worker looks at it now. */
  onShipmentChanged: () => void;
}
