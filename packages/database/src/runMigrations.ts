import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ShardpayError } from '@shardpay/crypto';
import type { Database } from './Database.ts';

/** A numbered SQL migration: `NNN_name.sql`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const migrationFilePattern = /^(\d{3,})_([a-z0-9_]+)\.sql$/;
// Any constant shared by every replica: the transaction-scoped advisory lock serializes start-ups.
const migrationLockKey = 0x5348_4450; // 'SHDP'

/** The migrations of `directory` (files `NNN_name.sql`), in version order. */
export async function loadMigrations(directory: string): Promise<Migration[]> {
  const files = (await readdir(directory)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = migrationFilePattern.exec(file);
    if (match === null) {
      throw new ShardpayError('MIGRATION_INVALID', `migration file ${file} is not named NNN_name.sql`);
    }
    const version = Number(match[1]);
    if (migrations.some((migration) => migration.version === version)) {
      throw new ShardpayError('MIGRATION_INVALID', `two migrations share version ${version}`);
    }
    migrations.push({ version, name: match[2]!, sql: await readFile(join(directory, file), 'utf8') });
  }
  return migrations;
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, all in one transaction under an
 * advisory lock, so that replicas starting together apply each exactly once and a crash mid-way
 * leaves the schema as it was. `migrations` is a service's folder of `NNN_name.sql` files, or the
 * migrations themselves. Returns the versions applied now.
 *
 * @example await runMigrations(database, join(import.meta.dirname, 'migrations'));
 */
export async function runMigrations(
  database: Database,
  migrations: string | readonly Migration[],
): Promise<number[]> {
  const pending = typeof migrations === 'string' ? await loadMigrations(migrations) : migrations;
  return database.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey]);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const applied = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const appliedVersions = new Set(applied.rows.map((row) => Number(row.version)));
    const appliedNow: number[] = [];
    for (const migration of pending) {
      if (appliedVersions.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      appliedNow.push(migration.version);
    }
    return appliedNow;
  });
}
