import { join } from 'node:path';

/** The gateway's migrations (`NNN_name.sql`), for `runMigrations` of `@shardpay/database`. */
export const gatewayMigrationsDirectory = join(import.meta.dirname, 'migrations');
