import type { GatewayConfig } from '../config.ts';
import { createPgliteDatabase } from './createPgliteDatabase.ts';
import { createPostgresDatabase } from './createPostgresDatabase.ts';
import type { Database } from './Database.ts';
import { runMigrations } from './runMigrations.ts';

/** PostgreSQL when `databaseUrl` is set, PGlite (in `dataDir`, or in memory) otherwise; migrated. */
export async function openGatewayDatabase(
  config: Pick<GatewayConfig, 'databaseUrl' | 'dataDir'>,
): Promise<Database> {
  const database =
    config.databaseUrl === undefined
      ? await createPgliteDatabase({ dataDir: config.dataDir })
      : await createPostgresDatabase({ connectionString: config.databaseUrl });
  try {
    await runMigrations(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
