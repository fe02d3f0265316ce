import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isShardpayError } from '@shardpay/crypto';
import { createPgliteDatabase } from '../src/createPgliteDatabase.ts';
import { createPostgresDatabase } from '../src/createPostgresDatabase.ts';
import type { Database } from '../src/Database.ts';
import { loadMigrations, runMigrations } from '../src/runMigrations.ts';

const postgresUrl = process.env.SHARDPAY_TEST_DATABASE_URL;

/** The same suite for every Database implementation. */
function describeDatabaseCompliance(name: string, open: () => Promise<Database>, skip: string | false): void {
  describe(`Database compliance: ${name}`, { skip }, () => {
    let database: Database;
    let migrationsDir: string;
    // Names and versions per run, so a shared PostgreSQL server keeps no state between runs and no
    // service's own migrations are touched.
    const table = `compliance_${process.pid}_${Date.now()}`;
    const probeTable = `${table}_migrated`;
    const baseVersion = 800_000 + (process.pid % 1000) * 10;

    before(async () => {
      database = await open();
      await database.query(`DROP TABLE IF EXISTS ${table}`);
      await database.query(`CREATE TABLE ${table} (id integer PRIMARY KEY, amount bigint, doc jsonb)`);
      migrationsDir = await mkdtemp(join(tmpdir(), 'shardpay-migrations-'));
      await writeFile(
        join(migrationsDir, `${baseVersion}_create_probe.sql`),
        `CREATE TABLE ${probeTable} (id integer);`,
      );
      await writeFile(
        join(migrationsDir, `${baseVersion + 1}_fill_probe.sql`),
        `INSERT INTO ${probeTable} (id) VALUES (1); INSERT INTO ${probeTable} (id) VALUES (2);`,
      );
    });
    after(async () => {
      await database.query(`DROP TABLE IF EXISTS ${table}`);
      await database.query(`DROP TABLE IF EXISTS ${probeTable}`);
      await database.query('DELETE FROM schema_migrations WHERE version >= $1 AND version < $2', [
        baseVersion,
        baseVersion + 10,
      ]);
      await database.close();
      await rm(migrationsDir, { recursive: true, force: true });
    });

    it('migrates from a folder, records each version, and applies nothing twice', async () => {
      assert.deepEqual(await runMigrations(database, migrationsDir), [baseVersion, baseVersion + 1]);
      assert.deepEqual(await runMigrations(database, migrationsDir), []);
      const recorded = await database.query<{ version: number }>(
        'SELECT version FROM schema_migrations WHERE version >= $1 AND version < $2 ORDER BY version',
        [baseVersion, baseVersion + 10],
      );
      assert.deepEqual(
        recorded.rows.map((row) => Number(row.version)),
        (await loadMigrations(migrationsDir)).map((migration) => migration.version),
      );
      const probe = await database.query(`SELECT id FROM ${probeTable}`);
      assert.equal(probe.rowCount, 2, 'each migration ran once');
    });

    it('runs concurrent migrations exactly once', async () => {
      const extra = [{ version: baseVersion + 5, name: 'compliance_probe', sql: 'SELECT 1;' }];
      const results = await Promise.all([runMigrations(database, extra), runMigrations(database, extra)]);
      assert.deepEqual(results.flat(), [extra[0]!.version]);
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
    const directory = await mkdtemp(join(tmpdir(), 'shardpay-migrations-'));
    try {
      await writeFile(join(directory, '001_ok.sql'), 'SELECT 1;');
      await writeFile(join(directory, 'second.sql'), 'SELECT 1;');
      await assert.rejects(loadMigrations(directory), (error) => isShardpayError(error, 'MIGRATION_INVALID'));
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('refuses two migrations with one version', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'shardpay-migrations-'));
    try {
      await writeFile(join(directory, '001_a.sql'), 'SELECT 1;');
      await writeFile(join(directory, '001_b.sql'), 'SELECT 1;');
      await assert.rejects(loadMigrations(directory), (error) => isShardpayError(error, 'MIGRATION_INVALID'));
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('orders migrations by version and ignores other files', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'shardpay-migrations-'));
    try {
      await writeFile(join(directory, '002_second.sql'), 'SELECT 2;');
      await writeFile(join(directory, '001_first.sql'), 'SELECT 1;');
      await writeFile(join(directory, 'README.md'), 'not a migration');
      assert.deepEqual(await loadMigrations(directory), [
        { version: 1, name: 'first', sql: 'SELECT 1;' },
        { version: 2, name: 'second', sql: 'SELECT 2;' },
      ]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
