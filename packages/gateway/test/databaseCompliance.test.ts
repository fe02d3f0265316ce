import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isShardpayError } from '@shardpay/crypto';
import { createPgliteDatabase } from '../src/db/createPgliteDatabase.ts';
import { createPostgresDatabase } from '../src/db/createPostgresDatabase.ts';
import type { Database } from '../src/db/Database.ts';
import { loadMigrations, runMigrations } from '../src/db/runMigrations.ts';

const postgresUrl = process.env.SHARDPAY_TEST_DATABASE_URL;

/** The same suite for every Database implementation. */
function describeDatabaseCompliance(name: string, open: () => Promise<Database>, skip: string | false): void {
  describe(`Database compliance: ${name}`, { skip }, () => {
    let database: Database;
    // A table per run, so a shared PostgreSQL server keeps no state between runs.
    const table = `compliance_${process.pid}_${Date.now()}`;

    before(async () => {
      database = await open();
      await database.query(`DROP TABLE IF EXISTS ${table}`);
      await database.query(`CREATE TABLE ${table} (id integer PRIMARY KEY, amount bigint, doc jsonb)`);
    });
    after(async () => {
      await database.query(`DROP TABLE IF EXISTS ${table}`);
      await database.close();
    });

    it('migrates, records each version, and applies nothing twice', async () => {
      await runMigrations(database);
      const migrations = await loadMigrations();
      assert.ok(migrations.length >= 1);
      assert.deepEqual(await runMigrations(database), []);
      const recorded = await database.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      assert.deepEqual(
        recorded.rows.map((row) => Number(row.version)),
        migrations.map((migration) => migration.version),
      );
      const tables = await database.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_name IN ('users', 'wallets', 'idempotency_keys')
         ORDER BY table_name`,
      );
      assert.deepEqual(
        tables.rows.map((row) => row.table_name),
        ['idempotency_keys', 'users', 'wallets'],
      );
    });

    it('runs concurrent migrations exactly once', async () => {
      const extra = [{ version: 900_000 + (process.pid % 1000), name: 'compliance_probe', sql: 'SELECT 1;' }];
      try {
        const results = await Promise.all([runMigrations(database, extra), runMigrations(database, extra)]);
        assert.deepEqual(results.flat(), [extra[0]!.version]);
      } finally {
        await database.query('DELETE FROM schema_migrations WHERE version = $1', [extra[0]!.version]);
      }
    });

    it('keeps bigint exact and jsonb structured', async () => {
      const big = 9_007_199_254_740_993n; // above 2^53: a JS number would round it
      await database.query(`INSERT INTO ${table} (id, amount, doc) VALUES ($1, $2, $3)`, [
        1,
        big.toString(),
        JSON.stringify({ nested: { ok: true } }),
      ]);
      const result = await database.query<{ amount: bigint; doc: unknown }>(
        `SELECT amount, doc FROM ${table} WHERE id = 1`,
      );
      assert.equal(result.rows[0]?.amount, big);
      assert.deepEqual(result.rows[0]?.doc, { nested: { ok: true } });
    });

    it('commits a transaction that resolves and rolls back one that throws', async () => {
      await database.transaction(async (tx) => {
        await tx.query(`INSERT INTO ${table} (id) VALUES (2)`);
      });
      await assert.rejects(
        database.transaction(async (tx) => {
          await tx.query(`INSERT INTO ${table} (id) VALUES (3)`);
          throw new Error('abort');
        }),
        /abort/,
      );
      const ids = await database.query<{ id: number }>(
        `SELECT id FROM ${table} WHERE id IN (2, 3) ORDER BY id`,
      );
      assert.deepEqual(
        ids.rows.map((row) => row.id),
        [2],
      );
    });

    it('reports the rows an update touched', async () => {
      const updated = await database.query(`UPDATE ${table} SET amount = 5 WHERE id IN (1, 2)`);
      assert.equal(updated.rowCount, 2);
      const none = await database.query(`UPDATE ${table} SET amount = 5 WHERE id = 999`);
      assert.equal(none.rowCount, 0);
    });
  });
}

describeDatabaseCompliance('PGlite (in memory)', () => createPgliteDatabase(), false);
describeDatabaseCompliance(
  'PostgreSQL',
  () => createPostgresDatabase({ connectionString: postgresUrl ?? '' }),
  postgresUrl === undefined || postgresUrl === ''
    ? 'SHARDPAY_TEST_DATABASE_URL is unset: set it to a postgres:// URL to run this suite against PostgreSQL'
    : false,
);

describe('loadMigrations', () => {
  it('refuses a migration file that is not named NNN_name.sql', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'gateway-migrations-'));
    try {
      await mkdir(directory, { recursive: true });
      await writeFile(join(directory, '001_ok.sql'), 'SELECT 1;');
      await writeFile(join(directory, 'second.sql'), 'SELECT 1;');
      await assert.rejects(loadMigrations(directory), (error) => isShardpayError(error, 'MIGRATION_INVALID'));
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('refuses two migrations with one version', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'gateway-migrations-'));
    try {
      await writeFile(join(directory, '001_a.sql'), 'SELECT 1;');
      await writeFile(join(directory, '001_b.sql'), 'SELECT 1;');
      await assert.rejects(loadMigrations(directory), (error) => isShardpayError(error, 'MIGRATION_INVALID'));
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
