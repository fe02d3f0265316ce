import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPostgresDatabase } from '../src/index.ts';

const url = process.env.SHARDPAY_TEST_DATABASE_URL;

describe('PostgreSQL: a pooled connection ended by the server', {
  skip:
    url === undefined || url === ''
      ? 'SHARDPAY_TEST_DATABASE_URL is unset: set it to a postgres:// URL to run this suite'
      : false,
}, () => {
  it('does not crash the process, and the next query gets a new connection', async () => {
    const database = await createPostgresDatabase({ connectionString: url ?? '', maxConnections: 1 });
    try {
      // The pool's only connection, now idle in the pool.
      const before = await database.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const pid = before.rows[0]!.pid;
      const other = await createPostgresDatabase({ connectionString: url ?? '', maxConnections: 1 });
      try {
        const ended = await other.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [pid]);
        assert.equal(ended.rows[0]!.ok, true);
        // Wait (bounded) until the server has ended it, then let the pool's socket see the close.
        for (let i = 0; i < 200; i++) {
          const alive = await other.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
          if (alive.rowCount === 0) break;
        }
        for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      } finally {
        await other.close();
      }
      // Without a handler for the pool's 'error' event the process would have died by now; the
      // next query runs on a fresh connection.
      let after: number | undefined;
      for (let attempt = 0; attempt < 50 && after === undefined; attempt++) {
        try {
          after = (await database.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
        } catch {
          // The query raced the termination on the old connection: the pool drops it; try again.
        }
      }
      assert.ok(after !== undefined && after !== pid, `expected a new backend, got ${after}`);
    } finally {
      await database.close();
    }
  });
});
