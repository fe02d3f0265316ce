import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadMigrations } from '@shardpay/database';
import { gatewayMigrationsDirectory } from '../src/db/migrationsDirectory.ts';
import { testDatabaseTargets } from './helpers/testGateway.ts';

// The Database implementations themselves are checked by @shardpay/database's compliance suite; this
// checks the gateway's own migrations folder against each of them.
for (const target of testDatabaseTargets()) {
  describe(`gateway migrations: ${target.name}`, { skip: target.skip }, () => {
    it('apply every file of src/db/migrations once and create the gateway tables', async () => {
      const database = await target.open();
      try {
        const migrations = await loadMigrations(gatewayMigrationsDirectory);
        assert.ok(migrations.length >= 1);
        const recorded = await database.query<{ version: number }>(
          'SELECT version FROM schema_migrations ORDER BY version',
        );
        assert.deepEqual(
          recorded.rows.map((row) => Number(row.version)),
          migrations.map((migration) => migration.version),
        );
        const tables = await database.query<{ table_name: string }>(
          `SELECT table_name FROM information_schema.tables
           WHERE table_name IN ('users', 'wallets', 'idempotency_keys', 'purchases', 'cashouts')
           ORDER BY table_name`,
        );
        assert.deepEqual(
          tables.rows.map((row) => row.table_name),
          ['cashouts', 'idempotency_keys', 'purchases', 'users', 'wallets'],
        );
      } finally {
        await database.close();
      }
    });
  });
}
