import type { Database } from '@shardpay/database';
import type { AccessTokenSettings } from './auth/accessTokens.ts';
import type { GatewayConfig } from './config.ts';

/** What route plugins are given: the config, the database and the clock. */
export interface GatewayContext extends Record<string, unknown> {
  config: GatewayConfig;
  database: Database;
  now: () => Date;
  tokens: AccessTokenSettings;
}

/** Unix seconds of a date, the API's time format. */
export function toUnixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
