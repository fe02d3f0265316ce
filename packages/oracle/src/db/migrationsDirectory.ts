import { join } from 'node:path';

/** The oracle's migrations (`NNN_name.sql`), for `runMigrations` of `@shardpay/database`. */
export const oracleMigrationsDirectory = join(import.meta.dirname, 'migrations');
