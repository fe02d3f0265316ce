import { join } from 'node:path';

/** The bank's migrations (`NNN_name.sql`), for `runMigrations` of `@shardpay/database`. */
export const bankMigrationsDirectory = join(import.meta.dirname, 'migrations');
