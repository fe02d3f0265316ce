import {
  createPgliteDatabase,
  createPostgresDatabase,
  type Database,
  runMigrations,
} from '@shardpay/database';
import type { GatewayConfig } from '../config.ts';
import { gatewayMigrationsDirectory } from './migrationsDirectory.ts';

/** PostgreSQL when `databaseUrl` is set, PGlite (in `dataDir`, or in memory) otherwise; migrated. */
export async function openGatewayDatabase(
  config: Pick<GatewayConfig, 'databaseUrl' | 'dataDir'>,
): Promise<Database> {
  const database =
    config.databaseUrl === undefined
      ? await createPgliteDatabase({ dataDir: config.dataDir })
      : await createPostgresDatabase({ connectionString: config.databaseUrl });
  try {
    await runMigrations(database, gatewayMigrationsDirectory);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
