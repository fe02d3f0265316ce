import pg from 'pg';
import type { Database, Queryable } from './Database.ts';

export interface CreatePostgresDatabaseOptions {
  /** A `postgres://` connection string (DATABASE_URL). */
  connectionString: string;
  maxConnections?: number | undefined;
}

// bigint (int8) columns come back as strings by default; keep them exact as bigint, as PGlite does.
const int8Oid = 20;

/** PostgreSQL through a `pg` pool: what gateway replicas share in production. */
export async function createPostgresDatabase(options: CreatePostgresDatabaseOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === int8Oid
          ? (value: string) => BigInt(value)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle pooled connection that the server ends (a restart, a failover, an administrator's
  // termination) is emitted as the pool's 'error'; unhandled, that would crash the process. The pool
  // has already dropped that connection and opens a new one on demand, and a query in flight fails
  // on its own with its error, so there is nothing more to do here.
  pool.on('error', () => undefined);
  // Fail at start, not at the first request, when the server cannot be reached.
  const probe = await pool.connect();
  probe.release();
  let closed = false;
  return {
    kind: 'postgres',
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await pool.query(sql, [...params]);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({
          async query<Row>(sql: string, params: readonly unknown[] = []) {
            const queried = await client.query(sql, [...params]);
            return { rows: queried.rows as Row[], rowCount: queried.rowCount ?? queried.rows.length };
          },
          async exec(sql: string) {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
