/**
 * The storage types now live in `@shardpay/database`. Kept so that `ramp/` files importing
 * `../db/Database.ts` keep working; new code imports `@shardpay/database` directly.
 */
export type { Database, Queryable, QueryResult } from '@shardpay/database';
